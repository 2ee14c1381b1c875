import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ErrorCodes } from '../../../src/errors.js';
import { aacFmtp, packetizeAac } from '../../../src/packetizers/aac.js';

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');

describe('packetizeAac (RFC 3640 AAC-hbr)', () => {
  it('puts consecutive small AUs in one packet: 16-bit AU-headers-length, 13-bit size + 3-bit index each', () => {
    const packets = packetizeAac([Uint8Array.of(0xa1, 0xa2), Uint8Array.of(0xb1)], 1400);
    expect(packets.map((p) => [hex(p.payload), p.marker, p.accessUnitIndex])).toEqual([
      ['0020' + '0010' + '0008' + 'a1a2' + 'b1', true, 0],
    ]);
  });

  it('starts a new packet when the next AU would pass the MTU', () => {
    const aus = [new Uint8Array(6).fill(1), new Uint8Array(6).fill(2), new Uint8Array(2).fill(3)];
    const packets = packetizeAac(aus, 14);
    expect(packets.map((p) => [p.payload.length, p.accessUnitIndex])).toEqual([
      [10, 0],
      [14, 1], // AU 1 and AU 2: 2 + 2×2 + 6 + 2
    ]);
  });

  it('fragments an AU larger than the MTU; each fragment repeats the whole size; marker on the last', () => {
    const au = Uint8Array.from({ length: 10 }, (_, i) => i);
    const packets = packetizeAac([au], 8);
    expect(packets.map((p) => [hex(p.payload), p.marker, p.accessUnitIndex])).toEqual([
      ['0010' + '0050' + '00010203', false, 0],
      ['0010' + '0050' + '04050607', false, 0],
      ['0010' + '0050' + '0809', true, 0],
    ]);
  });

  it('refuses empty or oversized AUs and an MTU with no room for data', () => {
    const invalid = expect.objectContaining({ code: ErrorCodes.ERR_RTSP_INVALID_ARGUMENT });
    expect(() => packetizeAac([new Uint8Array(0)], 1400)).toThrow(invalid);
    expect(() => packetizeAac([new Uint8Array(8192)], 1400)).toThrow(
      /access unit 0 has 8192 bytes/,
    );
    expect(() => packetizeAac([Uint8Array.of(1)], 4)).toThrow(/MTU 4/);
  });
});

describe('aacFmtp', () => {
  it('describes AAC-hbr with the config in hex', () => {
    expect(aacFmtp(Uint8Array.of(0x11, 0x90))).toEqual({
      streamtype: '5',
      'profile-level-id': '1',
      mode: 'AAC-hbr',
      sizelength: '13',
      indexlength: '3',
      indexdeltalength: '3',
      config: '1190',
    });
  });
});

describe('packetizeAac (properties)', () => {
  it('never passes the MTU, keeps AU order, and sets the marker only where an AU ends', () => {
    fc.assert(
      fc.property(
        fc.array(fc.uint8Array({ minLength: 1, maxLength: 700 }), { minLength: 1, maxLength: 8 }),
        fc.integer({ min: 5, max: 1500 }),
        (accessUnits, mtu) => {
          const packets = packetizeAac(accessUnits, mtu);
          for (const p of packets) expect(p.payload.length).toBeLessThanOrEqual(mtu);
          const indexes = packets.map((p) => p.accessUnitIndex);
          expect(indexes).toEqual([...indexes].sort((a, b) => a - b));
          expect(packets.at(-1)!.marker).toBe(true);
          // A packet without the marker is a fragment: the next one continues the same AU.
          packets.forEach((p, i) => {
            if (!p.marker) expect(packets[i + 1]!.accessUnitIndex).toBe(p.accessUnitIndex);
          });
        },
      ),
      { numRuns: 150 },
    );
  });
});
