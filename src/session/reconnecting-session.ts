/**
 * ReconnectingSession: an RtspSession that, once it has played, starts a new
 * session after a drop (server closed or reset the connection, went silent,
 * failed mid-stream) with exponential backoff and jitter, until a budget of
 * attempts or time runs out. Opt-in: a plain RtspSession never reconnects.
 *
 * It yields every event of every session in turn, but an inner `closed` only
 * when it gives up or is closed; in between come `reconnecting` (before each
 * wait) and `reconnected` (after PLAY of the new session). Frame timestamps
 * and pts continue across sessions (the new session's frames are offset to
 * follow the last frame by one frame duration) and the first frame after a
 * reconnect has `discontinuity: true`. `sessionElapsedMs` counts from the
 * wrapper's start. Stats and timings are those of the current session.
 */
import {
  ErrorCodes,
  RtspAuthError,
  RtspConnectionError,
  RtspError,
  RtspStateError,
} from '../errors.js';
import type { AudioFrame, ClosedEvent, RtspEvent, VideoFrame } from '../events/types.js';
import type { RtspSessionOptions } from './options.js';
import { RtspSession } from './session.js';
import type { SessionState } from './state.js';

export interface ReconnectPolicy {
  /** Wait before the first attempt after a drop (default 500). */
  initialDelayMs?: number;
  /** Longest wait between attempts (default 30000). */
  maxDelayMs?: number;
  /** Each wait is this many times the one before (default 2). */
  factor?: number;
  /** Each wait is randomised by ± this fraction, so cameras behind one NVR are not hit at once (default 0.2). */
  jitter?: number;
  /** Attempts after one drop before giving up (default Infinity). */
  maxAttempts?: number;
  /** Time after a drop before giving up, waits included (default Infinity). */
  maxElapsedMs?: number;
  /** Whether a failure is worth another attempt (default: all but authentication and bad options). */
  retryable?: (error: RtspError) => boolean;
}

export interface ReconnectingSessionOptions extends RtspSessionOptions {
  reconnect?: ReconnectPolicy;
}

/** What the wrapper needs of each session: RtspSession, or a fake in tests. */
export interface ReconnectableSession extends AsyncIterable<RtspEvent> {
  readonly state: SessionState;
  close(): Promise<void>;
  pause(): Promise<void>;
  play(): Promise<void>;
}

/** Injectable for tests: how sessions are made, how time passes. */
export interface ReconnectHooks {
  createSession(url: string, options: RtspSessionOptions): ReconnectableSession;
  /** Resolves after `ms`, or early once `signal` aborts. */
  sleep(ms: number, signal: AbortSignal): Promise<void>;
  /** Uniform in [0, 1). */
  random(): number;
  /** Monotonic milliseconds. */
  now(): number;
}

const defaultHooks: ReconnectHooks = {
  createSession: (url, options) => new RtspSession(url, options),
  sleep: (ms, signal) =>
    new Promise<void>((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        signal.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      signal.addEventListener('abort', done, { once: true });
    }),
  random: Math.random,
  now: () => performance.now(),
};

/** Failures another attempt cannot fix: the camera said no to these credentials, or the options are wrong. */
const PERMANENT_CODES: ReadonlySet<string> = new Set([
  ErrorCodes.ERR_RTSP_AUTH,
  ErrorCodes.ERR_RTSP_UNSUPPORTED,
  ErrorCodes.ERR_RTSP_INVALID_ARGUMENT,
  ErrorCodes.ERR_RTSP_STATE,
]);

function defaultRetryable(error: RtspError): boolean {
  return !(error instanceof RtspAuthError) && !PERMANENT_CODES.has(error.code);
}

type ResolvedPolicy = Required<ReconnectPolicy>;

function invalid(message: string): RtspError {
  return new RtspError(`invalid option reconnect.${message}`, ErrorCodes.ERR_RTSP_INVALID_ARGUMENT);
}

function resolvePolicy(policy: ReconnectPolicy = {}): ResolvedPolicy {
  const number = (
    name: keyof ReconnectPolicy,
    fallback: number,
    min: number,
    max = Infinity,
  ): number => {
    const value = policy[name] ?? fallback;
    if (typeof value !== 'number' || Number.isNaN(value) || value < min || value > max)
      throw invalid(`${name}: expected a number in [${min}, ${max}], got ${String(value)}`);
    return value;
  };
  const resolved: ResolvedPolicy = {
    initialDelayMs: number('initialDelayMs', 500, 0),
    maxDelayMs: number('maxDelayMs', 30_000, 0),
    factor: number('factor', 2, 1),
    jitter: number('jitter', 0.2, 0, 1),
    maxAttempts: number('maxAttempts', Infinity, 1),
    maxElapsedMs: number('maxElapsedMs', Infinity, 0),
    retryable: policy.retryable ?? defaultRetryable,
  };
  if (typeof resolved.retryable !== 'function') throw invalid('retryable: expected a function');
  return resolved;
}

/** The wait before attempt `attempt` (1-based): exponential, capped, then jittered below the cap. */
export function backoffDelayMs(
  policy: Required<Pick<ReconnectPolicy, 'initialDelayMs' | 'maxDelayMs' | 'factor' | 'jitter'>>,
  attempt: number,
  random: number,
): number {
  const { initialDelayMs, maxDelayMs, factor, jitter } = policy;
  const base = Math.min(maxDelayMs, initialDelayMs * factor ** (attempt - 1));
  return Math.round(Math.min(maxDelayMs, base * (1 + jitter * (2 * random - 1))));
}

/**
 * One track's timeline across sessions. Each session starts its pts at 0 and
 * its timestamps at a random RTP base; after a reconnect both are shifted to
 * continue one frame duration after the last frame yielded.
 */
class ContinuousTimeline {
  #ptsOffset = 0;
  #timestampOffset = 0;
  #lastPts: number | undefined;
  #lastTimestamp = 0;
  #ptsStep = 0;
  #timestampStep = 0;
  #rejoin = false;

  /** The next frame comes from a new session. */
  reconnected(): void {
    this.#rejoin = this.#lastPts !== undefined;
  }

  /** Rewrites the frame in place: it is a fresh object the session handed over. */
  apply(frame: VideoFrame | AudioFrame): void {
    if (this.#rejoin) {
      this.#rejoin = false;
      this.#ptsOffset = this.#lastPts! + this.#ptsStep - frame.pts; // #rejoin implies a last frame
      this.#timestampOffset = this.#lastTimestamp + this.#timestampStep - frame.timestamp;
      frame.discontinuity = true;
    }
    frame.pts += this.#ptsOffset;
    frame.timestamp += this.#timestampOffset;
    if (this.#lastPts !== undefined && frame.pts > this.#lastPts) {
      this.#ptsStep = frame.pts - this.#lastPts;
      this.#timestampStep = frame.timestamp - this.#lastTimestamp;
    } else if ('sampleCount' in frame && this.#ptsStep === 0) {
      // A single audio frame so far: its own duration (ticks of a clock at the sample rate).
      this.#ptsStep = frame.sampleCount / frame.sampleRate;
      this.#timestampStep = frame.sampleCount;
    }
    this.#lastPts = frame.pts;
    this.#lastTimestamp = frame.timestamp;
  }
}

function toRtspError(error: unknown): RtspError {
  if (error instanceof RtspError) return error;
  return new RtspError(
    error instanceof Error ? error.message : String(error),
    ErrorCodes.ERR_RTSP,
    {
      cause: error,
    },
  );
}

const isPlayAnswer = (event: RtspEvent): boolean =>
  event.type === 'rtsp' && event.method === 'PLAY' && event.status >= 200 && event.status <= 299;

export class ReconnectingSession implements AsyncIterable<RtspEvent>, AsyncDisposable {
  readonly #url: string;
  readonly #sessionOptions: RtspSessionOptions;
  readonly #policy: ResolvedPolicy;
  readonly #hooks: ReconnectHooks;
  readonly #startedAt: number;
  /** Aborted by close(): cuts a backoff wait short. */
  readonly #stop = new AbortController();
  readonly #timelines = new Map<string, ContinuousTimeline>();
  #current: ReconnectableSession | undefined;
  #iterating = false;
  #closed = false;

  constructor(
    url: string,
    options: ReconnectingSessionOptions = {},
    hooks: Partial<ReconnectHooks> = {},
  ) {
    const { reconnect, ...sessionOptions } = options;
    this.#policy = resolvePolicy(reconnect);
    this.#url = url;
    this.#sessionOptions = sessionOptions;
    this.#hooks = { ...defaultHooks, ...hooks };
    this.#startedAt = this.#hooks.now();
  }

  /** The current session's state; 'starting' while waiting to reconnect. */
  get state(): SessionState {
    if (this.#closed) return 'closed';
    return this.#current?.state ?? (this.#iterating ? 'starting' : 'idle');
  }

  [Symbol.asyncIterator](): AsyncIterator<RtspEvent> {
    return this.events();
  }

  events(): AsyncGenerator<RtspEvent, void, undefined> {
    if (this.#iterating || this.#closed) throw new RtspStateError('iterate', this.state, ['idle']);
    this.#iterating = true;
    return this.#run();
  }

  /** Closes the current session (TEARDOWN) and stops reconnecting. Idempotent. */
  async close(): Promise<void> {
    this.#closed = true;
    this.#stop.abort();
    await this.#current?.close();
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  pause(): Promise<void> {
    return this.#playing('pause').pause();
  }

  play(): Promise<void> {
    return this.#playing('play').play();
  }

  #playing(operation: string): ReconnectableSession {
    if (this.#current === undefined)
      throw new RtspStateError(operation, this.state, ['playing', 'paused']);
    return this.#current;
  }

  async *#run(): AsyncGenerator<RtspEvent, void, undefined> {
    const userSignal = this.#sessionOptions.signal;
    const waitSignal =
      userSignal === undefined
        ? this.#stop.signal
        : AbortSignal.any([userSignal, this.#stop.signal]);
    let hasPlayed = false;
    let attempt = 0;
    let droppedAt = 0;
    try {
      for (;;) {
        // Taken before the session starts its own clock, so its events never seem later than
        // the wrapper's own (`reconnected` after the PLAY answer).
        const elapsedOffset = this.#hooks.now() - this.#startedAt;
        const session = this.#hooks.createSession(this.#url, this.#sessionOptions);
        this.#current = session;
        for (const timeline of this.#timelines.values()) timeline.reconnected();
        let closed: ClosedEvent | undefined;
        let failure: RtspError | undefined;
        try {
          for await (const event of session) {
            event.sessionElapsedMs += elapsedOffset;
            if (event.type === 'closed') {
              closed = event; // held back: the stream may go on in the next session
              continue;
            }
            if (event.type === 'video' || event.type === 'audio')
              this.#timeline(event).apply(event.frame);
            yield event;
            if (!isPlayAnswer(event)) continue;
            hasPlayed = true;
            if (attempt > 0) {
              yield { type: 'reconnected', sessionElapsedMs: this.#elapsed(), attempt };
              attempt = 0;
            }
          }
        } catch (error) {
          failure = toRtspError(error);
        }
        this.#current = undefined;
        const reason = closed?.reason;
        const ended =
          this.#closed ||
          userSignal?.aborted === true ||
          reason === 'teardown' ||
          reason === 'aborted';
        // Before the first PLAY, a failure is the caller's to see, as with RtspSession.
        if (ended || !hasPlayed) {
          yield closed ?? this.#closedEvent(userSignal?.aborted === true ? 'aborted' : 'teardown');
          if (failure !== undefined && !hasPlayed && !ended) throw failure;
          return;
        }
        const error =
          failure ??
          closed?.error ??
          new RtspConnectionError('the server ended the session', { phase: 'streaming' });
        if (attempt === 0) droppedAt = this.#hooks.now();
        attempt++;
        const delayMs = backoffDelayMs(this.#policy, attempt, this.#hooks.random());
        const spentMs = this.#hooks.now() - droppedAt;
        if (
          !this.#policy.retryable(error) ||
          attempt > this.#policy.maxAttempts ||
          spentMs + delayMs > this.#policy.maxElapsedMs
        ) {
          yield closed ?? this.#closedEvent('error', error);
          return;
        }
        yield { type: 'reconnecting', sessionElapsedMs: this.#elapsed(), attempt, delayMs, error };
        await this.#hooks.sleep(delayMs, waitSignal);
        if (waitSignal.aborted) {
          yield this.#closedEvent(this.#closed ? 'teardown' : 'aborted');
          return;
        }
      }
    } finally {
      // Also when the consumer leaves the loop early.
      this.#closed = true;
      await this.#current?.close();
    }
  }

  #timeline(event: { type: 'video' | 'audio'; track: number }): ContinuousTimeline {
    const key = `${event.type}:${event.track}`;
    let timeline = this.#timelines.get(key);
    if (timeline === undefined) {
      timeline = new ContinuousTimeline();
      this.#timelines.set(key, timeline);
    }
    return timeline;
  }

  #elapsed(): number {
    return this.#hooks.now() - this.#startedAt;
  }

  #closedEvent(reason: ClosedEvent['reason'], error?: RtspError): ClosedEvent {
    const event: ClosedEvent = {
      type: 'closed',
      sessionElapsedMs: this.#elapsed(),
      reason,
      timings: { methods: {} },
    };
    if (error !== undefined) event.error = error;
    return event;
  }
}
