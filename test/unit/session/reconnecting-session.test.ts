import { describe, expect, it } from 'vitest';
import {
  ErrorCodes,
  RtspAuthError,
  RtspConnectionError,
  RtspTimeoutError,
} from '../../../src/errors.js';
import type { RtspEvent } from '../../../src/events/types.js';
import type { RtspSessionOptions } from '../../../src/session/options.js';
import {
  backoffDelayMs,
  ReconnectingSession,
  type ReconnectableSession,
  type ReconnectHooks,
  type ReconnectingSessionOptions,
} from '../../../src/session/reconnecting-session.js';
import type { SessionState } from '../../../src/session/state.js';

/** What one scripted session does: yield these events, then end (or reject with `fail`). */
interface Script {
  events: RtspEvent[];
  fail?: Error;
}

const at = { sessionElapsedMs: 0 };
const timings = { methods: {} };
const rtsp = (method: string, status = 200): RtspEvent => ({
  ...at,
  type: 'rtsp',
  method,
  url: 'rtsp://cam/',
  status,
  reason: 'OK',
  elapsedMs: 1,
  cseq: 1,
  headers: {},
});
const video = (timestamp: number, pts: number): RtspEvent => ({
  ...at,
  type: 'video',
  track: 0,
  frame: {
    codec: 'h264',
    data: new Uint8Array(1),
    timestamp,
    pts,
    keyframe: true,
    discontinuity: false,
    receivedAt: 0,
  },
});
const played = (base: number, frames: number, closed: RtspEvent): Script => ({
  events: [
    rtsp('OPTIONS'),
    rtsp('DESCRIBE'),
    rtsp('SETUP'),
    rtsp('PLAY'),
    ...Array.from({ length: frames }, (_, i) => video(base + 3600 * i, i / 25)),
    closed,
  ],
});
const dropped = (error?: RtspConnectionError): RtspEvent => ({
  ...at,
  type: 'closed',
  reason: error ? 'error' : 'server-closed',
  error,
  timings,
});
const refused = (): Script => {
  const error = new RtspConnectionError('connect ECONNREFUSED 127.0.0.1:554', { phase: 'connect' });
  return { events: [{ ...at, type: 'closed', reason: 'error', error, timings }], fail: error };
};

class ScriptedSession implements ReconnectableSession {
  state: SessionState = 'idle';
  closed = false;
  readonly #script: Script;
  constructor(script: Script) {
    this.#script = script;
  }
  async *[Symbol.asyncIterator](): AsyncIterator<RtspEvent> {
    this.state = 'playing';
    await Promise.resolve(); // a session's first event comes after a turn of the event loop
    for (const event of this.#script.events) {
      if (this.closed) break;
      // A fresh object per yield, as a real session emits (the wrapper rewrites frames in place).
      yield event.type === 'video' ? { ...event, frame: { ...event.frame } } : { ...event };
    }
    if (this.closed) yield { ...at, type: 'closed', reason: 'teardown', timings };
    this.state = 'closed';
    if (this.#script.fail !== undefined && !this.closed) throw this.#script.fail;
  }
  close(): Promise<void> {
    this.closed = true;
    return Promise.resolve();
  }
  async pause(): Promise<void> {}
  async play(): Promise<void> {}
}

/** A wrapper over scripted sessions with a fake clock: sleeping advances it. */
function scripted(scripts: Script[], options: ReconnectingSessionOptions = {}) {
  let clock = 0;
  const sleeps: number[] = [];
  const created: RtspSessionOptions[] = [];
  const hooks: Partial<ReconnectHooks> = {
    createSession: (_url, sessionOptions) => {
      created.push(sessionOptions);
      const script = scripts.shift();
      if (script === undefined) throw new Error('test script exhausted');
      return new ScriptedSession(script);
    },
    sleep: (ms) => {
      sleeps.push(ms);
      clock += ms;
      return Promise.resolve();
    },
    random: () => 0.5,
    now: () => clock,
  };
  const session = new ReconnectingSession(
    'rtsp://cam/',
    { ...options, reconnect: { initialDelayMs: 100, ...options.reconnect } },
    hooks,
  );
  return { session, sleeps, created };
}

async function collect(
  session: ReconnectingSession,
): Promise<{ events: RtspEvent[]; error: unknown }> {
  const events: RtspEvent[] = [];
  try {
    for await (const event of session) events.push(event);
  } catch (error) {
    return { events, error };
  }
  return { events, error: undefined };
}

const kinds = (events: RtspEvent[]): string[] =>
  events.flatMap((event) =>
    event.type === 'video' || event.type === 'rtsp'
      ? []
      : [
          event.type === 'reconnecting'
            ? `reconnecting#${event.attempt}`
            : event.type === 'reconnected'
              ? `reconnected#${event.attempt}`
              : event.type,
        ],
  );

describe('backoffDelayMs', () => {
  const policy = { initialDelayMs: 500, maxDelayMs: 30_000, factor: 2, jitter: 0.2 };

  it('doubles from the initial delay and stops at the cap (random 0.5 = no jitter)', () => {
    expect([1, 2, 3, 4, 7, 20].map((attempt) => backoffDelayMs(policy, attempt, 0.5))).toEqual([
      500, 1000, 2000, 4000, 30_000, 30_000,
    ]);
  });

  it('jitters by ± the fraction, never above the cap', () => {
    expect(backoffDelayMs(policy, 1, 0)).toBe(400);
    expect(backoffDelayMs(policy, 1, 0.999_999)).toBe(600);
    expect(backoffDelayMs(policy, 10, 0.999_999)).toBe(30_000);
    expect(backoffDelayMs(policy, 10, 0)).toBe(24_000);
  });
});

describe('ReconnectingSession', () => {
  it('after a drop: reconnecting, then reconnected after the new PLAY; the inner closed is not forwarded', async () => {
    const { session, sleeps } = scripted(
      [
        played(1000, 3, dropped()),
        refused(),
        played(5_000_000, 3, dropped()),
        refused(),
        refused(),
      ],
      { reconnect: { maxAttempts: 2 } },
    );
    const { events, error } = await collect(session);
    expect(error).toBeUndefined();
    expect(kinds(events)).toEqual([
      'reconnecting#1',
      'reconnecting#2',
      'reconnected#2',
      'reconnecting#1',
      'reconnecting#2',
      'closed',
    ]);
    expect(sleeps).toEqual([100, 200, 100, 200]);
    const reconnecting = events.find((event) => event.type === 'reconnecting');
    expect(reconnecting).toMatchObject({ attempt: 1, delayMs: 100 });
    expect(reconnecting?.type === 'reconnecting' && reconnecting.error).toBeInstanceOf(
      RtspConnectionError,
    );
  });

  it('keeps pts and timestamps monotonic across sessions, one frame step apart, and flags the first new frame', async () => {
    const { session } = scripted([
      played(1000, 3, dropped()),
      played(9_000_000, 3, { ...at, type: 'closed', reason: 'teardown', timings }),
    ]);
    const { events } = await collect(session);
    const frames = events.flatMap((event) => (event.type === 'video' ? [event.frame] : []));
    expect(frames.map((frame) => frame.pts)).toEqual(
      [0, 0.04, 0.08, 0.12, 0.16, 0.2].map((value) => expect.closeTo(value, 9)),
    );
    expect(frames.map((frame) => frame.timestamp)).toEqual([
      1000, 4600, 8200, 11_800, 15_400, 19_000,
    ]);
    expect(frames.map((frame) => frame.discontinuity)).toEqual([
      false,
      false,
      false,
      true,
      false,
      false,
    ]);
    expect(events.at(-1)).toMatchObject({ type: 'closed', reason: 'teardown' });
  });

  it('gives up after maxAttempts with a closed event carrying the last error', async () => {
    const { session, sleeps } = scripted(
      [played(0, 1, dropped()), refused(), refused(), refused()],
      { reconnect: { maxAttempts: 3 } },
    );
    const { events, error } = await collect(session);
    expect(error).toBeUndefined();
    expect(kinds(events)).toEqual(['reconnecting#1', 'reconnecting#2', 'reconnecting#3', 'closed']);
    expect(sleeps).toEqual([100, 200, 400]);
    expect(events.at(-1)).toMatchObject({
      type: 'closed',
      reason: 'error',
      error: { code: ErrorCodes.ERR_RTSP_CONNECTION },
    });
  });

  it('gives up when the next wait would pass maxElapsedMs since the drop', async () => {
    const { session, sleeps } = scripted([played(0, 1, dropped()), refused(), refused()], {
      reconnect: { maxElapsedMs: 350 },
    });
    const { events } = await collect(session);
    // 100 + 200 = 300 ms spent; the next wait (400) would end at 700 > 350.
    expect(sleeps).toEqual([100, 200]);
    expect(events.at(-1)).toMatchObject({ type: 'closed', reason: 'error' });
  });

  it('does not retry what another attempt cannot fix (credentials rejected)', async () => {
    const auth = new RtspAuthError('DESCRIBE 401 Unauthorized: credentials rejected', {
      status: 401,
    });
    const { session, sleeps } = scripted([
      played(0, 1, dropped()),
      { events: [{ ...at, type: 'closed', reason: 'error', error: auth, timings }], fail: auth },
    ]);
    const { events } = await collect(session);
    expect(kinds(events)).toEqual(['reconnecting#1', 'closed']);
    expect(sleeps).toEqual([100]);
    expect(events.at(-1)).toMatchObject({ reason: 'error', error: auth });
  });

  it('a failure before the first PLAY rejects the iteration, as RtspSession does, without retrying', async () => {
    const timeout = new RtspTimeoutError('connect timed out', 5000, { phase: 'connect' });
    const { session, sleeps } = scripted([
      {
        events: [{ ...at, type: 'closed', reason: 'timeout', error: timeout, timings }],
        fail: timeout,
      },
    ]);
    const { events, error } = await collect(session);
    expect(error).toBe(timeout);
    expect(sleeps).toEqual([]);
    expect(events).toEqual([expect.objectContaining({ type: 'closed', reason: 'timeout' })]);
  });

  it('close() during a wait ends with closed teardown and starts no new session', async () => {
    const created: number[] = [];
    const session: ReconnectingSession = new ReconnectingSession(
      'rtsp://cam/',
      {},
      {
        createSession: () => {
          created.push(created.length);
          return new ScriptedSession(played(0, 1, dropped()));
        },
        sleep: async () => void (await session.close()),
        random: () => 0.5,
        now: () => 0,
      },
    );
    const { events } = await collect(session);
    expect(kinds(events)).toEqual(['reconnecting#1', 'closed']);
    expect(events.at(-1)).toMatchObject({ type: 'closed', reason: 'teardown' });
    expect(created).toHaveLength(1);
    expect(session.state).toBe('closed');
  });

  it('passes the session options through, without the reconnect policy', async () => {
    const { session, created } = scripted(
      [played(0, 1, { ...at, type: 'closed', reason: 'teardown', timings })],
      { transport: 'udp', timeoutMs: 1234 },
    );
    await collect(session);
    expect(created[0]).toEqual({ transport: 'udp', timeoutMs: 1234 });
  });

  it('rejects a bad policy with ERR_RTSP_INVALID_ARGUMENT', () => {
    expect(() => new ReconnectingSession('rtsp://cam/', { reconnect: { factor: 0.5 } })).toThrow(
      expect.objectContaining({ code: ErrorCodes.ERR_RTSP_INVALID_ARGUMENT }),
    );
    expect(() => new ReconnectingSession('rtsp://cam/', { reconnect: { jitter: 2 } })).toThrow(
      /reconnect\.jitter/,
    );
  });
});
