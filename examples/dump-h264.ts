/**
 * Writes a camera's H.264 to a file any player opens, until a number of frames
 * was written (default 250) or Ctrl-C:
 *   npx tsx examples/dump-h264.ts rtsp://user:pass@192.168.1.20/stream1 cam.h264 [frames]
 *   ffplay cam.h264
 * The writer starts the file at a keyframe; closing it leaves no half frame.
 */
import { AnnexBWriter, RtspSession } from 'rtspkit';

const [url, output = 'out.h264', frames = '250'] = process.argv.slice(2);
if (url === undefined || !(Number(frames) > 0))
  throw new Error('usage: dump-h264.ts rtsp://[user:pass@]host[:port]/path [out.h264] [frames]');

const controller = new AbortController();
process.once('SIGINT', () => controller.abort());

const writer = new AnnexBWriter(output, { codec: 'h264' });
try {
  for await (const event of new RtspSession(url, { audio: false, signal: controller.signal })) {
    if (event.type === 'closed' && event.error) throw event.error; // failed after PLAY
    if (event.type !== 'video') continue;
    await writer.write(event.frame); // awaiting keeps memory bounded on a slow disk
    if (writer.framesWritten === Number(frames)) break; // leaving the loop sends TEARDOWN
  }
} finally {
  await writer.close();
}
console.log(`${output}: ${writer.framesWritten} frames`);
