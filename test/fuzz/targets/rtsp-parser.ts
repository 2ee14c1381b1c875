/**
 * RtspMessageParser fed the same stream whole and in a chunking chosen by the
 * input: both must give the same messages and the same error (byte position,
 * limit), only RtspError may be thrown, and the bytes held between messages
 * stay within the limits.
 */
import { RtspProtocolError, type RtspError } from '../../../src/errors.js';
import { defaultRtspLimits, type RtspLimits } from '../../../src/rtsp/limits.js';
import type { RtspMessage } from '../../../src/rtsp/message.js';
import { RtspMessageParser } from '../../../src/rtsp/parser.js';
import { Random } from '../random.js';
import { bucket, expectedErrorFeature, hashBytes, invariant, type FuzzTarget } from '../target.js';

/** Control byte 0: bit 0 selects these limits, so mutated inputs reach every limit check. */
const SMALL_LIMITS: RtspLimits = {
  maxStartLineBytes: 64,
  maxHeaderLineBytes: 128,
  maxHeaderCount: 8,
  maxHeadBytes: 512,
  maxBodyBytes: 1024,
};
const SMALL_LIMITS_FLAG = 0x01;
/** `$`, channel, 16-bit length, data: the most an interleaved frame can hold back. */
const MAX_INTERLEAVED_BYTES = 4 + 0xffff;
const CONTROL_BYTES = 2;

interface ParseOutcome {
  messages: string[];
  error: string | undefined;
  features: string[];
}

export const rtspParserTarget: FuzzTarget = {
  name: 'rtsp-parser',
  inputFormat:
    'byte 0: bit0 small limits; byte 1: chunking seed (0 = one byte at a time); then the bytes a server sends on the RTSP connection',
  // Small limits reach every limit check; larger inputs mostly cost time (each runs twice, bytewise at worst).
  maxInputBytes: 16 * 1024,
  controlBytes: CONTROL_BYTES,
  dictionary: [
    'RTSP/1.0 200 OK\r\n',
    'RTSP/1.0 ',
    ' RTSP/1.0\r\n',
    'CSeq: ',
    'Content-Length: ',
    'Content-Length: 99999999999999999999\r\n',
    'Session: ',
    '\r\n',
    '\r\n\r\n',
    '\n',
    ' ',
    '\t',
    ':',
    'GET_PARAMETER rtsp://127.0.0.1/ RTSP/1.0\r\n',
    Uint8Array.of(0x24, 0x00, 0x00, 0x10),
    Uint8Array.of(0x24, 0x01, 0xff, 0xff),
  ],
  execute(input) {
    const limits = (input[0] ?? 0) & SMALL_LIMITS_FLAG ? SMALL_LIMITS : defaultRtspLimits;
    const stream = input.subarray(CONTROL_BYTES);
    const whole = parse(stream, limits, [stream.length]);
    const chunked = parse(stream, limits, chunkSizes(stream.length, input[1] ?? 0));
    invariant(
      whole.error === chunked.error && whole.messages.join('\n') === chunked.messages.join('\n'),
      () =>
        `chunking changes the result: whole ${whole.messages.length} messages then ${whole.error}, chunked ${chunked.messages.length} then ${chunked.error}`,
    );
    return [`limits:${limits === SMALL_LIMITS}`, ...chunked.features];
  },
};

/** Largest chunk, by seed: mostly TCP-like sizes, one seed in eight tiny chunks. */
const LARGEST_CHUNKS = [2, 16, 16, 64, 64, 256, 1500, 1500] as const;

/** Chunk lengths covering `length` bytes: all ones for seed 0, else random sizes from 1 to a seed-chosen maximum. */
function chunkSizes(length: number, seed: number): number[] {
  if (seed === 0) return Array.from({ length }, () => 1);
  const random = new Random(seed);
  const largest = LARGEST_CHUNKS[seed & 7]!;
  const sizes: number[] = [];
  for (let left = length; left > 0;) {
    const size = Math.min(left, random.between(1, largest));
    sizes.push(size);
    left -= size;
  }
  return sizes;
}

function parse(stream: Uint8Array, limits: RtspLimits, sizes: readonly number[]): ParseOutcome {
  const parser = new RtspMessageParser(limits);
  const bound = Math.max(limits.maxHeadBytes, limits.maxBodyBytes, MAX_INTERLEAVED_BYTES);
  const messages: string[] = [];
  const features: string[] = [];
  let at = 0;
  try {
    for (const size of sizes) {
      parser.push(stream.subarray(at, at + size));
      at += size;
      for (let message = parser.next(); message !== undefined; message = parser.next()) {
        messages.push(describe(message));
        features.push(messageFeature(message));
      }
      invariant(
        parser.buffered <= bound,
        () => `parser holds ${parser.buffered} bytes, limits allow ${bound}`,
      );
    }
    features.push(`pending:${bucket(parser.buffered)}`);
    return { messages, error: undefined, features };
  } catch (error) {
    features.push(expectedErrorFeature(error, 'parser'));
    const { position, limit } = error as RtspProtocolError;
    invariant(
      !(error instanceof RtspProtocolError) || position === undefined || position <= stream.length,
      () => `error position ${position} past the ${stream.length}-byte stream`,
    );
    // Once failed, every call throws the same error (parser.ts).
    let again: unknown;
    try {
      parser.next();
    } catch (repeated) {
      again = repeated;
    }
    invariant(again === error, () => 'a failed parser did not rethrow its error');
    return { messages, error: `${(error as RtspError).code}@${position}:${limit}`, features };
  }
}

function describe(message: RtspMessage): string {
  if (message.kind === 'interleaved')
    return `$${message.channel}:${message.data.length}:${hashBytes(message.data)}`;
  const start =
    message.kind === 'response'
      ? `${message.version} ${message.status} ${message.reason}`
      : `${message.method} ${message.uri} ${message.version}`;
  return `${start}|${JSON.stringify([...message.headers])}|${message.body.length}:${hashBytes(message.body)}`;
}

function messageFeature(message: RtspMessage): string {
  if (message.kind === 'interleaved')
    return `interleaved:${message.channel & 1}:${bucket(message.data.length)}`;
  const kind = message.kind === 'response' ? `${Math.floor(message.status / 100)}xx` : 'request';
  return `${kind}:${bucket(message.headers.size)}:${bucket(message.body.length)}`;
}
