/**
 * The head of an RTSP message (RFC 2326 §4, §6, §7): the start line and header
 * fields, from bytes whose line ends the parser already found and sized.
 */
import { RtspProtocolError } from '../errors.js';
import { RtspHeaders } from './headers.js';
import type { RtspLimits } from './limits.js';
import type { RtspRequest, RtspResponse } from './message.js';
import { redactText } from './url.js';

export type StartLine =
  | { kind: 'response'; version: string; status: number; reason: string }
  | { kind: 'request'; method: string; uri: string; version: string };

const utf8 = new TextDecoder();
// The `s` flag: a value may hold U+2028/U+2029, which `.` alone does not match.
const RESPONSE_LINE = /^(RTSP\/\d+\.\d+)[ \t]+(\d{3})(?:[ \t]+(.*))?$/s;
const REQUEST_LINE = /^([!#$%&'*+.^_`|~0-9A-Za-z-]+)[ \t]+([^ \t]+)[ \t]+(RTSP\/\d+\.\d+)$/;
const HEADER_LINE = /^([!#$%&'*+.^_`|~0-9A-Za-z-]+)[ \t]*:[ \t]*(.*)$/s;
const DIGITS = /^[0-9]+$/;
const SP = 0x20;
const HT = 0x09;
const CR = 0x0d;

/** Line `text` (without its ending and trailing whitespace) of `bytes[start, lf)`. */
export function lineText(bytes: Uint8Array, start: number, lf: number): string {
  let end = lf;
  while (end > start) {
    const last = bytes[end - 1];
    if (last !== CR && last !== SP && last !== HT) break;
    end--;
  }
  return utf8.decode(bytes.subarray(start, end));
}

/** `RTSP/1.0 200 OK` or `PLAY rtsp://host/x RTSP/1.0`; anything else is an error at `position`. */
export function parseStartLine(line: string, position: number): StartLine {
  const response = RESPONSE_LINE.exec(line);
  if (response !== null) {
    return {
      kind: 'response',
      version: response[1]!,
      status: Number(response[2]),
      reason: response[3] ?? '',
    };
  }
  const request = REQUEST_LINE.exec(line);
  if (request !== null)
    return { kind: 'request', method: request[1]!, uri: request[2]!, version: request[3]! };
  throw new RtspProtocolError(`malformed RTSP start line ${quote(line)} at byte ${position}`, {
    position,
    phase: 'parse',
  });
}

export interface ParsedHead {
  message: RtspRequest | RtspResponse;
  /** From Content-Length; 0 without one (a response without it has no body here, as with every RTSP peer in practice). */
  bodyLength: number;
}

/**
 * Header fields of `bytes`, whose line `i` ends at `lineEnds[i]` (line 0 is the
 * start line, the last is the empty line); `position` is the stream offset of `bytes[0]`.
 */
export function parseHead(
  startLine: StartLine,
  bytes: Uint8Array,
  lineEnds: readonly number[],
  position: number,
  limits: RtspLimits,
): ParsedHead {
  const fields: [string, string][] = [];
  let contentLength: { value: string; position: number } | undefined;
  for (let i = 1; i < lineEnds.length - 1; i++) {
    const start = lineEnds[i - 1]! + 1; // i >= 1
    const line = lineText(bytes, start, lineEnds[i]!);
    const linePosition = position + start;
    const first = bytes[start];
    const previous = fields[fields.length - 1];
    if (first === SP || first === HT) {
      // obs-fold (RFC 2616 §2.2 LWS): a continuation joins the previous value with one space.
      if (previous === undefined) {
        throw new RtspProtocolError(`continuation line before any header at byte ${linePosition}`, {
          position: linePosition,
          phase: 'parse',
        });
      }
      previous[1] = previous[1] === '' ? line.trim() : `${previous[1]} ${line.trim()}`;
      continue;
    }
    const field = HEADER_LINE.exec(line);
    if (field === null) {
      // The line is not quoted: it may carry credentials that redactText cannot recognise.
      throw new RtspProtocolError(`malformed header line (no "name:") at byte ${linePosition}`, {
        position: linePosition,
        phase: 'parse',
      });
    }
    const name = field[1]!; // both groups always take part in a match
    const value = field[2]!;
    fields.push([name, value]);
    if (name.toLowerCase() === 'content-length') {
      if (contentLength !== undefined && contentLength.value !== value.trim()) {
        throw new RtspProtocolError(
          `Content-Length repeated with different values (${quote(contentLength.value)}, ${quote(value)}) at byte ${linePosition}`,
          { position: linePosition, phase: 'parse' },
        );
      }
      contentLength ??= { value: value.trim(), position: linePosition };
    }
  }
  const headers = new RtspHeaders(fields);
  const body = new Uint8Array(0);
  const message: RtspRequest | RtspResponse = { ...startLine, headers, body };
  return {
    message,
    bodyLength: contentLength === undefined ? 0 : bodyLength(contentLength, limits),
  };
}

function bodyLength(
  contentLength: { value: string; position: number },
  limits: RtspLimits,
): number {
  const { value, position } = contentLength;
  if (!DIGITS.test(value)) {
    throw new RtspProtocolError(`invalid Content-Length ${quote(value)} at byte ${position}`, {
      position,
      phase: 'parse',
    });
  }
  // Compared as text first: a 20-digit length would lose precision as a number.
  const length = value.length > 15 ? Number.POSITIVE_INFINITY : Number(value);
  if (length > limits.maxBodyBytes) {
    throw new RtspProtocolError(
      `Content-Length ${value.length > 15 ? `${value.slice(0, 15)}…` : value} exceeds maxBodyBytes (${limits.maxBodyBytes}) at byte ${position}`,
      { position, limit: 'maxBodyBytes', phase: 'parse' },
    );
  }
  return length;
}

/** A line for an error message: short, quoted, credentials redacted. */
function quote(text: string): string {
  return JSON.stringify(redactText(text.length > 80 ? `${text.slice(0, 80)}…` : text));
}
