/**
 * Prints every event of a session as one JSON line (binary data as its size)
 * until a number of video frames arrived (default 100):
 *   npx tsx examples/iterate.ts rtsp://user:pass@127.0.0.1:8554/cam [frames]
 * Aborting the signal (after the last frame, or on Ctrl-C) sends TEARDOWN; the
 * last line is the `closed` event.
 */
import { RtspSession } from 'rtspkit';

const [url, frames = '100'] = process.argv.slice(2);
if (url === undefined || !(Number(frames) > 0))
  throw new Error('usage: iterate.ts rtsp://[user:pass@]host[:port]/path [frames]');

const controller = new AbortController();
process.once('SIGINT', () => controller.abort());

/** `this[key]` is the value before Buffer's toJSON ran. */
function bytesAsSize(this: Record<string, unknown>, key: string, value: unknown): unknown {
  const original = this[key];
  return original instanceof Uint8Array ? `<${original.byteLength} bytes>` : value;
}

let videoFrames = 0;
for await (const event of new RtspSession(url, { signal: controller.signal })) {
  console.log(JSON.stringify(event, bytesAsSize));
  if (event.type === 'video' && ++videoFrames === Number(frames)) controller.abort();
}
