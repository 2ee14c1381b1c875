/**
 * Start-up client: RtspSessions timed from their own connect to the PLAY
 * response and to the first keyframe reaching the `for await` loop. Two in a
 * row: the first runs cold (a fresh process: code not yet compiled by V8), the
 * second warm (as camera N+1 of a running program).
 * Usage: clients/startup-client.ts URL. Message: → startup {cold, warm}.
 */
import { loadRtspkit } from '../lib/dist.js';
import { toParent } from '../lib/child.js';

const { RtspSession } = await loadRtspkit();

interface StartupTimes {
  tcpConnectMs: number;
  /** Request written → response parsed, per method (the session's own `rtsp` events). */
  exchangeMs: Record<string, number>;
  connectToPlayMs: number;
  connectToKeyframeMs: number;
  playToKeyframeMs: number;
}

async function timeOneSession(url: string): Promise<StartupTimes> {
  // Taken before the constructor, which starts the session's clock: the `sessionElapsedMs` of its
  // events and this loop's own readings (keyframe delivered) are then on one clock.
  const createdAt = performance.now();
  const session = new RtspSession(url, { transport: 'tcp', audio: false });
  let connectStart = Number.NaN;
  let tcpConnectMs = Number.NaN;
  let playResponse = Number.NaN;
  const exchangeMs: Record<string, number> = {};
  for await (const event of session) {
    if (event.type === 'connect') {
      tcpConnectMs = event.elapsedMs;
      connectStart = event.sessionElapsedMs - event.elapsedMs;
    } else if (event.type === 'rtsp') {
      exchangeMs[event.method] = event.elapsedMs;
      if (event.method === 'PLAY') playResponse = event.sessionElapsedMs;
    } else if (event.type === 'video' && event.frame.keyframe) {
      const keyframe = performance.now() - createdAt;
      return {
        tcpConnectMs,
        exchangeMs,
        connectToPlayMs: playResponse - connectStart,
        connectToKeyframeMs: keyframe - connectStart,
        playToKeyframeMs: keyframe - playResponse,
      }; // leaving the loop closes the session (TEARDOWN)
    }
  }
  throw new Error('the session ended before a keyframe');
}

const url = process.argv[2]!;
const cold = await timeOneSession(url);
const warm = await timeOneSession(url);
toParent({ type: 'startup', cold, warm });
process.exit(0);
