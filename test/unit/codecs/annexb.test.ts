import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { joinAnnexB, splitAnnexB, splitLengthPrefixed } from '../../../src/codecs/annexb.js';
import { RtspError, RtspProtocolError } from '../../../src/errors.js';
import { hex } from './bit-writer.js';

/** NAL units as an encoder makes them: non-empty, no 00 00 0x start-code prefix, no trailing zero. */
const nalUnit = fc.uint8Array({ minLength: 1, maxLength: 60 }).map((bytes) => {
  const out = Array.from(bytes);
  for (let i = 2; i < out.length; i++)
    if (out[i - 1] === 0 && out[i - 2] === 0 && out[i]! <= 3) out[i] = 4;
  if (out[out.length - 1] === 0) out[out.length - 1] = 0x80;
  return Uint8Array.from(out);
});

describe('splitAnnexB', () => {
  it('splits on 3- and 4-byte start codes and trims trailing zero bytes', () => {
    const stream = hex('0000000167aa' + '00000168bb0000' + '00000165cc');
    expect(splitAnnexB(stream)).toEqual([hex('67aa'), hex('68bb'), hex('65cc')]);
  });

  it('ignores bytes before the first start code and empty NAL units', () => {
    expect(splitAnnexB(hex('ff0000010000000141'))).toEqual([hex('41')]);
    expect(splitAnnexB(hex('6742'))).toEqual([]);
  });

  it('returns views into the input, not copies', () => {
    const stream = hex('0000000167aa');
    expect(splitAnnexB(stream)[0]!.buffer).toBe(stream.buffer);
  });

  it('round-trips with joinAnnexB whatever the start code lengths', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(nalUnit, fc.boolean()), { maxLength: 12 }), (units) => {
        const nals = units.map(([nal]) => nal);
        const mixed = units.flatMap(([nal, long]) => [
          ...(long ? [0, 0, 0, 1] : [0, 0, 1]),
          ...nal,
        ]);
        expect(splitAnnexB(Uint8Array.from(mixed))).toEqual(nals);
        expect(splitAnnexB(joinAnnexB(nals))).toEqual(nals);
      }),
      { numRuns: 200 },
    );
  });

  it('never throws and never returns an empty unit on random bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        for (const nal of splitAnnexB(bytes)) expect(nal.length).toBeGreaterThan(0);
      }),
      { numRuns: 300 },
    );
  });
});

describe('joinAnnexB', () => {
  it('writes each unit after a 4-byte start code in one buffer', () => {
    expect(joinAnnexB([hex('67'), hex('68ce')])).toEqual(hex('0000000167' + '0000000168ce'));
    expect(joinAnnexB([])).toEqual(new Uint8Array(0));
  });
});

describe('splitLengthPrefixed', () => {
  it('splits AVCC samples with 4-, 2- and 1-byte lengths', () => {
    expect(splitLengthPrefixed(hex('0000000265aa' + '0000000141'), 4)).toEqual([
      hex('65aa'),
      hex('41'),
    ]);
    expect(splitLengthPrefixed(hex('000265aa'), 2)).toEqual([hex('65aa')]);
    expect(splitLengthPrefixed(hex('0265aa0141'), 1)).toEqual([hex('65aa'), hex('41')]);
  });

  it('throws RtspProtocolError with the position of a length that runs past the sample', () => {
    expect(() => splitLengthPrefixed(hex('0000000265aa' + '00000009ff'), 4)).toThrow(
      expect.objectContaining({ position: 6, message: expect.stringMatching(/at byte 6/) }),
    );
    expect(() => splitLengthPrefixed(hex('000000'), 4)).toThrow(RtspProtocolError);
  });

  it('rejects a length size that MP4 does not allow', () => {
    expect(() => splitLengthPrefixed(hex('00'), 3)).toThrow(/1, 2 or 4/);
  });

  it('round-trips NAL units through any allowed length size', () => {
    fc.assert(
      fc.property(
        fc.array(nalUnit, { maxLength: 10 }),
        fc.constantFrom(1, 2, 4),
        (nals, lengthSize) => {
          const sample = nals.flatMap((nal) => {
            const length = Array.from(
              { length: lengthSize },
              (_, i) => (nal.length >> (8 * (lengthSize - 1 - i))) & 0xff,
            );
            return [...length, ...nal];
          });
          expect(splitLengthPrefixed(Uint8Array.from(sample), lengthSize)).toEqual(nals);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('only throws RtspProtocolError on random bytes', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 100 }),
        fc.constantFrom(1, 2, 4),
        (bytes, lengthSize) => {
          try {
            for (const nal of splitLengthPrefixed(bytes, lengthSize))
              expect(nal.length).toBeGreaterThan(0);
          } catch (error) {
            expect(error).toBeInstanceOf(RtspProtocolError);
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('reports a bad length size as an RtspError, not a protocol error', () => {
    try {
      splitLengthPrefixed(hex('00'), 0);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(RtspError);
      expect(error).not.toBeInstanceOf(RtspProtocolError);
    }
  });
});
