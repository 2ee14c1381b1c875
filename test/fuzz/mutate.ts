/**
 * Byte-level mutations in the manner of libFuzzer and AFL: bit and byte flips,
 * interesting values, arithmetic, inserted, deleted, duplicated and repeated
 * ranges, splices of two corpus entries, truncation, dictionary tokens, and a
 * rewrite of the target's control bytes (which choose, e.g., how a streaming
 * parser's input is chunked). Several are stacked per input.
 */
import type { Random } from './random.js';

export interface MutationContext {
  random: Random;
  maxBytes: number;
  controlBytes: number;
  /** Another corpus entry, for splicing. */
  other: () => Uint8Array;
  dictionary: readonly Uint8Array[];
}

type Mutator = (input: Uint8Array, context: MutationContext) => Uint8Array;

const INTERESTING_8 = [
  0x00, 0x01, 0x7f, 0x80, 0xff, 0x0a, 0x0d, 0x20, 0x24, 0x30, 0x39, 0x3a, 0x3b, 0x2c, 0x3d,
] as const;
const INTERESTING_16 = [
  0x0000, 0x0001, 0x0080, 0x00ff, 0x0100, 0x7fff, 0x8000, 0xfffe, 0xffff,
] as const;
const INTERESTING_32 = [
  0x00000000, 0x00000001, 0x7fffffff, 0x80000000, 0xfffffffe, 0xffffffff, 0x0000ffff, 0x00010000,
] as const;
const NUMBERS = [
  '0',
  '1',
  '-1',
  '255',
  '256',
  '65535',
  '65536',
  '2147483647',
  '4294967295',
  '4294967296',
  '9007199254740993',
  '99999999999999999999',
  '1e308',
  '0.5',
  'NaN',
] as const;
const encoder = new TextEncoder();
const NUMBER_BYTES = NUMBERS.map((text) => encoder.encode(text));

function replaceRange(
  input: Uint8Array,
  start: number,
  end: number,
  insert: Uint8Array,
): Uint8Array {
  const out = new Uint8Array(input.length - (end - start) + insert.length);
  out.set(input.subarray(0, start), 0);
  out.set(insert, start);
  out.set(input.subarray(end), start + insert.length);
  return out;
}

function withByte(input: Uint8Array, at: number, value: number): Uint8Array {
  const out = input.slice();
  out[at] = value;
  return out;
}

const MUTATORS: readonly Mutator[] = [
  // Flip one bit.
  (input, { random }) => {
    if (input.length === 0) return input;
    const at = random.below(input.length);
    return withByte(input, at, input[at]! ^ (1 << random.below(8)));
  },
  (input, { random }) =>
    input.length === 0 ? input : withByte(input, random.below(input.length), random.below(256)),
  (input, { random }) =>
    input.length === 0
      ? input
      : withByte(input, random.below(input.length), random.pick(INTERESTING_8)),
  (input, { random }) => {
    if (input.length === 0) return input;
    const at = random.below(input.length);
    return withByte(input, at, (input[at]! + random.between(-16, 16)) & 0xff);
  },
  (input, { random }) => {
    if (input.length < 2) return input;
    const at = random.below(input.length - 1);
    const value = random.pick(INTERESTING_16);
    const out = input.slice();
    const bigEndian = random.chance(0.7);
    out[at] = bigEndian ? value >> 8 : value & 0xff;
    out[at + 1] = bigEndian ? value & 0xff : value >> 8;
    return out;
  },
  (input, { random }) => {
    if (input.length < 4) return input;
    const at = random.below(input.length - 3);
    const out = input.slice();
    new DataView(out.buffer).setUint32(at, random.pick(INTERESTING_32), random.chance(0.3));
    return out;
  },
  // Insert random bytes.
  (input, { random }) => {
    const bytes = new Uint8Array(random.between(1, 16));
    for (let i = 0; i < bytes.length; i++) bytes[i] = random.below(256);
    const at = random.below(input.length + 1);
    return replaceRange(input, at, at, bytes);
  },
  // Insert a run of one byte, sometimes long enough to cross the parsers' size limits.
  (input, { random }) => {
    const length = random.chance(0.1) ? random.between(256, 70_000) : random.between(1, 64);
    const at = random.below(input.length + 1);
    return replaceRange(input, at, at, new Uint8Array(length).fill(random.pick(INTERESTING_8)));
  },
  // Delete a range.
  (input, { random }) => {
    if (input.length === 0) return input;
    const start = random.below(input.length);
    const end = Math.min(
      input.length,
      start + 1 + random.below(random.chance(0.5) ? 8 : input.length - start),
    );
    return replaceRange(input, start, end, new Uint8Array(0));
  },
  // Duplicate a range somewhere else, sometimes several times.
  (input, { random }) => {
    if (input.length === 0) return input;
    const start = random.below(input.length);
    const range = input.subarray(
      start,
      start + 1 + random.below(Math.min(256, input.length - start)),
    );
    const copies = random.chance(0.2) ? random.between(2, 64) : 1;
    const repeated = new Uint8Array(range.length * copies);
    for (let i = 0; i < copies; i++) repeated.set(range, i * range.length);
    const at = random.below(input.length + 1);
    return replaceRange(input, at, at, repeated);
  },
  // Splice: this entry's head with another's tail, or a piece of another inserted.
  (input, { random, other }) => {
    const donor = other();
    if (random.chance(0.5)) {
      const head = input.subarray(0, random.below(input.length + 1));
      const tail = donor.subarray(random.below(donor.length + 1));
      return replaceRange(head, head.length, head.length, tail);
    }
    const start = random.below(donor.length + 1);
    const piece = donor.subarray(start, start + random.below(512));
    const at = random.below(input.length + 1);
    return replaceRange(input, at, at, piece);
  },
  // Truncate.
  (input, { random }) => input.subarray(0, random.below(input.length + 1)),
  // Dictionary token, inserted or overwriting.
  (input, { random, dictionary }) => {
    if (dictionary.length === 0) return input;
    const token = random.pick(dictionary);
    const at = random.below(input.length + 1);
    return replaceRange(
      input,
      at,
      random.chance(0.5) ? at : Math.min(input.length, at + token.length),
      token,
    );
  },
  // Replace a run of ASCII digits by an interesting number (text parsers).
  (input, { random }) => {
    const from = random.below(input.length + 1);
    let start = from;
    while (start < input.length && !isDigit(input[start]!)) start++;
    if (start === input.length) return input;
    let end = start;
    while (end < input.length && isDigit(input[end]!)) end++;
    return replaceRange(input, start, end, random.pick(NUMBER_BYTES));
  },
  // Chunk-split and options: rewrite a control byte.
  (input, { random, controlBytes }) => {
    if (controlBytes === 0 || input.length === 0) return input;
    return withByte(input, random.below(Math.min(controlBytes, input.length)), random.below(256));
  },
];

function isDigit(byte: number): boolean {
  return byte >= 0x30 && byte <= 0x39;
}

/** 1 to 8 stacked mutations (more often few), capped at `maxBytes`. */
export function mutate(input: Uint8Array, context: MutationContext): Uint8Array {
  const { random, maxBytes } = context;
  let out = input;
  const count = 1 + Math.min(7, Math.floor(-Math.log2(1 - random.next() / 0x1_0000_0000)));
  for (let i = 0; i < count; i++) out = random.pick(MUTATORS)(out, context);
  return out.length > maxBytes ? out.subarray(0, maxBytes) : out;
}
