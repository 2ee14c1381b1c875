/**
 * rtsp:// and rtsps:// URLs (RFC 2326 §3.2, RFC 7826 §18.2 for rtsps) with
 * their credentials split off, and redaction of passwords for logs and errors.
 */
import { ErrorCodes, RtspError } from '../errors.js';

export interface ParsedRtspUrl {
  /** The URL without credentials. */
  url: URL;
  /** Percent-decoded. */
  username: string | undefined;
  /** Percent-decoded. */
  password: string | undefined;
  /** Host name or address to connect to (IPv6 without brackets). */
  host: string;
  /** From the URL, else 554 (rtsp) or 322 (rtsps). */
  port: number;
  secure: boolean;
}

const DEFAULT_PORTS = { rtsp: 554, rtsps: 322 } as const;
/** scheme, authority (up to the first '/', '?' or '#'), the rest. */
const RTSP_URL = /^(rtsps?):\/\/([^/?#]*)(.*)$/is;
/** `scheme://user:password@`; the password runs to the last '@' before the path, so an unencoded '@' in it is covered. */
const URL_CREDENTIALS = /\b([a-z][a-z0-9+.-]*:\/\/[^\s/?#@:]*):[^\s/?#]*@/gi;

export function parseRtspUrl(input: string): ParsedRtspUrl {
  const match = RTSP_URL.exec(input.trim());
  if (match === null) throw invalidUrl(input, 'expected rtsp:// or rtsps://');
  const scheme = match[1]!.toLowerCase() as keyof typeof DEFAULT_PORTS; // groups of a match
  const authority = match[2]!;
  // Cameras' passwords contain '@' unencoded; the host follows the last one.
  const at = authority.lastIndexOf('@');
  const hostPort = authority.slice(at + 1);
  let username: string | undefined;
  let password: string | undefined;
  if (at >= 0) {
    const userInfo = authority.slice(0, at);
    const colon = userInfo.indexOf(':');
    username = percentDecode(colon < 0 ? userInfo : userInfo.slice(0, colon));
    password = colon < 0 ? undefined : percentDecode(userInfo.slice(colon + 1));
  }
  let url: URL;
  try {
    url = new URL(`${scheme}://${hostPort}${match[3]!}`);
  } catch (error) {
    throw invalidUrl(input, 'unparsable host or path', error);
  }
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  if (host === '') throw invalidUrl(input, 'no host');
  const port = url.port === '' ? DEFAULT_PORTS[scheme] : Number(url.port);
  if (port === 0) throw invalidUrl(input, 'port 0');
  return { url, username, password, host, port, secure: scheme === 'rtsps' };
}

/** scheme://, authority (up to the first '/', '?' or '#'), the rest; as parseRtspUrl splits it. */
const ANY_URL = /^(\s*[a-z][a-z0-9+.-]*:\/\/)([^/?#]*)(.*)$/is;

/** `rtsp://user:***@host/...`; never throws, also on strings that are not URLs. */
export function redactUrl(input: string): string {
  const match = ANY_URL.exec(String(input));
  if (match === null) return redactText(input);
  const [, scheme = '', authority = '', rest = ''] = match;
  // As parseRtspUrl reads it, so whitespace or '@' in the user info cannot hide the password.
  const at = authority.lastIndexOf('@');
  const colon = authority.indexOf(':');
  if (colon < 0 || colon > at) return `${scheme}${authority}${redactText(rest)}`;
  return `${scheme}${authority.slice(0, colon)}:***${authority.slice(at)}${redactText(rest)}`;
}

/** Every URL-with-password in `text` redacted (for error messages and logs). */
export function redactText(text: string): string {
  return String(text).replace(URL_CREDENTIALS, '$1:***@');
}

/**
 * `%XX` escapes decoded as UTF-8; a '%' not followed by two hex digits is kept
 * as typed (users paste passwords like `w%rd` unencoded).
 */
function percentDecode(text: string): string {
  if (!text.includes('%')) return text;
  const encoder = new TextEncoder();
  const bytes: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const escaped = /^%[0-9a-f]{2}/i.test(text.slice(i, i + 3));
    if (escaped) {
      bytes.push(parseInt(text.slice(i + 1, i + 3), 16));
      i += 2;
    } else {
      const codePoint = text.codePointAt(i)!; // i < text.length
      const char = String.fromCodePoint(codePoint);
      bytes.push(...encoder.encode(char));
      i += char.length - 1;
    }
  }
  return new TextDecoder().decode(new Uint8Array(bytes));
}

function invalidUrl(input: string, why: string, cause?: unknown): RtspError {
  return new RtspError(
    `invalid RTSP URL ${JSON.stringify(redactUrl(input))}: ${why}`,
    ErrorCodes.ERR_RTSP_INVALID_ARGUMENT,
    { cause },
  );
}
