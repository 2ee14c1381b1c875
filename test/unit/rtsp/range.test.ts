import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RtspError } from '../../../src/errors.js';
import { formatNptRange, parseNptRange } from '../../../src/rtsp/range.js';

describe('parseNptRange', () => {
  it.each([
    ['npt=0-', { start: 0 }],
    ['npt=0.000-', { start: 0 }],
    ['npt=1.5-10', { start: 1.5, end: 10 }],
    ['npt=now-', { start: 0 }],
    ['NPT = 5 - 7.25', { start: 5, end: 7.25 }],
    ['npt=-20', { start: 0, end: 20 }],
    ['npt=0:01:30.5-1:00:00', { start: 90.5, end: 3600 }],
    ['npt=3-;time=19970123T143720Z', { start: 3 }],
  ])('reads %j', (value, expected) => {
    expect(parseNptRange(value)).toEqual(expected);
  });

  it.each(['clock=19961108T142300Z-', 'smpte=0:10:20-', 'npt=abc-', 'npt=1-x', 'npt=5', ''])(
    'returns undefined for %j',
    (value) => {
      expect(parseNptRange(value)).toBeUndefined();
    },
  );

  it('round-trips with formatNptRange at millisecond precision', () => {
    const seconds = fc.integer({ min: 0, max: 10_000_000 }).map((ms) => ms / 1000);
    fc.assert(
      fc.property(seconds, fc.option(seconds, { nil: undefined }), (start, end) => {
        expect(parseNptRange(formatNptRange(start, end))).toEqual(
          end === undefined ? { start } : { start, end },
        );
      }),
      { numRuns: 200 },
    );
  });

  it('never throws on random values', () => {
    fc.assert(
      fc.property(
        fc.string().map((s) => `npt=${s}`),
        (value) => {
          const range = parseNptRange(value);
          if (range !== undefined) expect(range.start).toBeGreaterThanOrEqual(0);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('formatNptRange', () => {
  it('writes seconds without trailing zeros', () => {
    expect(formatNptRange(0)).toBe('npt=0-');
    expect(formatNptRange(1.5, 10)).toBe('npt=1.5-10');
    expect(formatNptRange(2.0004)).toBe('npt=2-');
  });

  it.each([-1, Number.NaN, Number.POSITIVE_INFINITY])('rejects %d', (value) => {
    expect(() => formatNptRange(value)).toThrow(RtspError);
  });
});
