import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseH265Sprops, parseSpropParameterSets } from '../../../src/codecs/h26x-params.js';
import { hex } from './bit-writer.js';

describe('parseSpropParameterSets', () => {
  it('decodes the comma-separated base64 SPS and PPS of RFC 6184 §8.1', () => {
    // From test/fixtures/h264-aac.mp4 (640x360 High).
    const value = 'Z2QAHqy0BQF/y4CIAAADAAgAAAMBkHixdQ==,aO88sA==';
    expect(parseSpropParameterSets(value)).toEqual([
      hex('6764001eacb405017fcb80880000030008000003019078b175'),
      hex('68ef3cb0'),
    ]);
  });

  it('accepts missing padding, spaces and empty entries that cameras send', () => {
    expect(parseSpropParameterSets(' aO88sA,  ,')).toEqual([hex('68ef3cb0')]);
  });

  it('gives nothing for an absent or non-base64 value', () => {
    expect(parseSpropParameterSets(undefined)).toEqual([]);
    expect(parseSpropParameterSets('Z2QAHqy0,not base64!')).toEqual([]);
    expect(parseSpropParameterSets('Z')).toEqual([]);
  });

  it('returns standalone copies, not views of a shared pool', () => {
    const [nal] = parseSpropParameterSets('aO88sA==');
    expect(nal!.byteOffset).toBe(0);
    expect(nal!.buffer.byteLength).toBe(4);
  });
});

describe('parseH265Sprops', () => {
  it('reads sprop-vps, sprop-sps and sprop-pps (RFC 7798 §7.1)', () => {
    const sets = parseH265Sprops({
      'sprop-vps': 'QAEMAf//AWAAAAMAkAAAAwAAAwA/ugJA',
      'sprop-sps': 'QgEBAWAAAAMAkAAAAwAAAwA/oAUCAWllupJMrwFoCAAAAwAIAAADAMhA',
      'sprop-pps': 'RAHBcrRiQA==',
    });
    expect(sets.vps).toEqual([hex('40010c01ffff01600000030090000003000003003fba0240')]);
    expect(sets.sps[0]![0]).toBe(0x42);
    expect(sets.pps).toEqual([hex('4401c172b46240')]);
  });

  it('leaves a kind empty when it is missing or broken', () => {
    expect(parseH265Sprops({ 'sprop-sps': '***' })).toEqual({ vps: [], sps: [], pps: [] });
  });
});

describe('sprop parameter sets (properties)', () => {
  it('any NAL units, base64 with or without padding and spaced as cameras do, come back byte for byte', () => {
    fc.assert(
      fc.property(
        fc.array(fc.uint8Array({ minLength: 1, maxLength: 40 }), { minLength: 1, maxLength: 4 }),
        fc.boolean(),
        fc.constantFrom(',', ', ', ' ,'),
        (nalUnits, padded, separator) => {
          const encoded = nalUnits.map((nal) => {
            const text = Buffer.from(nal).toString('base64');
            return padded ? text : text.replace(/=+$/, '');
          });
          expect(parseSpropParameterSets(encoded.join(separator))).toEqual(nalUnits);
          expect(parseH265Sprops({ 'sprop-sps': encoded.join(separator) }).sps).toEqual(nalUnits);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('any text gives a list of NAL units or nothing, never an exception', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 60 }), (text) => {
        const nalUnits = parseSpropParameterSets(text);
        expect(nalUnits.every((nal) => nal instanceof Uint8Array)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});
