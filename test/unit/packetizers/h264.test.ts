import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { packetizeH264 } from '../../../src/packetizers/h264.js';

const nal = (header: number, length: number): Uint8Array =>
  Uint8Array.from({ length }, (_, i) => (i === 0 ? header : (i * 7) & 0xff));

describe('packetizeH264', () => {
  it('sends a NAL unit that fits as a single NAL unit packet, marker on the last', () => {
    const sps = nal(0x67, 10);
    const idr = nal(0x65, 100);
    const payloads = packetizeH264([sps, idr], 1400);
    expect(payloads).toEqual([
      { payload: sps, marker: false },
      { payload: idr, marker: true },
    ]);
  });

  it('fragments a large NAL unit into FU-A with S on the first and E on the last (RFC 6184 §5.8)', () => {
    const idr = nal(0x65, 2500);
    const payloads = packetizeH264([idr], 1000);
    expect(payloads.map((p) => [p.payload[0], p.payload[1], p.payload.length, p.marker])).toEqual([
      [0x7c, 0x85, 1000, false],
      [0x7c, 0x05, 1000, false],
      [0x7c, 0x45, 2 + 2499 - 2 * 998, true],
    ]);
    const body = payloads.flatMap((p) => Array.from(p.payload.subarray(2)));
    expect(Uint8Array.from([0x65, ...body])).toEqual(idr);
  });

  it('aggregates small NAL units into STAP-A with F ORed and the highest NRI (§5.7.1)', () => {
    const sei = Uint8Array.from([0x06, 0xaa]); // NRI 0
    const sps = Uint8Array.from([0x67, 0x42]); // NRI 3
    const [stap, ...rest] = packetizeH264([sei, sps, nal(0x65, 300)], 100, { aggregate: true });
    expect(stap!.payload).toEqual(Uint8Array.from([0x78, 0, 2, 0x06, 0xaa, 0, 2, 0x67, 0x42]));
    expect(rest.map((p) => p.payload[0])).toEqual([0x7c, 0x7c, 0x7c, 0x7c]);
  });

  it('keeps every payload within the MTU and the marker only on the last', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 5000 }), { minLength: 1, maxLength: 8 }),
        fc.integer({ min: 3, max: 1500 }),
        fc.boolean(),
        (lengths, mtu, aggregate) => {
          const payloads = packetizeH264(
            lengths.map((l) => nal(0x41, l)),
            mtu,
            { aggregate },
          );
          for (const p of payloads) expect(p.payload.length).toBeLessThanOrEqual(mtu);
          expect(payloads.map((p) => p.marker)).toEqual(
            payloads.map((_, i) => i === payloads.length - 1),
          );
        },
      ),
      { numRuns: 100 },
    );
  });

  it('rejects an MTU too small for an FU-A and an empty NAL unit', () => {
    expect(() => packetizeH264([nal(0x65, 10)], 2)).toThrow(/MTU must be an integer above 2/);
    expect(() => packetizeH264([new Uint8Array(0)], 1400)).toThrow(/NAL unit 0 has 0 bytes/);
  });
});
