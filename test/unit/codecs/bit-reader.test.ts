import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BitReader, removeEmulationPrevention } from '../../../src/codecs/bit-reader.js';
import { RtspProtocolError } from '../../../src/errors.js';
import { addEmulationPrevention, BitWriter, hex } from './bit-writer.js';

describe('removeEmulationPrevention', () => {
  it('drops the 03 of each 00 00 03 and keeps other bytes', () => {
    expect(removeEmulationPrevention(hex('0000030100000302'))).toEqual(hex('000001000002'));
    expect(removeEmulationPrevention(hex('00000303'))).toEqual(hex('000003'));
  });

  it('returns the input itself when there is nothing to remove', () => {
    const nal = hex('67640028ac');
    expect(removeEmulationPrevention(nal)).toBe(nal);
  });

  it('inverts emulation prevention for any RBSP', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (rbsp) => {
        expect(removeEmulationPrevention(addEmulationPrevention(rbsp))).toEqual(rbsp);
      }),
      { numRuns: 300 },
    );
  });
});

describe('BitReader', () => {
  it('reads fixed fields and Exp-Golomb codes (H.264 §9.1 table 9-2)', () => {
    // 1 | 010 | 011 | 00100 | 00101 → ue 0, 1, 2, 3; then se of code 4 = -2
    const reader = new BitReader(
      new BitWriter().u(3, 5).ue(0).ue(1).ue(2).ue(3).se(-2).bytes(),
      't',
    );
    expect(reader.readBits(3)).toBe(5);
    expect([reader.readUe(), reader.readUe(), reader.readUe(), reader.readUe()]).toEqual([
      0, 1, 2, 3,
    ]);
    expect(reader.readSe()).toBe(-2);
  });

  it('round-trips any sequence of fields written with the test writer', () => {
    const field = fc.oneof(
      fc.record({ kind: fc.constant('ue' as const), value: fc.nat({ max: 2 ** 31 }) }),
      fc.record({
        kind: fc.constant('se' as const),
        value: fc.integer({ min: -(2 ** 30), max: 2 ** 30 }),
      }),
      fc.record({ kind: fc.constant('u32' as const), value: fc.nat({ max: 2 ** 32 - 1 }) }),
    );
    fc.assert(
      fc.property(fc.array(field, { maxLength: 30 }), (fields) => {
        const writer = new BitWriter();
        for (const f of fields) {
          if (f.kind === 'ue') writer.ue(f.value);
          else if (f.kind === 'se') writer.se(f.value);
          else writer.u(32, f.value);
        }
        const reader = new BitReader(writer.bytes(), 'test');
        for (const f of fields) {
          const read =
            f.kind === 'ue'
              ? reader.readUe()
              : f.kind === 'se'
                ? reader.readSe()
                : reader.readBits(32);
          expect(read).toBe(f.value);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('throws RtspProtocolError naming the structure and bit when data runs out', () => {
    const reader = new BitReader(hex('ff'), 'H.264 SPS');
    reader.readBits(6);
    expect(() => reader.readBits(3)).toThrow(/H\.264 SPS truncated at bit 8/);
    expect(() => new BitReader(hex('00'), 'x').skipBits(9)).toThrow(RtspProtocolError);
  });

  it('rejects an Exp-Golomb code longer than 32 bits', () => {
    const reader = new BitReader(new Uint8Array(8), 'H.265 SPS');
    expect(() => reader.readUe()).toThrow(/Exp-Golomb code too long at bit 0/);
  });

  it('only ever throws RtspProtocolError on random bytes', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 16 }),
        fc.array(fc.nat({ max: 3 }), { maxLength: 40 }),
        (bytes, ops) => {
          const reader = new BitReader(bytes, 'fuzz');
          try {
            for (const op of ops)
              [
                () => reader.readUe(),
                () => reader.readSe(),
                () => reader.readBits(7),
                () => reader.skipBits(5),
              ][op]!();
          } catch (error) {
            expect(error).toBeInstanceOf(RtspProtocolError);
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
