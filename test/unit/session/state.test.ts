import { describe, expect, it } from 'vitest';
import { RtspStateError } from '../../../src/errors.js';
import {
  assertOperation,
  canTransition,
  transition,
  type SessionState,
} from '../../../src/session/state.js';

const states: SessionState[] = ['idle', 'starting', 'playing', 'paused', 'closing', 'closed'];

describe('session state table', () => {
  it('follows the life of a session', () => {
    let state: SessionState = 'idle';
    for (const next of ['starting', 'playing', 'paused', 'playing', 'closing', 'closed'] as const) {
      state = transition(state, next);
    }
    expect(state).toBe('closed');
  });

  it('lets close start from every state but closing and closed', () => {
    for (const state of states) {
      expect(canTransition(state, 'closing')).toBe(state !== 'closing' && state !== 'closed');
    }
  });

  it('names the current state and the allowed ones on an illegal transition', () => {
    const error = (() => {
      try {
        transition('idle', 'paused');
      } catch (caught) {
        return caught;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(RtspStateError);
    expect(error).toMatchObject({ code: 'ERR_RTSP_STATE', state: 'idle', allowed: ['playing'] });
  });

  it('allows pause only while playing and play only while paused', () => {
    expect(() => assertOperation('pause', 'playing')).not.toThrow();
    expect(() => assertOperation('play', 'paused')).not.toThrow();
    expect(() => assertOperation('pause', 'starting')).toThrow(
      /pause\(\) is not allowed in state 'starting' \(allowed in: playing\)/,
    );
    expect(() => assertOperation('play', 'playing')).toThrow(RtspStateError);
  });

  it('allows iterating once, from idle', () => {
    expect(() => assertOperation('iterate', 'idle')).not.toThrow();
    for (const state of states.filter((each) => each !== 'idle')) {
      expect(() => assertOperation('iterate', state)).toThrow(RtspStateError);
    }
  });
});
