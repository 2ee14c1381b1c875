/**
 * The two ways a command fails: bad usage (exit 2, before any connection) and
 * a runtime failure (exit 1) whose message names the step that failed.
 */
import { RtspError } from '../errors.js';
import type { ClosedEvent } from '../events/types.js';

export class UsageError extends Error {
  constructor(
    message: string,
    /** The command whose --help to point at, when known. */
    readonly command?: string,
  ) {
    super(message);
    this.name = 'UsageError';
  }
}

/** A failure of the command itself (no keyframe came, a codec the file cannot hold). */
export class CommandFailure extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'CommandFailure';
  }
}

/**
 * A session that ended on an error or a timeout fails the command; one that
 * was stopped (duration, Ctrl-C), torn down or closed by the server did not.
 */
export function throwIfFailed(event: ClosedEvent): void {
  if (event.reason !== 'error' && event.reason !== 'timeout') return;
  throw event.error ?? new RtspError(`session ended: ${event.reason}`);
}
