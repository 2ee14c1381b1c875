/**
 * One execution of a target, classified: the features it observed, or the
 * finding it produced. Used by the fuzzer and by the regression replay test,
 * so a regression file means the same thing in both.
 */
import { InvariantViolation, messageShape, type FuzzTarget } from './target.js';

export type FindingKind =
  'crash' | 'invariant' | 'slow' | 'timeout' | 'out-of-memory' | 'heap-growth';

export interface Finding {
  kind: FindingKind;
  message: string;
  stack: string;
  /** Same bug, same key: kind, error name, message shape and the first frame in src/. */
  key: string;
}

export type Execution = { features: Iterable<string>; finding?: undefined } | { finding: Finding };

export function execute(target: FuzzTarget, input: Uint8Array): Execution {
  try {
    return { features: target.execute(input) };
  } catch (error) {
    return { finding: findingOf(error) };
  }
}

export function findingOf(error: unknown): Finding {
  const kind: FindingKind = error instanceof InvariantViolation ? 'invariant' : 'crash';
  const name = error instanceof Error ? error.name : typeof error;
  const message = error instanceof Error ? error.message : String(error);
  const stack = error instanceof Error ? (error.stack ?? message) : message;
  return { kind, message, stack, key: findingKey(kind, `${name}: ${message}`, stack) };
}

export function findingKey(kind: FindingKind, message: string, stack: string): string {
  const frame =
    /\bsrc\/[\w/.-]+:\d+/.exec(stack)?.[0] ?? /\btest\/fuzz\/[\w/.-]+:\d+/.exec(stack)?.[0] ?? '';
  return `${kind}|${messageShape(message)}|${frame}`;
}
