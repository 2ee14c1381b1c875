import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { packetizeH265 } from '../../../src/packetizers/h265.js';

/** A NAL unit of `type` with LayerId `layer` and TID `tid` (H.265 §7.3.1.2). */
const nal = (type: number, length: number, layer = 0, tid = 1): Uint8Array =>
  Uint8Array.from({ length }, (_, i) =>
    i === 0 ? (type << 1) | (layer >> 5) : i === 1 ? ((layer & 0x1f) << 3) | tid : (i * 5) & 0xff,
  );

describe('packetizeH265', () => {
  it('sends a NAL unit that fits as is (RFC 7798 §4.4.1)', () => {
    const vps = nal(32, 24);
    expect(packetizeH265([vps], 1400)).toEqual([{ payload: vps, marker: true }]);
  });

  it('fragments a large NAL unit into FUs keeping LayerId and TID (§4.4.3)', () => {
    const idr = nal(19, 1990, 0, 1);
    const payloads = packetizeH265([idr], 1000);
    expect(payloads.map((p) => Array.from(p.payload.subarray(0, 3)))).toEqual([
      [49 << 1, 1, 0x80 | 19],
      [49 << 1, 1, 0x40 | 19],
    ]);
    const body = payloads.flatMap((p) => Array.from(p.payload.subarray(3)));
    expect(Uint8Array.from([idr[0]!, idr[1]!, ...body])).toEqual(idr);
    expect(payloads.map((p) => p.marker)).toEqual([false, true]);
  });

  it('aggregates small NAL units into an AP with the lowest LayerId and TID (§4.4.2)', () => {
    const [ap] = packetizeH265([nal(32, 4, 2, 3), nal(33, 3, 1, 2)], 1400, { aggregate: true });
    expect(Array.from(ap!.payload)).toEqual([
      (48 << 1) | 0,
      (1 << 3) | 2,
      0,
      4,
      ...nal(32, 4, 2, 3),
      0,
      3,
      ...nal(33, 3, 1, 2),
    ]);
  });

  it('keeps every payload within the MTU', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 2, max: 5000 }), { minLength: 1, maxLength: 8 }),
        fc.integer({ min: 4, max: 1500 }),
        fc.boolean(),
        (lengths, mtu, aggregate) => {
          for (const p of packetizeH265(
            lengths.map((l) => nal(1, l)),
            mtu,
            { aggregate },
          )) {
            expect(p.payload.length).toBeLessThanOrEqual(mtu);
          }
        },
      ),
      { numRuns: 100 },
    );
  });

  it('rejects an MTU that leaves no room after the FU headers', () => {
    expect(() => packetizeH265([nal(1, 10)], 3)).toThrow(
      /H\.265 packetizer: MTU must be an integer above 3/,
    );
  });
});
