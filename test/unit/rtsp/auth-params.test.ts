import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseAuthParams, quoteAuthParam } from '../../../src/rtsp/auth-params.js';

const asObjects = (value: string): { scheme: string; params: Record<string, string> }[] =>
  parseAuthParams(value).map(({ scheme, params }) => ({
    scheme,
    params: Object.fromEntries(params),
  }));

describe('parseAuthParams', () => {
  it('reads several schemes with their parameters', () => {
    expect(asObjects('Digest realm="a, b", nonce="n\\"1", Basic realm="r"')).toEqual([
      { scheme: 'digest', params: { realm: 'a, b', nonce: 'n"1' } },
      { scheme: 'basic', params: { realm: 'r' } },
    ]);
  });

  it('reads Hikvision-style unquoted values, spaces around = and uppercase names', () => {
    expect(asObjects('DIGEST REALM = IP Camera(C2183) , NONCE= abc123 ,STALE =FALSE')).toEqual([
      { scheme: 'digest', params: { realm: 'IP Camera(C2183)', nonce: 'abc123', stale: 'FALSE' } },
    ]);
  });

  it('skips token68 data and junk after a value', () => {
    expect(
      asObjects(
        'Negotiate YIIB6wYJKoZIhvcSAQICAQBuggHaMIIB1qADAgEF==, Digest realm="r" junk, nonce=x',
      ),
    ).toEqual([
      { scheme: 'negotiate', params: {} },
      { scheme: 'digest', params: { realm: 'r', nonce: 'x' } },
    ]);
  });

  it('keeps the first of a repeated parameter and reads an unterminated quote to the end', () => {
    expect(asObjects('Digest nonce="a", nonce="b", realm="open')).toEqual([
      { scheme: 'digest', params: { nonce: 'a', realm: 'open' } },
    ]);
  });

  it('reads back what quoteAuthParam wrote', () => {
    fc.assert(
      fc.property(fc.string(), (text) => {
        expect(
          parseAuthParams(`Digest realm=${quoteAuthParam(text)}`)[0]?.params.get('realm'),
        ).toBe(text);
      }),
      { numRuns: 200 },
    );
  });

  it('never throws on random text', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: fc.constantFrom('D', 'x', '=', '"', ',', ' ', '\\', '\t', 'é') }),
        (text) => {
          expect(Array.isArray(parseAuthParams(text))).toBe(true);
        },
      ),
      { numRuns: 300 },
    );
  });
});
