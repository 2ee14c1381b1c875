import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parsePublic } from '../../../src/rtsp/public-header.js';

describe('parsePublic', () => {
  it('upper-cases and trims method names', () => {
    expect(parsePublic('OPTIONS, describe,SETUP ,, play, GET_PARAMETER')).toEqual(
      new Set(['OPTIONS', 'DESCRIBE', 'SETUP', 'PLAY', 'GET_PARAMETER']),
    );
  });

  it('is empty without the header', () => {
    expect(parsePublic(undefined).size).toBe(0);
    expect(parsePublic('  ').size).toBe(0);
  });
});

describe('parsePublic (properties)', () => {
  const method = fc.stringMatching(/^[A-Za-z_]{1,15}$/);

  it('any list of method tokens, however spaced, gives the set of their upper-case names', () => {
    fc.assert(
      fc.property(
        fc.array(method, { maxLength: 8 }),
        fc.constantFrom(',', ', ', ' , '),
        (names, sep) => {
          expect(parsePublic(names.join(sep))).toEqual(new Set(names.map((n) => n.toUpperCase())));
        },
      ),
      { numRuns: 200 },
    );
  });

  it('any text gives non-empty, trimmed, upper-case names', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 60 }), (text) => {
        for (const name of parsePublic(text)) expect(name).toBe(name.trim().toUpperCase());
        expect(parsePublic(text).has('')).toBe(false);
      }),
      { numRuns: 200 },
    );
  });
});
