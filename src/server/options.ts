/** Options of serve() and the defaults the server applies. */
import { ErrorCodes, RtspError } from '../errors.js';
import { redactingLogger, type Logger } from '../logger.js';

export interface ServeAuth {
  username: string;
  password: string;
  /** Challenges offered, strongest first in the 401 (default both). */
  methods?: ('basic' | 'digest')[];
}

export interface ServeOptions {
  /** Interface to listen on (default 127.0.0.1). */
  host?: string;
  /** TCP port (default 8554; 0 = any free port). */
  port?: number;
  /** Largest RTP payload in bytes (default 1400). */
  mtu?: number;
  /** Session timeout announced in the Session header; silent sessions are reaped after it (default 60). */
  sessionTimeoutSec?: number;
  /** Require Basic and/or Digest credentials for every request but OPTIONS. */
  auth?: ServeAuth;
  /** Any pino-compatible logger (default silent); credentials are redacted from what reaches it. */
  logger?: Logger;
  /** Bytes a TCP client may have buffered before its media is dropped (default 256 KiB); disconnected at 4× that. */
  clientBufferBytes?: number;
}

export interface ResolvedServeOptions {
  host: string;
  port: number;
  mtu: number;
  sessionTimeoutSec: number;
  auth: ServeAuth | undefined;
  logger: Logger;
  clientBufferBytes: number;
}

/** RFC 6184 etc. need room for the 2-3 byte FU headers; below this no real network path exists anyway. */
const minMtu = 200;
const maxMtu = 65_000;

const invalid = (message: string): RtspError =>
  new RtspError(message, ErrorCodes.ERR_RTSP_INVALID_ARGUMENT);

export function resolveServeOptions(options: ServeOptions = {}): ResolvedServeOptions {
  const mtu = options.mtu ?? 1400;
  if (!Number.isInteger(mtu) || mtu < minMtu || mtu > maxMtu)
    throw invalid(`serve: mtu must be an integer in ${minMtu}..${maxMtu}, got ${mtu}`);
  const sessionTimeoutSec = options.sessionTimeoutSec ?? 60;
  if (!(sessionTimeoutSec > 0))
    throw invalid(`serve: sessionTimeoutSec must be > 0, got ${sessionTimeoutSec}`);
  const port = options.port ?? 8554;
  if (!Number.isInteger(port) || port < 0 || port > 65_535)
    throw invalid(`serve: port must be 0..65535, got ${port}`);
  return {
    host: options.host ?? '127.0.0.1',
    port,
    mtu,
    sessionTimeoutSec,
    auth: options.auth,
    logger: redactingLogger(options.logger),
    clientBufferBytes: options.clientBufferBytes ?? 256 * 1024,
  };
}
