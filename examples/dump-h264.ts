/**
 * Writes a camera's H.264 to a file any player opens, until Ctrl-C:
 *   npx tsx examples/dump-h264.ts rtsp://user:pass@192.168.1.20/stream1 cam.h264 && ffplay cam.h264
 * The writer starts the file at a keyframe; closing it on Ctrl-C leaves no half frame.
 */
import { AnnexBWriter, RtspSession } from '../src/index.js';

const [url, output = 'out.h264'] = process.argv.slice(2);
if (url === undefined)
  throw new Error('usage: dump-h264.ts rtsp://[user:pass@]host[:port]/path [out.h264]');

const controller = new AbortController();
process.once('SIGINT', () => controller.abort());

const writer = new AnnexBWriter(output, { codec: 'h264' });
try {
  for await (const event of new RtspSession(url, { audio: false, signal: controller.signal })) {
    if (event.type === 'video') await writer.write(event.frame); // awaiting keeps memory bounded on a slow disk
  }
} finally {
  await writer.close();
}
console.error(`${output}: ${writer.framesWritten} frames`);
