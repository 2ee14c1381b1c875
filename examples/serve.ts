/**
 * Serves the .mp4, .m4a, .wav and .mjpeg files of a directory over RTSP for a
 * number of seconds (default 60) or until Ctrl-C, no camera needed:
 *   npx tsx examples/serve.ts test/fixtures [port] [seconds]
 *   ffplay rtsp://127.0.0.1:8554/h264-aac.mp4
 * Port 0 picks a free one. `?play_count=0` on a URL loops the file forever.
 */
import { once } from 'node:events';
import { readdir } from 'node:fs/promises';
import { serve } from 'rtspkit';

const [root, port = '8554', seconds = '60'] = process.argv.slice(2);
if (root === undefined || !(Number(seconds) > 0))
  throw new Error('usage: serve.ts DIR [port] [seconds]');

const server = await serve(root, { host: '127.0.0.1', port: Number(port) });
console.log(`serving ${root} at rtsp://${server.host}:${server.port}/`);
for (const file of (await readdir(root, { recursive: true })).sort())
  if (/\.(mp4|m4a|wav|mjpeg)$/.test(file)) console.log(`  ${server.url(file)}`);

const stop = new AbortController();
process.once('SIGINT', () => stop.abort());
setTimeout(() => stop.abort(), Number(seconds) * 1000).unref();
await once(stop.signal, 'abort');

await server.close(); // ends every session (each client gets its `closed` event)
console.log(`stopped after ${server.stats.sessions} session(s)`);
