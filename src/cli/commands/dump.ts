/**
 * `rtspkit dump`: video to .h264/.h265/.mjpeg and audio to .aac/.wav. The
 * writers are chosen once DESCRIBE says what the tracks are; whatever stops
 * the loop (duration, --frames, a signal, the server), the writers are closed
 * in `finally`, so the files end on a whole frame with final headers.
 */
import type { AudioFrame, VideoFrame } from '../../events/types.js';
import type { Track } from '../../sdp/track.js';
import {
  AdtsWriter,
  audioSpecificConfigFromFmtp,
  isAacRtpCodec,
} from '../../writers/adts-writer.js';
import { AnnexBWriter } from '../../writers/annexb-writer.js';
import type { FrameWriter } from '../../writers/frame-writer.js';
import { MjpegWriter } from '../../writers/mjpeg-writer.js';
import type { SinkTarget } from '../../writers/sink.js';
import { WavWriter } from '../../writers/wav-writer.js';
import type { AudioFileKind, VideoFileKind } from '../args.js';
import { CommandFailure, throwIfFailed } from '../cli-errors.js';
import type { CommandContext } from '../context.js';
import { firstTrack } from '../tracks.js';

export interface DumpOptions {
  videoOut: { path: string; kind: VideoFileKind | undefined } | undefined;
  audioOut: { path: string; kind: AudioFileKind } | undefined;
  frames: number | undefined;
}

export interface DumpedFile {
  path: string;
  framesWritten: number;
  framesSkipped: number;
}

interface Output<F> {
  path: string;
  track: number;
  writer: FrameWriter<F>;
}

const VIDEO_KIND_OF_CODEC: Record<string, VideoFileKind> = {
  h264: 'h264',
  h265: 'h265',
  jpeg: 'mjpeg',
};

export async function dumpCommand(
  ctx: CommandContext,
  options: DumpOptions,
): Promise<DumpedFile[]> {
  let video: Output<VideoFrame> | undefined;
  let audio: Output<AudioFrame> | undefined;
  const target = (path: string): SinkTarget => (path === '-' ? ctx.io.stdout : path);
  try {
    for await (const event of ctx.events) {
      if (event.type === 'rtsp' && event.tracks) {
        ({ video, audio } = openWriters(event.tracks, options, target));
      } else if (event.type === 'video' && event.track === video?.track) {
        await video.writer.write(event.frame);
        if (options.frames !== undefined && video.writer.framesWritten >= options.frames) break;
      } else if (event.type === 'audio' && event.track === audio?.track) {
        await audio.writer.write(event.frame);
        if (!video && options.frames !== undefined && audio.writer.framesWritten >= options.frames)
          break;
      } else if (event.type === 'closed') {
        throwIfFailed(event);
      }
    }
  } finally {
    await Promise.all([video?.writer.close(), audio?.writer.close()]);
  }
  const outputs = [video, audio].filter((o) => o !== undefined);
  if (video && video.writer.framesWritten === 0) {
    throw new CommandFailure(
      `${video.path}: no keyframe arrived, nothing written (${video.writer.framesSkipped} frames skipped)`,
    );
  }
  return outputs.map((o) => ({
    path: o.path,
    framesWritten: o.writer.framesWritten,
    framesSkipped: o.writer.framesSkipped,
  }));
}

function openWriters(
  tracks: Track[],
  options: DumpOptions,
  target: (path: string) => SinkTarget,
): { video: Output<VideoFrame> | undefined; audio: Output<AudioFrame> | undefined } {
  const videoTrack = options.videoOut && firstTrack(tracks, 'video', options.videoOut.path);
  const audioTrack = options.audioOut && firstTrack(tracks, 'audio', options.audioOut.path);
  return {
    video: options.videoOut &&
      videoTrack && {
        path: options.videoOut.path,
        track: videoTrack.index,
        writer: videoWriter(videoTrack, options.videoOut, target),
      },
    audio: options.audioOut &&
      audioTrack && {
        path: options.audioOut.path,
        track: audioTrack.index,
        writer: audioWriter(audioTrack, options.audioOut, target),
      },
  };
}

function videoWriter(
  track: Track,
  out: { path: string; kind: VideoFileKind | undefined },
  target: (path: string) => SinkTarget,
): FrameWriter<VideoFrame> {
  const kind = VIDEO_KIND_OF_CODEC[track.codec];
  if (kind === undefined)
    throw new CommandFailure(
      `the stream's video is ${track.codec}; dump writes H.264, H.265 and MJPEG`,
    );
  if (out.kind !== undefined && out.kind !== kind) {
    throw new CommandFailure(
      `-o ${out.path}: the stream's video is ${track.codec}; name the file .${kind}`,
    );
  }
  return kind === 'mjpeg'
    ? new MjpegWriter(target(out.path))
    : new AnnexBWriter(target(out.path), { codec: kind });
}

function audioWriter(
  track: Track,
  out: { path: string; kind: AudioFileKind },
  target: (path: string) => SinkTarget,
): FrameWriter<AudioFrame> {
  if (out.kind === 'aac') {
    if (!isAacRtpCodec(track.codec)) {
      throw new CommandFailure(
        `--audio ${out.path}: the stream's audio is ${track.codec}; .aac needs AAC (mpeg4-generic or MP4A-LATM)${g711Hint(track)}`,
      );
    }
    return new AdtsWriter(target(out.path), audioSpecificConfigFromFmtp(track.fmtp, track.codec));
  }
  if (track.codec !== 'pcma' && track.codec !== 'pcmu') {
    throw new CommandFailure(
      `--audio ${out.path}: the stream's audio is ${track.codec}; .wav holds G.711 (pcma/pcmu)${isAacRtpCodec(track.codec) ? '; use .aac' : ''}`,
    );
  }
  return new WavWriter(target(out.path), {
    codec: track.codec,
    sampleRate: track.clockRate,
    channels: track.channels ?? 1,
  });
}

function g711Hint(track: Track): string {
  return track.codec === 'pcma' || track.codec === 'pcmu' ? '; use .wav' : '';
}
