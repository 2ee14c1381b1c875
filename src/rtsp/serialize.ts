/**
 * RTSP messages to bytes (RFC 2326 §6, §7) and the `$` header of interleaved
 * data (§10.12). Names and values are checked so that no caller-supplied text
 * can inject a line into the message.
 */
import { ErrorCodes, RtspError } from '../errors.js';
import { RtspHeaders } from './headers.js';
import { redactText } from './url.js';

/** RFC 2326 §7.1.1 reason phrases, plus 2xx/4xx codes RTSP servers use from HTTP. */
export const statusReasons: Readonly<Record<number, string>> = Object.freeze({
  100: 'Continue',
  200: 'OK',
  201: 'Created',
  250: 'Low on Storage Space',
  300: 'Multiple Choices',
  301: 'Moved Permanently',
  302: 'Moved Temporarily',
  303: 'See Other',
  304: 'Not Modified',
  305: 'Use Proxy',
  400: 'Bad Request',
  401: 'Unauthorized',
  402: 'Payment Required',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  406: 'Not Acceptable',
  407: 'Proxy Authentication Required',
  408: 'Request Time-out',
  410: 'Gone',
  411: 'Length Required',
  412: 'Precondition Failed',
  413: 'Request Entity Too Large',
  414: 'Request-URI Too Large',
  415: 'Unsupported Media Type',
  451: 'Parameter Not Understood',
  452: 'Conference Not Found',
  453: 'Not Enough Bandwidth',
  454: 'Session Not Found',
  455: 'Method Not Valid in This State',
  456: 'Header Field Not Valid for Resource',
  457: 'Invalid Range',
  458: 'Parameter Is Read-Only',
  459: 'Aggregate operation not allowed',
  460: 'Only aggregate operation allowed',
  461: 'Unsupported transport',
  462: 'Destination unreachable',
  500: 'Internal Server Error',
  501: 'Not Implemented',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Time-out',
  505: 'RTSP Version not supported',
  551: 'Option not supported',
});

const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const VERSION = /^RTSP\/\d+\.\d+$/;
const encoder = new TextEncoder();

export function serializeRequest(req: {
  method: string;
  uri: string;
  headers: RtspHeaders | Record<string, string>;
  body?: Uint8Array;
}): Uint8Array {
  check(TOKEN.test(req.method), `method ${shown(req.method)}`);
  check(
    req.uri !== '' && !hasControl(req.uri) && !/[ \t]/.test(req.uri),
    `request URI ${shown(req.uri)}`,
  );
  return encodeMessage(`${req.method} ${req.uri} RTSP/1.0`, req.headers, req.body);
}

export function serializeResponse(res: {
  status: number;
  reason?: string;
  headers: RtspHeaders | Record<string, string>;
  body?: Uint8Array;
  version?: string;
}): Uint8Array {
  const version = res.version ?? 'RTSP/1.0';
  const reason = res.reason ?? statusReasons[res.status] ?? '';
  check(
    Number.isInteger(res.status) && res.status >= 100 && res.status <= 999,
    `status ${res.status}`,
  );
  check(VERSION.test(version), `version ${shown(version)}`);
  check(!hasControl(reason), `reason phrase ${shown(reason)}`);
  return encodeMessage(`${version} ${res.status} ${reason}`, res.headers, res.body);
}

/** `$`, channel, 16-bit big-endian length: what precedes interleaved data (RFC 2326 §10.12). */
export function interleavedHeader(channel: number, length: number): Uint8Array {
  check(
    Number.isInteger(channel) && channel >= 0 && channel <= 0xff,
    `interleaved channel ${channel}`,
  );
  check(
    Number.isInteger(length) && length >= 0 && length <= 0xffff,
    `interleaved length ${length}`,
  );
  return Uint8Array.of(0x24, channel, length >> 8, length & 0xff);
}

function encodeMessage(
  startLine: string,
  init: RtspHeaders | Record<string, string>,
  body?: Uint8Array,
): Uint8Array {
  const headers = new RtspHeaders(init);
  if (body !== undefined && body.length > 0) headers.set('Content-Length', String(body.length));
  let head = `${startLine}\r\n`;
  for (const [name, value] of headers) {
    check(TOKEN.test(name), `header name ${shown(name)}`);
    // The value is not shown: it may be a credential.
    check(!hasControl(value), `${name} header value (control character or line break)`);
    head += `${name}: ${value}\r\n`;
  }
  head += '\r\n';
  const headBytes = encoder.encode(head);
  if (body === undefined || body.length === 0) return headBytes;
  const message = new Uint8Array(headBytes.length + body.length);
  message.set(headBytes);
  message.set(body, headBytes.length);
  return message;
}

function check(valid: boolean, what: string): void {
  if (!valid) throw new RtspError(`invalid RTSP ${what}`, ErrorCodes.ERR_RTSP_INVALID_ARGUMENT);
}

function shown(text: string): string {
  return JSON.stringify(redactText(text));
}

/** A control character other than HT: CR or LF would end the line early and inject another. */
function hasControl(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if ((code < 0x20 && code !== 0x09) || code === 0x7f) return true;
  }
  return false;
}
