/**
 * The rtspkit fleet: N RtspSessions in this one process, each a `for await`
 * loop that takes its video and audio frames, as an NVR-style program would.
 * Usage: clients/fleet-client.ts URL N tcp|udp
 * Messages: start → started {sessions, failed}; window-start; window-end → window {...}; stop.
 */
import { setMaxListeners } from 'node:events';
import { loadRtspkit } from '../lib/dist.js';
import { fromParent, toParent } from '../lib/child.js';
import { startWindowProfile, stopWindowProfile } from '../lib/window-profile.js';
import { LatencySamples } from '../fleet/latency-clock.js';
import { percentile } from '../lib/stats.js';
import type { RtspSession as Session, TrackStats } from '../../src/index.js';

const { RtspSession } = await loadRtspkit();
const [url, count, transport] = process.argv.slice(2);
const sessionCount = Number(count);
const stop = new AbortController();
// One signal stops every session: each adds its listener.
setMaxListeners(sessionCount + 10, stop.signal);

/** Counters of the measurement window (reset at its start). */
const window = { open: false, videoFrames: 0, audioFrames: 0, latencies: new LatencySamples() };
/** Latest cumulative stats per session and track. */
const latestStats: TrackStats[][] = [];
let closedEarly = 0;
const errors = new Set<string>();

async function runSession(session: Session, index: number, playing: () => void): Promise<void> {
  let started = false;
  for await (const event of session) {
    if (event.type === 'video') {
      if (window.open) {
        window.videoFrames++;
        window.latencies.add(event.frame.receivedAt);
      }
    } else if (event.type === 'audio') {
      if (window.open) window.audioFrames++;
    } else if (event.type === 'rtsp') {
      if (event.method === 'PLAY' && !started) {
        started = true;
        playing();
      }
    } else if (event.type === 'stats') {
      latestStats[index] = event.tracks;
    } else if (event.type === 'closed' && !stop.signal.aborted) {
      closedEarly++;
      errors.add(event.error?.message ?? event.reason);
    }
  }
}

function totals(): { packets: number; lost: number; eventsDropped: number; framesDropped: number } {
  const sum = { packets: 0, lost: 0, eventsDropped: 0, framesDropped: 0 };
  for (const tracks of latestStats) {
    for (const t of tracks ?? []) {
      sum.packets += t.packets;
      sum.lost += t.lost;
      sum.eventsDropped += t.eventsDropped;
      sum.framesDropped += t.framesDropped;
    }
  }
  return sum;
}

async function start(): Promise<void> {
  let playing = 0;
  let failed = 0;
  let allSettled: () => void = () => {};
  const allPlaying = new Promise<void>((resolve) => (allSettled = resolve));
  const settle = (): void => {
    if (playing + failed === sessionCount) allSettled();
  };
  for (let i = 0; i < sessionCount; i++) {
    const session = new RtspSession(url!, {
      transport: transport === 'udp' ? 'udp' : 'tcp',
      signal: stop.signal,
      timeoutMs: 10_000,
    });
    runSession(session, i, () => {
      playing++;
      settle();
    }).catch((error: unknown) => {
      errors.add(error instanceof Error ? error.message : String(error));
      failed++;
      settle();
    });
    // Staggered a little, as cameras come online: 200 SYNs at once only measure the accept queue.
    if (i % 10 === 9) await new Promise((resolve) => setTimeout(resolve, 20));
  }
  await allPlaying;
  toParent({ type: 'started', sessions: playing, failed, errors: [...errors] });
}

let atWindowStart = totals();
fromParent((message) => {
  switch (message.type) {
    case 'start':
      void start();
      break;
    case 'window-start':
      atWindowStart = totals();
      window.videoFrames = 0;
      window.audioFrames = 0;
      window.latencies = new LatencySamples();
      window.open = true;
      void startWindowProfile();
      break;
    case 'window-end': {
      window.open = false;
      const end = totals();
      const { sorted, driftMs } = window.latencies.finish();
      toParent({
        type: 'window',
        videoFrames: window.videoFrames,
        audioFrames: window.audioFrames,
        packets: end.packets - atWindowStart.packets,
        lost: end.lost - atWindowStart.lost,
        eventsDropped: end.eventsDropped - atWindowStart.eventsDropped,
        framesDropped: end.framesDropped - atWindowStart.framesDropped,
        latencyMs: {
          p50: percentile(sorted, 50),
          p99: percentile(sorted, 99),
          max: sorted[sorted.length - 1] ?? Number.NaN,
        },
        clockDriftMs: driftMs,
        closedEarly,
        errors: [...errors].slice(0, 5),
      });
      void stopWindowProfile();
      break;
    }
    case 'stop':
      stop.abort();
      setTimeout(() => process.exit(0), 3000).unref();
      break;
    default:
      break;
  }
});
toParent({ type: 'ready' });
