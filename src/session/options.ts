/**
 * RtspSession options (DESIGN.md §1) and their validation: a bad
 * option throws RtspError ERR_RTSP_INVALID_ARGUMENT from the constructor.
 */
import { ErrorCodes, RtspError } from '../errors.js';
import { defaultQueueLimits } from '../events/queue.js';
import type { Logger } from '../logger.js';
import type { Credentials } from '../rtsp/authenticator.js';
import type { Connector, TlsOptions } from '../transport/connect.js';
import { resolveQuirks, type QuirkPolicies } from './quirks.js';

export type TransportPreference = 'tcp' | 'udp' | 'auto';

export interface RtspSessionOptions {
  /** 'tcp' (interleaved, default), 'udp', or 'auto' (UDP, falling back to TCP on 461 or silence). */
  transport?: TransportPreference;
  /** Connect, each request, and the no-data watchdog (default 5000). */
  timeoutMs?: number;
  /** Set up video tracks (default true). */
  video?: boolean;
  /** Set up audio tracks (default true). */
  audio?: boolean;
  /** Aborting ends the iteration with a `closed` event ('aborted'). */
  signal?: AbortSignal;
  /** Any pino-compatible logger; default silent. Passwords are never logged. */
  logger?: Logger;
  /** Dial this endpoint instead of the URL's host (relays, tunnels); requests keep the URL. */
  connectTo?: { host: string; port: number };
  /** Alternative to credentials in the URL. */
  credentials?: Credentials;
  /** Answer Basic challenges when the server offers nothing better (default true). */
  allowBasicAuth?: boolean;
  /** rtsps:// only: trusted CAs and verification (on by default). */
  tls?: TlsOptions;
  /** Interval of `stats` events in ms (default 1000; 0 turns them off). */
  statsIntervalMs?: number;
  /** Drop video frames after loss until the next keyframe (default false). */
  waitForKeyframe?: boolean;
  /** Event queue bounds before backpressure (TCP) or dropping media (UDP). */
  queue?: { highWaterMark?: number; highWaterBytes?: number };
  /** User-Agent header (default `rtspkit/<version>`). */
  userAgent?: string;
  /** Opens the control connection (default: node:net / node:tls). For tests and custom tunnels. */
  connect?: Connector;
  /** Camera workarounds, each with a safe default (docs/camera-quirks.md). */
  quirks?: Partial<QuirkPolicies>;
}

export const DEFAULT_USER_AGENT = 'rtspkit/0.1.0';

export interface ResolvedSessionOptions {
  transport: TransportPreference;
  timeoutMs: number;
  video: boolean;
  audio: boolean;
  signal: AbortSignal | undefined;
  logger: Logger | undefined;
  connectTo: { host: string; port: number } | undefined;
  credentials: Credentials | undefined;
  allowBasicAuth: boolean;
  tls: TlsOptions | undefined;
  statsIntervalMs: number;
  waitForKeyframe: boolean;
  highWaterMark: number;
  highWaterBytes: number;
  userAgent: string;
  connect: Connector | undefined;
  quirks: Readonly<QuirkPolicies>;
}

function invalid(message: string): RtspError {
  return new RtspError(`invalid option ${message}`, ErrorCodes.ERR_RTSP_INVALID_ARGUMENT);
}

function optionalBoolean(name: string, value: unknown, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') throw invalid(`${name}: expected a boolean`);
  return value;
}

function positiveInteger(
  name: string,
  value: unknown,
  fallback: number,
  allowZero = false,
): number {
  if (value === undefined) return fallback;
  if (
    typeof value !== 'number' ||
    !Number.isSafeInteger(value) ||
    value < 0 ||
    (value === 0 && !allowZero)
  ) {
    throw invalid(
      `${name}: expected a ${allowZero ? 'non-negative' : 'positive'} integer, got ${typeof value === 'number' ? value : typeof value}`,
    );
  }
  return value;
}

function headerSafeString(name: string, value: unknown): string {
  // CR/LF in a header value would let the caller's string inject a header line.
  if (typeof value !== 'string' || /[\r\n]/.test(value))
    throw invalid(`${name}: expected a string without line breaks`);
  return value;
}

export function resolveSessionOptions(options: RtspSessionOptions = {}): ResolvedSessionOptions {
  if (typeof options !== 'object' || options === null) throw invalid('object: expected an object');
  const transport = options.transport ?? 'tcp';
  if (transport !== 'tcp' && transport !== 'udp' && transport !== 'auto') {
    throw invalid(`transport: expected 'tcp', 'udp' or 'auto', got ${JSON.stringify(transport)}`);
  }
  const video = optionalBoolean('video', options.video, true);
  const audio = optionalBoolean('audio', options.audio, true);
  if (!video && !audio) throw invalid('video/audio: at least one of them must be true');
  if (options.signal !== undefined && !(options.signal instanceof AbortSignal))
    throw invalid('signal: expected an AbortSignal');
  const connectTo = options.connectTo;
  if (connectTo !== undefined) {
    if (typeof connectTo.host !== 'string' || connectTo.host === '')
      throw invalid('connectTo.host: expected a host name or address');
    if (!Number.isInteger(connectTo.port) || connectTo.port < 1 || connectTo.port > 65535) {
      throw invalid(`connectTo.port: expected 1-65535, got ${String(connectTo.port)}`);
    }
  }
  const credentials = options.credentials;
  if (credentials !== undefined) {
    if (typeof credentials.username !== 'string' || typeof credentials.password !== 'string') {
      throw invalid('credentials: expected { username: string, password: string }');
    }
  }
  if (options.connect !== undefined && typeof options.connect !== 'function')
    throw invalid('connect: expected a function');
  const logger = options.logger;
  if (
    logger !== undefined &&
    (typeof logger.debug !== 'function' || typeof logger.child !== 'function')
  ) {
    throw invalid('logger: expected a pino-compatible logger (debug/info/warn/error/child)');
  }
  return {
    transport,
    timeoutMs: positiveInteger('timeoutMs', options.timeoutMs, 5000),
    video,
    audio,
    signal: options.signal,
    logger,
    connectTo: connectTo === undefined ? undefined : { host: connectTo.host, port: connectTo.port },
    credentials,
    allowBasicAuth: optionalBoolean('allowBasicAuth', options.allowBasicAuth, true),
    tls: options.tls,
    statsIntervalMs: positiveInteger('statsIntervalMs', options.statsIntervalMs, 1000, true),
    waitForKeyframe: optionalBoolean('waitForKeyframe', options.waitForKeyframe, false),
    highWaterMark: positiveInteger(
      'queue.highWaterMark',
      options.queue?.highWaterMark,
      defaultQueueLimits.highWaterMark,
    ),
    highWaterBytes: positiveInteger(
      'queue.highWaterBytes',
      options.queue?.highWaterBytes,
      defaultQueueLimits.highWaterBytes,
    ),
    userAgent:
      options.userAgent === undefined
        ? DEFAULT_USER_AGENT
        : headerSafeString('userAgent', options.userAgent),
    connect: options.connect,
    quirks: resolveQuirks(options.quirks),
  };
}
