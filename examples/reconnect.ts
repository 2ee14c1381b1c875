/**
 * Keeps pulling a camera across drops (restarts, network cuts, a server that
 * ends the stream) for a number of seconds (default 60) or until Ctrl-C:
 *   npx tsx examples/reconnect.ts rtsp://user:pass@192.168.1.20/stream1 [seconds]
 * After a drop a new session starts after 0.5 s, 1 s, 2 s, ... (at most 10 s
 * apart, ± 20% jitter) until 5 minutes have passed; frame timestamps continue
 * across sessions. A wrong password is not retried.
 */
import { ReconnectingSession } from 'rtspkit';

const [url, seconds = '60'] = process.argv.slice(2);
if (url === undefined || !(Number(seconds) > 0))
  throw new Error('usage: reconnect.ts rtsp://[user:pass@]host[:port]/path [seconds]');

const controller = new AbortController();
process.once('SIGINT', () => controller.abort());
setTimeout(() => controller.abort(), Number(seconds) * 1000).unref();

const session = new ReconnectingSession(url, {
  signal: controller.signal,
  reconnect: { initialDelayMs: 500, maxDelayMs: 10_000, maxElapsedMs: 5 * 60_000 },
});
let frames = 0;
let lastPts = 0;
/** Until the first frame of the next session, which may come before its `reconnected` event. */
let reconnecting = false;
for await (const event of session) {
  if (event.type === 'reconnecting') {
    console.log(
      `stream lost (${event.error?.message ?? 'no error given'}), attempt ${event.attempt} in ${event.delayMs} ms`,
    );
    reconnecting = true;
  } else if (event.type === 'reconnected') {
    console.log(`reconnected at attempt ${event.attempt}`);
  } else if (event.type === 'video') {
    frames++;
    lastPts = event.frame.pts;
    if (reconnecting) {
      // The first frame of the new session follows the last one, flagged as a discontinuity.
      console.log(
        `first frame after reconnecting: pts ${lastPts.toFixed(2)} s, discontinuity ${event.frame.discontinuity}`,
      );
      reconnecting = false;
    }
  } else if (event.type === 'closed') {
    console.log(
      `closed: ${event.reason}${event.error ? ` (${event.error.message})` : ''}; ${frames} video frames up to pts ${lastPts.toFixed(2)} s`,
    );
  }
}
