/**
 * Records a camera's H.264/H.265 video and AAC/G.711 audio into one MP4 for a
 * number of seconds (default 10) or until Ctrl-C:
 *   npx tsx examples/record-mp4.ts rtsp://user:pass@192.168.1.20/stream1 cam.mp4 [seconds]
 * The tracks are taken from the DESCRIBE answer. The MP4 is fragmented: a
 * killed process still leaves a file that plays up to its last half second.
 */
import {
  Mp4Writer,
  RtspSession,
  audioSpecificConfigFromFmtp,
  isAacRtpCodec,
  type Mp4AudioTrack,
  type Mp4VideoTrack,
  type Track,
} from 'rtspkit';

const [url, output = 'out.mp4', seconds = '10'] = process.argv.slice(2);
if (url === undefined || !(Number(seconds) > 0))
  throw new Error('usage: record-mp4.ts rtsp://[user:pass@]host[:port]/path [out.mp4] [seconds]');

const controller = new AbortController();
process.once('SIGINT', () => controller.abort());
setTimeout(() => controller.abort(), Number(seconds) * 1000).unref();

function mp4Video(track: Track): Mp4VideoTrack | undefined {
  const { codec, clockRate } = track;
  return codec === 'h264' || codec === 'h265' ? { codec, clockRate } : undefined;
}

function mp4Audio(track: Track): Mp4AudioTrack | undefined {
  const { codec, clockRate, channels = 1, fmtp } = track;
  if (isAacRtpCodec(codec))
    return { codec: 'aac', config: audioSpecificConfigFromFmtp(fmtp, codec), clockRate };
  if (codec === 'pcma' || codec === 'pcmu') return { codec, sampleRate: clockRate, channels };
  return undefined;
}

let writer: Mp4Writer | undefined;
/** Indexes of the tracks the MP4 holds. */
const recorded = new Set<number>();
try {
  for await (const event of new RtspSession(url, { signal: controller.signal })) {
    if (event.type === 'rtsp' && event.tracks) {
      // DESCRIBE: the first video and the first audio track MP4 can hold.
      const video = event.tracks.find((t) => mp4Video(t));
      const audio = event.tracks.find((t) => mp4Audio(t));
      for (const track of [video, audio]) if (track) recorded.add(track.index);
      writer = new Mp4Writer(output, {
        video: video && mp4Video(video),
        audio: audio && mp4Audio(audio),
      });
    } else if ((event.type === 'video' || event.type === 'audio') && recorded.has(event.track)) {
      await writer?.write(event.frame);
    } else if (event.type === 'closed' && event.error) {
      throw event.error; // failed after PLAY
    }
  }
} finally {
  await writer?.close();
}
console.log(`${output}: ${writer?.framesWritten ?? 0} frames`);
