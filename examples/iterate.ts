/**
 * Prints every event of a session as one JSON line (binary data as its size):
 *   npx tsx examples/iterate.ts rtsp://user:pass@127.0.0.1:8554/cam
 * Ctrl-C aborts: the session sends TEARDOWN and the last line is the `closed` event.
 */
import { RtspSession } from '../src/index.js';

const url = process.argv[2];
if (url === undefined) throw new Error('usage: iterate.ts rtsp://[user:pass@]host[:port]/path');

const controller = new AbortController();
process.once('SIGINT', () => controller.abort());

/** `this[key]` is the value before Buffer's toJSON ran. */
function bytesAsSize(this: Record<string, unknown>, key: string, value: unknown): unknown {
  const original = this[key];
  return original instanceof Uint8Array ? `<${original.byteLength} bytes>` : value;
}

for await (const event of new RtspSession(url, { signal: controller.signal })) {
  console.log(JSON.stringify(event, bytesAsSize));
}
