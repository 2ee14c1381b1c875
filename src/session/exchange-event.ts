/**
 * The `rtsp` event of one request/response exchange, and the session
 * description a successful DESCRIBE carries (RFC 2326 §10.2, SDP body with
 * Content-Base/Content-Location for relative controls, §C.1.1).
 */
import { ErrorCodes, RtspError } from '../errors.js';
import type { RtspExchangeEvent } from '../events/types.js';
import { redactText, redactUrl } from '../rtsp/url.js';
import { sdpBaseUrl } from '../sdp/control-url.js';
import { parseSdp } from '../sdp/parse.js';
import type { SessionDescription } from '../sdp/track.js';
import type { Exchange } from './requester.js';

/** Response header names whose values are credentials. */
const SECRET_HEADER = /^(authorization|proxy-authorization)$/;

export function exchangeEvent(exchange: Exchange, sessionElapsedMs: number): RtspExchangeEvent {
  const { response } = exchange;
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(response.headers.toRecord())) {
    headers[name] = SECRET_HEADER.test(name) ? '[redacted]' : redactText(value);
  }
  return {
    type: 'rtsp',
    sessionElapsedMs,
    method: exchange.method,
    url: redactUrl(exchange.url),
    status: response.status,
    reason: response.reason,
    elapsedMs: exchange.elapsedMs,
    cseq: exchange.cseq,
    headers,
  };
}

export type DescribeResult = (
  | { sdp: string; description: SessionDescription; error?: undefined }
  | { sdp: string; description?: undefined; error: RtspError }
) & {
  /** A Content-Base without a scheme (quirks.repairSchemelessContentBase), as received. */
  schemelessContentBase?: string;
};

/** `rtsp://…`, `rtsps://…`: RFC 2326 §C.1.1 wants an absolute URL in Content-Base. */
const ABSOLUTE_URL = /^[a-z][a-z0-9+.-]*:\/\//i;

/**
 * The SDP of a 2xx DESCRIBE answer, parsed against its base URL. A schemeless
 * Content-Base is completed from the request URL, or with `repairContentBase`
 * false ignored for Content-Location or the request URL.
 */
export function readDescription(exchange: Exchange, repairContentBase = true): DescribeResult {
  const { response } = exchange;
  const sdp = new TextDecoder().decode(response.body);
  const contentBase = response.headers.get('content-base')?.trim();
  const schemeless =
    contentBase !== undefined && contentBase !== '' && !ABSOLUTE_URL.test(contentBase)
      ? contentBase
      : undefined;
  const note = schemeless === undefined ? {} : { schemelessContentBase: schemeless };
  try {
    const base = sdpBaseUrl(
      exchange.url,
      schemeless !== undefined && !repairContentBase ? undefined : contentBase,
      response.headers.get('content-location'),
    );
    return { sdp, description: parseSdp(sdp, base), ...note };
  } catch (error) {
    const failure =
      error instanceof RtspError
        ? error
        : new RtspError(`DESCRIBE: unusable SDP: ${String(error)}`, ErrorCodes.ERR_RTSP_PROTOCOL, {
            cause: error,
          });
    return { sdp, error: failure, ...note };
  }
}
