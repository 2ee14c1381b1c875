import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { packetizeG711 } from '../../../src/packetizers/g711.js';

describe('packetizeG711', () => {
  it('cuts runs of samplesPerPacket bytes, the last one shorter, without markers', () => {
    const packets = packetizeG711(
      Uint8Array.from({ length: 5 }, (_, i) => i),
      2,
    );
    expect(packets.map((p) => [[...p.payload], p.marker])).toEqual([
      [[0, 1], false],
      [[2, 3], false],
      [[4], false],
    ]);
  });

  it('concatenated payloads give back the input', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 2000 }),
        fc.integer({ min: 1, max: 400 }),
        (encoded, perPacket) => {
          const packets = packetizeG711(encoded, perPacket);
          expect(Buffer.concat(packets.map((p) => p.payload)).equals(Buffer.from(encoded))).toBe(
            true,
          );
          expect(packets.length).toBe(Math.ceil(encoded.length / perPacket));
        },
      ),
      { numRuns: 100 },
    );
  });

  it('refuses a packet size of no samples', () => {
    expect(() => packetizeG711(Uint8Array.of(1), 0)).toThrow(/0 samples per packet/);
  });
});
