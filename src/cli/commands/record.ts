/**
 * `rtspkit record`: H.264/H.265 and AAC/G.711 into one fragmented MP4. An
 * audio codec the file cannot hold is reported on stderr and left out
 * (video is still recorded); the writer is closed whatever stops the loop.
 */
import type { Track } from '../../sdp/track.js';
import { audioSpecificConfigFromFmtp, isAacRtpCodec } from '../../writers/adts-writer.js';
import { Mp4Writer, type Mp4AudioTrack, type Mp4VideoTrack } from '../../writers/mp4/mp4-writer.js';
import { CommandFailure, throwIfFailed } from '../cli-errors.js';
import type { CommandContext } from '../context.js';
import { writeText } from '../output.js';

export interface RecordOptions {
  output: string;
  frames: number | undefined;
  /** Media the session sets up (--no-video / --no-audio). */
  video: boolean;
  audio: boolean;
}

export interface RecordResult {
  path: string;
  video: string | undefined;
  audio: string | undefined;
  framesWritten: number;
}

export async function recordCommand(
  ctx: CommandContext,
  options: RecordOptions,
): Promise<RecordResult> {
  let writer: Mp4Writer | undefined;
  let videoTrack: Track | undefined;
  let audioTrack: Track | undefined;
  let videoFrames = 0;
  try {
    for await (const event of ctx.events) {
      if (event.type === 'rtsp' && event.tracks) {
        const plan = await planTracks(
          event.tracks.filter((t) => options[t.media]),
          ctx,
        );
        ({ videoTrack, audioTrack } = plan);
        writer = new Mp4Writer(options.output, { video: plan.video, audio: plan.audio });
      } else if (event.type === 'video' && writer && event.track === videoTrack?.index) {
        await writer.write(event.frame);
        if (writer.started && ++videoFrames === options.frames) break;
      } else if (event.type === 'audio' && writer && event.track === audioTrack?.index) {
        await writer.write(event.frame);
      } else if (event.type === 'closed') {
        throwIfFailed(event);
      }
    }
  } finally {
    await writer?.close();
  }
  if (!writer?.started)
    throw new CommandFailure(
      `${options.output}: no ${videoTrack ? 'keyframe with parameter sets' : 'media'} arrived, nothing recorded`,
    );
  return {
    path: options.output,
    video: videoTrack?.codec,
    audio: audioTrack?.codec,
    framesWritten: writer.framesWritten,
  };
}

interface TrackPlan {
  video: Mp4VideoTrack | undefined;
  audio: Mp4AudioTrack | undefined;
  videoTrack: Track | undefined;
  audioTrack: Track | undefined;
}

async function planTracks(tracks: readonly Track[], ctx: CommandContext): Promise<TrackPlan> {
  const videoTrack = tracks.find((t) => t.media === 'video');
  const audioTrack = tracks.find((t) => t.media === 'audio');
  let video: Mp4VideoTrack | undefined;
  if (videoTrack) {
    if (videoTrack.codec !== 'h264' && videoTrack.codec !== 'h265') {
      throw new CommandFailure(
        `record: ${videoTrack.codec} video cannot go into MP4 here; use 'rtspkit dump -o FILE.mjpeg' for MJPEG`,
      );
    }
    video = { codec: videoTrack.codec, clockRate: videoTrack.clockRate };
  }
  let audio: Mp4AudioTrack | undefined;
  if (audioTrack) {
    if (isAacRtpCodec(audioTrack.codec)) {
      audio = {
        codec: 'aac',
        config: audioSpecificConfigFromFmtp(audioTrack.fmtp, audioTrack.codec),
        clockRate: audioTrack.clockRate,
      };
    } else if (audioTrack.codec === 'pcma' || audioTrack.codec === 'pcmu') {
      audio = {
        codec: audioTrack.codec,
        sampleRate: audioTrack.clockRate,
        channels: audioTrack.channels ?? 1,
      };
    } else {
      await writeText(
        ctx.io.stderr,
        `rtspkit: ${audioTrack.codec} audio is not recordable to MP4; recording without audio\n`,
      );
    }
  }
  if (!video && !audio)
    throw new CommandFailure('record: the stream has no track that MP4 can hold');
  return { video, audio, videoTrack, audioTrack: audio ? audioTrack : undefined };
}
