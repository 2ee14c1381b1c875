import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseWwwAuthenticate } from '../../../src/rtsp/auth-challenge.js';

describe('parseWwwAuthenticate', () => {
  it('reads challenges from several header values and several per value', () => {
    expect(
      parseWwwAuthenticate([
        'Digest realm="IP Camera(C2183)", nonce="a3f2", stale="FALSE"',
        'Basic realm="IP Camera(C2183)"',
        'Digest realm="r", nonce="n2", algorithm=SHA-256, qop="auth, auth-int", opaque="o", userhash=true, Basic realm="r2"',
      ]),
    ).toEqual([
      { scheme: 'digest', realm: 'IP Camera(C2183)', nonce: 'a3f2', stale: false },
      { scheme: 'basic', realm: 'IP Camera(C2183)' },
      {
        scheme: 'digest',
        realm: 'r',
        nonce: 'n2',
        algorithm: 'SHA-256',
        qop: ['auth', 'auth-int'],
        opaque: 'o',
        userhash: true,
      },
      { scheme: 'basic', realm: 'r2' },
    ]);
  });

  it('reads unquoted values, spaces around = and uppercase names (Hikvision)', () => {
    expect(
      parseWwwAuthenticate([
        'DIGEST REALM = "HipcamRealServer" , NONCE = 3b27a446bfa49b0c48c3edb83139543d , ALGORITHM = md5-SESS , STALE = TRUE',
      ]),
    ).toEqual([
      {
        scheme: 'digest',
        realm: 'HipcamRealServer',
        nonce: '3b27a446bfa49b0c48c3edb83139543d',
        algorithm: 'MD5-sess',
        stale: true,
      },
    ]);
  });

  it('skips unknown schemes, unknown algorithms and digests without a nonce', () => {
    expect(
      parseWwwAuthenticate([
        'Negotiate abc==, NTLM',
        'Digest realm="r", nonce="n", algorithm=SHA-512-256',
        'Digest realm="r"',
        'Digest realm="r", nonce="ok"',
      ]),
    ).toEqual([{ scheme: 'digest', realm: 'r', nonce: 'ok' }]);
  });

  it('gives Basic without a realm an empty realm', () => {
    expect(parseWwwAuthenticate(['Basic'])).toEqual([{ scheme: 'basic', realm: '' }]);
  });

  it('never throws on random values', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(
            fc.string(),
            fc.string().map((s) => `Digest nonce=x, ${s}`),
          ),
        ),
        (values) => {
          for (const challenge of parseWwwAuthenticate(values))
            expect(['basic', 'digest']).toContain(challenge.scheme);
        },
      ),
      { numRuns: 200 },
    );
  });
});
