/**
 * Error classes with stable `code`s. Match on `err.code`, not on messages.
 *
 * Messages name the step that failed (e.g. `DESCRIBE 401 Unauthorized`) and,
 * for wire data, the byte position. URLs inside messages are always redacted.
 */

export const ErrorCodes = {
  /** Generic failure not covered by a more specific code. */
  ERR_RTSP: 'ERR_RTSP',
  /** TCP/TLS/UDP socket could not be opened or broke. */
  ERR_RTSP_CONNECTION: 'ERR_RTSP_CONNECTION',
  /** Connect, request or no-media watchdog timed out. */
  ERR_RTSP_TIMEOUT: 'ERR_RTSP_TIMEOUT',
  /** Malformed data from the peer, or a limit exceeded. */
  ERR_RTSP_PROTOCOL: 'ERR_RTSP_PROTOCOL',
  /** The server answered with a non-2xx status. */
  ERR_RTSP_RESPONSE: 'ERR_RTSP_RESPONSE',
  /** Authentication failed or no usable challenge. */
  ERR_RTSP_AUTH: 'ERR_RTSP_AUTH',
  /** The operation was aborted through an AbortSignal or close(). */
  ERR_RTSP_ABORTED: 'ERR_RTSP_ABORTED',
  /** A call not allowed in the session's current state. */
  ERR_RTSP_STATE: 'ERR_RTSP_STATE',
  /** No track of a supported codec to set up. */
  ERR_RTSP_UNSUPPORTED: 'ERR_RTSP_UNSUPPORTED',
  /** Bad options given by the caller. */
  ERR_RTSP_INVALID_ARGUMENT: 'ERR_RTSP_INVALID_ARGUMENT',
} as const;

export type ErrorCode = (typeof ErrorCodes)[keyof typeof ErrorCodes];

/** Where in the session an error happened. */
export type RtspPhase =
  | 'connect'
  | 'OPTIONS'
  | 'DESCRIBE'
  | 'SETUP'
  | 'PLAY'
  | 'PAUSE'
  | 'TEARDOWN'
  | 'GET_PARAMETER'
  | 'streaming'
  | 'parse';

export interface RtspErrorOptions {
  cause?: unknown;
  phase?: RtspPhase;
  method?: string;
  cseq?: number;
}

export class RtspError extends Error {
  readonly code: ErrorCode;
  readonly phase: RtspPhase | undefined;
  readonly method: string | undefined;
  readonly cseq: number | undefined;

  constructor(
    message: string,
    code: ErrorCode = ErrorCodes.ERR_RTSP,
    options: RtspErrorOptions = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'RtspError';
    this.code = code;
    this.phase = options.phase;
    this.method = options.method;
    this.cseq = options.cseq;
  }
}

export class RtspConnectionError extends RtspError {
  constructor(message: string, options: RtspErrorOptions = {}) {
    super(message, ErrorCodes.ERR_RTSP_CONNECTION, options);
    this.name = 'RtspConnectionError';
  }
}

export class RtspTimeoutError extends RtspError {
  readonly timeoutMs: number;
  constructor(message: string, timeoutMs: number, options: RtspErrorOptions = {}) {
    super(message, ErrorCodes.ERR_RTSP_TIMEOUT, options);
    this.name = 'RtspTimeoutError';
    this.timeoutMs = timeoutMs;
  }
}

export class RtspProtocolError extends RtspError {
  /** Offset of the offending byte in the stream or packet, when known. */
  readonly position: number | undefined;
  /** Name of the limit exceeded, when the error is a limit (e.g. `maxHeaderCount`). */
  readonly limit: string | undefined;
  constructor(
    message: string,
    options: RtspErrorOptions & { position?: number; limit?: string } = {},
  ) {
    super(message, ErrorCodes.ERR_RTSP_PROTOCOL, options);
    this.name = 'RtspProtocolError';
    this.position = options.position;
    this.limit = options.limit;
  }
}

export class RtspResponseError extends RtspError {
  readonly status: number;
  readonly reason: string;
  constructor(method: string, status: number, reason: string, options: RtspErrorOptions = {}) {
    super(`${method} ${status} ${reason}`, ErrorCodes.ERR_RTSP_RESPONSE, { ...options, method });
    this.name = 'RtspResponseError';
    this.status = status;
    this.reason = reason;
  }
}

export class RtspAuthError extends RtspError {
  readonly status: number | undefined;
  constructor(message: string, options: RtspErrorOptions & { status?: number } = {}) {
    super(message, ErrorCodes.ERR_RTSP_AUTH, options);
    this.name = 'RtspAuthError';
    this.status = options.status;
  }
}

export class RtspAbortError extends RtspError {
  constructor(message = 'aborted', options: RtspErrorOptions = {}) {
    super(message, ErrorCodes.ERR_RTSP_ABORTED, options);
    this.name = 'RtspAbortError';
  }
}

export class RtspStateError extends RtspError {
  readonly state: string;
  readonly allowed: readonly string[];
  constructor(operation: string, state: string, allowed: readonly string[]) {
    super(
      `${operation} is not allowed in state '${state}' (allowed in: ${allowed.join(', ')})`,
      ErrorCodes.ERR_RTSP_STATE,
    );
    this.name = 'RtspStateError';
    this.state = state;
    this.allowed = allowed;
  }
}
