/** Helpers shared by the rtsp/ unit tests: bytes in, comparable values out. */
import { RtspMessageParser } from '../../../src/rtsp/parser.js';
import type { RtspLimits } from '../../../src/rtsp/limits.js';
import type { RtspMessage } from '../../../src/rtsp/message.js';

export function ascii(text: string): Uint8Array {
  return new TextEncoder().encode(text);
}

export function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

/** `$`-framed interleaved data (RFC 2326 §10.12). */
export function frame(channel: number, data: readonly number[] | Uint8Array): Uint8Array {
  return concat(
    Uint8Array.of(0x24, channel, data.length >> 8, data.length & 0xff),
    Uint8Array.from(data),
  );
}

/** A message as plain data, for deep equality. */
export type MessageSummary =
  | { kind: 'interleaved'; channel: number; data: number[] }
  | {
      kind: 'response';
      version: string;
      status: number;
      reason: string;
      headers: [string, string][];
      body: string;
    }
  | {
      kind: 'request';
      method: string;
      uri: string;
      version: string;
      headers: [string, string][];
      body: string;
    };

export function summarize(message: RtspMessage): MessageSummary {
  if (message.kind === 'interleaved')
    return { kind: 'interleaved', channel: message.channel, data: [...message.data] };
  const body = new TextDecoder().decode(message.body);
  const headers = [...message.headers];
  return message.kind === 'response'
    ? {
        kind: 'response',
        version: message.version,
        status: message.status,
        reason: message.reason,
        headers,
        body,
      }
    : {
        kind: 'request',
        method: message.method,
        uri: message.uri,
        version: message.version,
        headers,
        body,
      };
}

/** Pushes each chunk and takes every message it completes. */
export function parseChunks(
  chunks: Iterable<Uint8Array>,
  limits?: Partial<RtspLimits>,
): MessageSummary[] {
  const parser = new RtspMessageParser(limits);
  const messages: MessageSummary[] = [];
  for (const chunk of chunks) {
    parser.push(chunk);
    for (let message = parser.next(); message !== undefined; message = parser.next())
      messages.push(summarize(message));
  }
  return messages;
}

/** `bytes` cut at the given (sorted, in-range) offsets. */
export function splitAt(bytes: Uint8Array, offsets: readonly number[]): Uint8Array[] {
  const chunks: Uint8Array[] = [];
  let start = 0;
  for (const offset of [...offsets, bytes.length]) {
    chunks.push(bytes.subarray(start, offset));
    start = offset;
  }
  return chunks;
}
