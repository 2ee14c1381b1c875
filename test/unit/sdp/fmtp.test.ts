import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseFmtp } from '../../../src/sdp/fmtp.js';

describe('parseFmtp', () => {
  it('lower-cases keys, trims values and keeps base64 padding', () => {
    expect(
      parseFmtp(
        'packetization-mode=1; sprop-parameter-sets=Z0IAKeKQ...,aM4xsg==; Profile-Level-ID=42001f',
      ),
    ).toEqual({
      'packetization-mode': '1',
      'sprop-parameter-sets': 'Z0IAKeKQ...,aM4xsg==',
      'profile-level-id': '42001f',
    });
  });

  it('tolerates empty items, a trailing ";", bare tokens and repeated keys (first wins)', () => {
    expect(parseFmtp(' ; config=1408;;mode = AAC-hbr ;0-15;config=9;')).toEqual({
      config: '1408',
      mode: 'AAC-hbr',
      '0-15': '',
    });
    expect(parseFmtp('')).toEqual({});
  });

  it('keeps keys that name Object.prototype members as plain keys', () => {
    const fmtp = parseFmtp('__proto__=x;constructor=y');
    expect(Object.keys(fmtp)).toEqual(['__proto__', 'constructor']);
    expect(Object.getPrototypeOf(fmtp)).toBe(Object.prototype);
    expect(fmtp.constructor).toBe('y');
  });

  it('round-trips any key=value list (property)', () => {
    const key = fc.stringMatching(/^[a-z][a-z0-9-]{0,15}$/);
    const value = fc.stringMatching(/^[A-Za-z0-9+/=,.-]{0,24}$/);
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.tuple(key, value), { selector: ([k]) => k, maxLength: 8 }),
        (pairs) => {
          const text = pairs.map(([k, v]) => `${k.toUpperCase()}=${v}`).join('; ');
          expect(parseFmtp(text)).toEqual(Object.fromEntries(pairs));
        },
      ),
      { numRuns: 200 },
    );
  });
});
