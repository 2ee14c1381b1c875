/**
 * One fault scenario end to end: a fresh simulator on its own port, a client
 * session against it, the events it yielded, and what it left behind: active
 * handles (sockets, timers) after everything closed, and the peak RSS growth
 * while it ran. RTP events are counted, not kept, so a hostile stream cannot
 * grow the test's own memory.
 */
import type { ClosedEvent, RtspEvent, TrackStats } from '../../src/events/types.js';
import type { RtspSessionOptions } from '../../src/session/options.js';
import { RtspSession } from '../../src/session/session.js';
import { collectGarbage, resourceCounts } from './process-probe.js';
import { startCameraSimulator, type CameraSimulator, type SimOptions } from './camera-simulator.js';

/** The bound the issue sets for every fault: RSS at most this much above the baseline. */
export const RSS_BOUND_BYTES = 50 * 1024 * 1024;
const RSS_SAMPLE_MS = 50;
/** Sockets close asynchronously: how long to wait for their handles to go. */
const HANDLE_SETTLE_MS = 1000;

/** Something to iterate and close: RtspSession or ReconnectingSession. */
export interface EventSource extends AsyncIterable<RtspEvent> {
  close(): Promise<void>;
}

export type StopWhen = (event: RtspEvent, kept: readonly RtspEvent[]) => boolean;

export interface SessionRun {
  /** Every event but `rtp`, in order. */
  events: RtspEvent[];
  rtpEvents: number;
  /** What the iteration rejected with (a failure before PLAY), if it did. */
  error: unknown;
  closed: ClosedEvent | undefined;
  /** The last `stats` event's track, by index. */
  lastStats(track?: number): TrackStats | undefined;
  ofType<T extends RtspEvent['type']>(type: T): Extract<RtspEvent, { type: T }>[];
  /** `METHOD status` of each `rtsp` event. */
  exchanges(): string[];
}

/** Iterates until `stop` says so or `maxMs` passed, then closes and drains the rest. */
export async function runSession(
  source: EventSource,
  options: { stop?: StopWhen; maxMs: number },
): Promise<SessionRun> {
  const events: RtspEvent[] = [];
  let rtpEvents = 0;
  let error: unknown;
  const iterator = source[Symbol.asyncIterator]();
  let stopping = false;
  const timer = setTimeout(() => {
    stopping = true;
    void source.close();
  }, options.maxMs);
  try {
    for (let next = await iterator.next(); next.done !== true; next = await iterator.next()) {
      const event = next.value;
      if (event.type === 'rtp') rtpEvents++;
      else events.push(event);
      if (!stopping && options.stop?.(event, events) === true) {
        stopping = true;
        void source.close();
      }
    }
  } catch (caught) {
    error = caught;
  } finally {
    clearTimeout(timer);
    await source.close();
  }
  const ofType = <T extends RtspEvent['type']>(type: T): Extract<RtspEvent, { type: T }>[] =>
    events.filter((event): event is Extract<RtspEvent, { type: T }> => event.type === type);
  return {
    events,
    rtpEvents,
    error,
    closed: ofType('closed').at(-1),
    ofType,
    lastStats: (track = 0) =>
      ofType('stats')
        .at(-1)
        ?.tracks.find((each) => each.track === track),
    exchanges: () => ofType('rtsp').map((event) => `${event.method} ${event.status}`),
  };
}

export const videoFrames =
  (count: number): StopWhen =>
  (event, kept) =>
    event.type === 'video' && kept.filter((each) => each.type === 'video').length >= count;

/** Stop at the first stats event that satisfies `test` (stats come every statsIntervalMs). */
export const statsWhere =
  (test: (stats: TrackStats) => boolean): StopWhen =>
  (event) =>
    event.type === 'stats' && event.tracks.some(test);

// ---- what a run leaves behind ----

export { resourceCounts };

/** Kinds with more active resources than in `before`, once closing sockets had time to go. */
export async function leakedResources(
  before: Map<string, number>,
): Promise<Record<string, number>> {
  const until = performance.now() + HANDLE_SETTLE_MS;
  for (;;) {
    const leaked: Record<string, number> = {};
    for (const [name, count] of resourceCounts()) {
      const extra = count - (before.get(name) ?? 0);
      if (extra > 0) leaked[name] = extra;
    }
    if (Object.keys(leaked).length === 0 || performance.now() > until) return leaked;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Samples RSS until stopped; `stop()` gives the peak growth over the baseline taken at start. */
export function watchRss(): { stop(): number } {
  collectGarbage();
  const baseline = process.memoryUsage.rss();
  let peak = baseline;
  const sampler = setInterval(
    () => (peak = Math.max(peak, process.memoryUsage.rss())),
    RSS_SAMPLE_MS,
  );
  return {
    stop() {
      clearInterval(sampler);
      peak = Math.max(peak, process.memoryUsage.rss());
      return peak - baseline;
    },
  };
}

export interface FaultRun extends SessionRun {
  sim: CameraSimulator;
  /** Peak RSS above the baseline while the scenario ran. */
  rssGrowthBytes: number;
  /** Handles still open after the session and the simulator closed. */
  leaked: Record<string, number>;
}

/** Simulator + RtspSession + run + cleanup checks, for one fault. */
export async function faultRun(
  simOptions: SimOptions,
  sessionOptions: RtspSessionOptions & { path?: string },
  run: { stop?: StopWhen; maxMs: number },
): Promise<FaultRun> {
  const before = resourceCounts();
  const rss = watchRss();
  const sim = await startCameraSimulator(simOptions);
  const { path, ...options } = sessionOptions;
  let result: SessionRun;
  try {
    const session = new RtspSession(sim.url(path), {
      timeoutMs: 2000,
      statsIntervalMs: 250,
      ...options,
    });
    result = await runSession(session, run);
  } finally {
    await sim.close();
  }
  const rssGrowthBytes = rss.stop();
  return { ...result, sim, rssGrowthBytes, leaked: await leakedResources(before) };
}
