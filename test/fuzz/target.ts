/**
 * What a fuzz target is: one execution of an input that either returns the
 * behaviour it observed (feature strings, the fuzzer's "new behaviour" signal)
 * or throws. Anything thrown out of `execute` is a finding: targets catch the
 * errors their module is documented to throw (RtspError for parsers) and turn
 * them into features, and throw InvariantViolation when an output breaks a
 * documented promise (caps, round-trips, chunking independence).
 */
import { RtspError, RtspProtocolError } from '../../src/errors.js';

export interface FuzzTarget {
  readonly name: string;
  /** How the input bytes are read, for the regression notes. */
  readonly inputFormat: string;
  /** Mutations never grow an input past this. */
  readonly maxInputBytes: number;
  /** Leading control bytes (options, chunking seed) that the chunk-split mutator rewrites. */
  readonly controlBytes: number;
  /** Tokens the dictionary mutator inserts (header names, separators, magic numbers). */
  readonly dictionary: readonly (string | Uint8Array)[];
  execute(input: Uint8Array): Iterable<string>;
}

/** A documented promise broken by an output: a finding even though nothing crashed. */
export class InvariantViolation extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvariantViolation';
  }
}

export function invariant(condition: boolean, message: () => string): asserts condition {
  if (!condition) throw new InvariantViolation(message());
}

/** A message with numbers and quoted text blanked, so one error site is one feature. */
export function messageShape(message: string): string {
  return message
    .replace(/"(?:[^"\\]|\\.)*"?/g, 'Q')
    .replace(/0x[0-9a-f]+|-?(?:\d+(?:\.\d*)?(?:e[+-]?\d+)?|Infinity|NaN)/gi, 'N')
    .slice(0, 60);
}

/** The feature of an error a parser may throw (RtspError); anything else is rethrown as a finding. */
export function expectedErrorFeature(error: unknown, where: string): string {
  if (!(error instanceof RtspError)) throw error;
  if (error instanceof RtspProtocolError && error.position !== undefined && error.position < 0) {
    throw new InvariantViolation(`${where}: negative error position ${error.position}`);
  }
  return `${where}:err:${error.code}:${messageShape(error.message)}`;
}

/** 0, 1, 2, 3-4, 5-8, ...: counts as features without making every count new. */
export function bucket(count: number): number {
  return count <= 2 ? count : 32 - Math.clz32(count - 1) + 1;
}

const utf8 = new TextDecoder();

/** Text parsers see the input as UTF-8, as header values and SDP bodies are decoded. */
export function inputText(input: Uint8Array, from = 0): string {
  return utf8.decode(input.subarray(from));
}

/** FNV-1a, to compare byte outputs without keeping them. */
export function hashBytes(bytes: Uint8Array): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < bytes.length; i++) hash = Math.imul(hash ^ bytes[i]!, 0x01000193);
  return hash >>> 0;
}
