import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseWwwAuthenticate } from '../../../src/rtsp/auth-challenge.js';
import {
  basicChallenge,
  digestChallenge,
  verifyAuthorization,
} from '../../../src/rtsp/auth-server.js';

const credentials = { username: 'Mufasa', password: 'Circle Of Life' };
const opts = {
  realm: 'testrealm@host.com',
  nonce: 'dcd98b7102dd2f0e8b11d0f600bfb0c093',
  allowBasic: false,
};
/** RFC 2617 §3.5's Authorization, verbatim. */
const rfc2617 =
  'Digest username="Mufasa", realm="testrealm@host.com", nonce="dcd98b7102dd2f0e8b11d0f600bfb0c093", uri="/dir/index.html", ' +
  'qop=auth, nc=00000001, cnonce="0a4f113b", response="6629fae49393a05397450978507c4ef1", opaque="5ccc069c403ebaf9f0171e9517f40e41"';

describe('digestChallenge / basicChallenge', () => {
  it('writes challenges the client parser reads back', () => {
    expect(digestChallenge('r"q', 'n')).toBe('Digest realm="r\\"q", nonce="n"');
    expect(
      parseWwwAuthenticate([digestChallenge('cam', 'abc', 'SHA-256'), basicChallenge('cam')]),
    ).toEqual([
      { scheme: 'digest', realm: 'cam', nonce: 'abc', algorithm: 'SHA-256' },
      { scheme: 'basic', realm: 'cam' },
    ]);
  });
});

describe('verifyAuthorization', () => {
  it('accepts the RFC 2617 §3.5 example', () => {
    expect(verifyAuthorization(rfc2617, 'GET', credentials, opts)).toBe(true);
  });

  it.each([
    ['another method', rfc2617, 'POST', credentials, opts],
    ['another password', rfc2617, 'GET', { ...credentials, password: 'x' }, opts],
    ['another user', rfc2617, 'GET', { ...credentials, username: 'Simba' }, opts],
    ['another nonce', rfc2617, 'GET', credentials, { ...opts, nonce: 'fresh' }],
    ['another realm', rfc2617, 'GET', credentials, { ...opts, realm: 'other' }],
    ['qop=auth-int', rfc2617.replace('qop=auth', 'qop=auth-int'), 'GET', credentials, opts],
    ['qop without nc', rfc2617.replace('nc=00000001, ', ''), 'GET', credentials, opts],
    ['no response', rfc2617.replace(/response="[^"]*", /, ''), 'GET', credentials, opts],
    ['an unknown algorithm', `${rfc2617}, algorithm=SHA-512-256`, 'GET', credentials, opts],
    ['no header', undefined, 'GET', credentials, opts],
    ['another scheme', 'Bearer abc', 'GET', credentials, opts],
  ])('rejects %s', (_, header, method, user, options) => {
    expect(verifyAuthorization(header, method, user, options)).toBe(false);
  });

  it('accepts Basic only when allowed', () => {
    const header = `Basic ${Buffer.from('Mufasa:Circle Of Life').toString('base64')}`;
    expect(
      verifyAuthorization(header, 'DESCRIBE', credentials, { ...opts, allowBasic: true }),
    ).toBe(true);
    expect(verifyAuthorization(header, 'DESCRIBE', credentials, opts)).toBe(false);
    expect(
      verifyAuthorization('Basic bm9wZQ==', 'DESCRIBE', credentials, { ...opts, allowBasic: true }),
    ).toBe(false);
  });

  it('never throws on random headers', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc.string().map((s) => `Digest ${s}`),
          fc.string().map((s) => `Basic ${s}`),
        ),
        (header) => {
          expect(
            verifyAuthorization(header, 'OPTIONS', credentials, { ...opts, allowBasic: true }),
          ).toBe(false);
        },
      ),
      { numRuns: 300 },
    );
  });
});
