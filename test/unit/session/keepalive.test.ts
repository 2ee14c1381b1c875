import { describe, expect, it } from 'vitest';
import { keepaliveIntervalMs, keepaliveMethod } from '../../../src/session/keepalive.js';

describe('keepalive scheduling', () => {
  it('sends every half of the session timeout', () => {
    expect(keepaliveIntervalMs(2)).toBe(1000);
    expect(keepaliveIntervalMs(30)).toBe(15_000);
  });

  it('caps the timeout at 60 s', () => {
    expect(keepaliveIntervalMs(600)).toBe(30_000);
  });

  it('uses the 60 s default for a missing, zero or invalid timeout', () => {
    for (const timeout of [undefined, 0, -5, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(keepaliveIntervalMs(timeout)).toBe(30_000);
    }
  });

  it('prefers GET_PARAMETER when the server lists it, until it is refused', () => {
    const withGetParameter = new Set(['OPTIONS', 'DESCRIBE', 'GET_PARAMETER']);
    expect(keepaliveMethod(withGetParameter, false)).toBe('GET_PARAMETER');
    expect(keepaliveMethod(withGetParameter, true)).toBe('OPTIONS');
    expect(keepaliveMethod(new Set(['OPTIONS', 'DESCRIBE']), false)).toBe('OPTIONS');
  });

  it('follows quirks.keepaliveMethod, but never GET_PARAMETER once it was refused', () => {
    const without = new Set(['OPTIONS', 'DESCRIBE']);
    const withGet = new Set(['OPTIONS', 'GET_PARAMETER']);
    expect(keepaliveMethod(without, false, 'GET_PARAMETER')).toBe('GET_PARAMETER');
    expect(keepaliveMethod(without, true, 'GET_PARAMETER')).toBe('OPTIONS');
    expect(keepaliveMethod(withGet, false, 'OPTIONS')).toBe('OPTIONS');
    expect(keepaliveMethod(withGet, false, 'auto')).toBe('GET_PARAMETER');
  });
});
