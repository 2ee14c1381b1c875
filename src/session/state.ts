/**
 * The client session's states and the calls each one allows, as a small pure
 * table (the shape of gortsplib's client state checks). No I/O, no timers.
 */
import { RtspStateError } from '../errors.js';

export type SessionState = 'idle' | 'starting' | 'playing' | 'paused' | 'closing' | 'closed';

/** The states each state may move to. `closing` is reachable from everywhere but `closed`: close() works in any state. */
const transitions: Readonly<Record<SessionState, readonly SessionState[]>> = {
  idle: ['starting', 'closing'],
  starting: ['playing', 'closing'],
  playing: ['paused', 'closing'],
  paused: ['playing', 'closing'],
  closing: ['closed'],
  closed: [],
};

/** Public calls that depend on the state; close() is always allowed (idempotent). */
export type SessionOperation = 'iterate' | 'pause' | 'play';

const operationStates: Readonly<Record<SessionOperation, readonly SessionState[]>> = {
  iterate: ['idle'],
  pause: ['playing'],
  play: ['paused'],
};

export function canTransition(from: SessionState, to: SessionState): boolean {
  return transitions[from].includes(to);
}

/** `to`, or RtspStateError listing the states from which `to` may be entered. */
export function transition(from: SessionState, to: SessionState): SessionState {
  if (canTransition(from, to)) return to;
  const allowed = (Object.keys(transitions) as SessionState[]).filter((state) =>
    transitions[state].includes(to),
  );
  throw new RtspStateError(`entering '${to}'`, from, allowed);
}

/** Throws RtspStateError naming the states in which `operation` is allowed. */
export function assertOperation(operation: SessionOperation, state: SessionState): void {
  const allowed = operationStates[operation];
  if (!allowed.includes(state))
    throw new RtspStateError(
      operation === 'iterate' ? 'iterating the session' : `${operation}()`,
      state,
      allowed,
    );
}
