import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RtspError, RtspProtocolError } from '../../../src/errors.js';
import { parseSessionHeader } from '../../../src/rtsp/session-header.js';

describe('parseSessionHeader', () => {
  it.each([
    ['12345678', { id: '12345678', timeoutSec: undefined, timeoutInvalid: false }],
    ['12345678;timeout=60', { id: '12345678', timeoutSec: 60, timeoutInvalid: false }],
    [' 1273222592 ; Timeout = 30 ;', { id: '1273222592', timeoutSec: 30, timeoutInvalid: false }],
    ['ABCD;TIMEOUT="45"', { id: 'ABCD', timeoutSec: 45, timeoutInvalid: false }],
    ['66334873;timeout=0', { id: '66334873', timeoutSec: undefined, timeoutInvalid: true }],
    ['66334873;timeout=abc', { id: '66334873', timeoutSec: undefined, timeoutInvalid: true }],
    ['66334873;timeout=-5', { id: '66334873', timeoutSec: undefined, timeoutInvalid: true }],
    ['66334873;timeout=1.5', { id: '66334873', timeoutSec: undefined, timeoutInvalid: true }],
    ['66334873;other=1', { id: '66334873', timeoutSec: undefined, timeoutInvalid: false }],
  ])('reads %j', (value, expected) => {
    expect(parseSessionHeader(value)).toEqual(expected);
  });

  it('rejects a header without a session id', () => {
    expect(() => parseSessionHeader(' ;timeout=60')).toThrow(RtspProtocolError);
  });

  it('throws nothing but RtspError on random values', () => {
    fc.assert(
      fc.property(fc.string(), (value) => {
        try {
          const { id, timeoutSec } = parseSessionHeader(value);
          expect(id).not.toBe('');
          if (timeoutSec !== undefined) expect(timeoutSec).toBeGreaterThan(0);
        } catch (error) {
          expect(error).toBeInstanceOf(RtspError);
        }
      }),
      { numRuns: 300 },
    );
  });
});
