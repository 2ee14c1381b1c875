import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseAuthParams } from '../../../src/rtsp/auth-params.js';
import {
  basicChallenge,
  digestChallenge,
  verifyAuthorization,
} from '../../../src/rtsp/auth-server.js';
import { Authenticator } from '../../../src/rtsp/authenticator.js';

const mufasa = { username: 'Mufasa', password: 'Circle of Life' };
const rfc7616Challenge = (algorithm: string): string =>
  `Digest realm="http-auth@example.org", qop="auth, auth-int", algorithm=${algorithm}, ` +
  'nonce="7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v", opaque="FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS"';
const rfcCnonce = (): string => 'f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ';

function params(authorization: string | undefined): Record<string, string> {
  return Object.fromEntries(parseAuthParams(authorization ?? '')[0]?.params ?? []);
}

describe('Authenticator', () => {
  it('answers nothing before a challenge', () => {
    expect(new Authenticator(mufasa).authorization('OPTIONS', 'rtsp://h/')).toBeUndefined();
  });

  it('reproduces RFC 7616 §3.9.1, choosing SHA-256 over MD5', () => {
    const authenticator = new Authenticator(mufasa, { cnonce: rfcCnonce });
    expect(
      authenticator.handleChallenge([rfc7616Challenge('MD5'), rfc7616Challenge('SHA-256')]),
    ).toEqual({ retry: true });
    const authorization = authenticator.authorization('GET', '/dir/index.html');
    expect(params(authorization)).toEqual({
      username: 'Mufasa',
      realm: 'http-auth@example.org',
      uri: '/dir/index.html',
      algorithm: 'SHA-256',
      nonce: '7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v',
      nc: '00000001',
      cnonce: 'f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ',
      qop: 'auth',
      response: '753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1',
      opaque: 'FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS',
    });
  });

  it('reproduces the RFC 7616 MD5 response and counts nc per nonce', () => {
    const authenticator = new Authenticator(mufasa, { cnonce: rfcCnonce });
    authenticator.handleChallenge([rfc7616Challenge('MD5')]);
    expect(params(authenticator.authorization('GET', '/dir/index.html')).response).toBe(
      '8ca523f5e9506fed4657c9700eebdbec',
    );
    expect(params(authenticator.authorization('GET', '/dir/index.html')).nc).toBe('00000002');
  });

  it('uses the RFC 2069 form when the server offers no qop', () => {
    const authenticator = new Authenticator({ username: 'Mufasa', password: 'Circle Of Life' });
    authenticator.handleChallenge([
      'Digest realm="testrealm@host.com", nonce="dcd98b7102dd2f0e8b11d0f600bfb0c093"',
    ]);
    const sent = params(authenticator.authorization('GET', '/dir/index.html'));
    expect(sent).toEqual({
      username: 'Mufasa',
      realm: 'testrealm@host.com',
      nonce: 'dcd98b7102dd2f0e8b11d0f600bfb0c093',
      uri: '/dir/index.html',
      response: '670fd8c2df070c60b045671b8b24ff02',
    });
  });

  it('prefers MD5 digest to Basic, and uses Basic when it is all there is', () => {
    const both = new Authenticator(mufasa);
    both.handleChallenge(['Basic realm="r"', 'Digest realm="r", nonce="n"']);
    expect(both.authorization('DESCRIBE', 'rtsp://h/')).toMatch(/^Digest /);
    const basic = new Authenticator({ username: 'Aladdin', password: 'open sesame' });
    basic.handleChallenge(['Basic realm="WallyWorld"']);
    expect(basic.authorization('DESCRIBE', 'rtsp://h/')).toBe('Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==');
  });

  it('refuses Basic when allowBasic is false, saying why', () => {
    const result = new Authenticator(mufasa, { allowBasic: false }).handleChallenge([
      'Basic realm="r"',
    ]);
    expect(result).toEqual({
      retry: false,
      reason: expect.stringMatching(/only Basic.*allowBasic: false/),
    });
  });

  it('reports what was offered when nothing is usable', () => {
    const result = new Authenticator(mufasa).handleChallenge([
      'Negotiate abc',
      'Digest realm="r", nonce="n", algorithm=SHA-512-256',
      'Digest realm="r", nonce="n", qop="auth-int"',
    ]);
    expect(result).toEqual({
      retry: false,
      reason:
        'no usable authentication challenge (offered: negotiate, digest algorithm=SHA-512-256, digest qop=auth-int)',
    });
    expect(new Authenticator(mufasa).handleChallenge([])).toEqual({
      retry: false,
      reason: expect.stringContaining('offered: none'),
    });
  });

  it('stops when the credentials it sent are rejected', () => {
    const authenticator = new Authenticator(mufasa);
    expect(authenticator.handleChallenge([digestChallenge('r', 'n1')])).toEqual({ retry: true });
    authenticator.authorization('DESCRIBE', 'rtsp://h/');
    const result = authenticator.handleChallenge([digestChallenge('r', 'n2')]);
    expect(result).toEqual({
      retry: false,
      reason: expect.stringContaining('rejected the credentials of user "Mufasa"'),
    });
    expect(JSON.stringify(result)).not.toContain('Circle');
  });

  it('retries a stale nonce once it changes, but not a stale nonce repeated', () => {
    const authenticator = new Authenticator(mufasa);
    authenticator.handleChallenge([digestChallenge('r', 'n1')]);
    authenticator.authorization('DESCRIBE', 'rtsp://h/');
    expect(authenticator.handleChallenge(['Digest realm="r", nonce="n2", stale=true'])).toEqual({
      retry: true,
    });
    expect(params(authenticator.authorization('DESCRIBE', 'rtsp://h/')).nonce).toBe('n2');
    expect(authenticator.handleChallenge(['Digest realm="r", nonce="n2", stale=true']).retry).toBe(
      false,
    );
  });

  it('retries a new nonce after credentials were accepted under the old one', () => {
    const authenticator = new Authenticator(mufasa);
    authenticator.handleChallenge([digestChallenge('r', 'n1')]);
    authenticator.authorization('DESCRIBE', 'rtsp://h/');
    authenticator.authorization('SETUP', 'rtsp://h/track1');
    expect(authenticator.handleChallenge([digestChallenge('r', 'n2')])).toEqual({ retry: true });
    authenticator.authorization('GET_PARAMETER', 'rtsp://h/');
    expect(authenticator.handleChallenge([digestChallenge('r', 'n3')]).retry).toBe(false);
  });

  it('sends userhash and -sess parameters', () => {
    const authenticator = new Authenticator(mufasa, { cnonce: () => 'c' });
    authenticator.handleChallenge([
      'Digest realm="r", nonce="n", algorithm=MD5-sess, userhash=true',
    ]);
    const sent = params(authenticator.authorization('PLAY', 'rtsp://h/'));
    expect(sent).toMatchObject({ algorithm: 'MD5-sess', cnonce: 'c', userhash: 'true' });
    expect(sent.username).toMatch(/^[0-9a-f]{32}$/);
    expect(sent.qop).toBeUndefined();
  });
});

describe('Authenticator with verifyAuthorization', () => {
  const credentials = fc.record({ username: fc.string({ minLength: 1 }), password: fc.string() });
  const challengeKind = fc.constantFrom('MD5', 'SHA-256', 'basic', 'qop-auth', 'SHA-256-sess');

  it('agree for any credentials, method and URI, and disagree on a wrong password', () => {
    fc.assert(
      fc.property(
        credentials,
        fc.string(),
        fc.constantFrom('OPTIONS', 'DESCRIBE', 'SETUP', 'PLAY'),
        fc.webUrl(),
        challengeKind,
        (user, realm, method, uri, kind) => {
          const nonce = 'b5c9a1f0';
          const challenge =
            kind === 'basic'
              ? basicChallenge(realm)
              : kind === 'qop-auth'
                ? `${digestChallenge(realm, nonce)}, qop="auth"`
                : kind === 'SHA-256-sess'
                  ? `Digest realm="${realm.replace(/["\\]/g, '\\$&')}", nonce="${nonce}", algorithm=SHA-256-sess, qop=auth`
                  : digestChallenge(realm, nonce, kind);
          const opts = { realm, nonce, allowBasic: true };
          const right = new Authenticator(user);
          expect(right.handleChallenge([challenge]).retry).toBe(true);
          expect(verifyAuthorization(right.authorization(method, uri), method, user, opts)).toBe(
            true,
          );
          const wrong = new Authenticator({ ...user, password: `${user.password}x` });
          wrong.handleChallenge([challenge]);
          expect(verifyAuthorization(wrong.authorization(method, uri), method, user, opts)).toBe(
            false,
          );
        },
      ),
      { numRuns: 150 },
    );
  });
});
