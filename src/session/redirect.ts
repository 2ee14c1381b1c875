/**
 * Following 3xx answers (RFC 2326 §11.3: 301/302/303/305/307 carry a
 * Location). Pure: decides where to go next and whether the credentials may
 * come along; the session does the reconnecting.
 */
import { ErrorCodes, RtspError } from '../errors.js';
import { parseRtspUrl, redactUrl, type ParsedRtspUrl } from '../rtsp/url.js';

export const MAX_REDIRECTS = 5;
const REDIRECT_STATUSES: ReadonlySet<number> = new Set([301, 302, 303, 305, 307]);

export function isRedirect(status: number): boolean {
  return REDIRECT_STATUSES.has(status);
}

export interface RedirectTarget {
  target: ParsedRtspUrl;
  /** Same scheme, host and port as before: the credentials may be sent there. */
  sameOrigin: boolean;
}

/**
 * The next URL, or RtspError when the hop limit is passed, the Location is
 * missing or unusable, or it would downgrade rtsps to rtsp (the stream and
 * the credentials would then travel in clear).
 */
export function followRedirect(
  method: string,
  status: number,
  current: ParsedRtspUrl,
  location: string | undefined,
  hops: number,
): RedirectTarget {
  const step = `${method} ${status}`;
  if (hops >= MAX_REDIRECTS)
    throw redirectError(`${step}: more than ${MAX_REDIRECTS} redirects`, method);
  if (location === undefined || location.trim() === '')
    throw redirectError(`${step}: redirect without a Location header`, method);
  let target: ParsedRtspUrl;
  try {
    // A relative Location is resolved against the current URL, as in HTTP.
    target = parseRtspUrl(new URL(location.trim(), current.url).href);
  } catch (error) {
    throw redirectError(
      `${step}: unusable Location ${JSON.stringify(redactUrl(location))}`,
      method,
      error,
    );
  }
  if (current.secure && !target.secure) {
    throw redirectError(
      `${step}: refusing to follow a redirect from rtsps to rtsp (${redactUrl(target.url.href)})`,
      method,
    );
  }
  const sameOrigin =
    target.secure === current.secure &&
    target.host === current.host &&
    target.port === current.port;
  return { target, sameOrigin };
}

function redirectError(message: string, method: string, cause?: unknown): RtspError {
  return new RtspError(message, ErrorCodes.ERR_RTSP_PROTOCOL, {
    method,
    phase: phaseOf(method),
    cause,
  });
}

function phaseOf(method: string): 'OPTIONS' | 'DESCRIBE' | 'SETUP' | 'PLAY' | undefined {
  return method === 'OPTIONS' || method === 'DESCRIBE' || method === 'SETUP' || method === 'PLAY'
    ? method
    : undefined;
}
