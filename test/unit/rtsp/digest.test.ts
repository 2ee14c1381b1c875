import { describe, expect, it } from 'vitest';
import { digestResponse, digestUserhash, parseDigestAlgorithm } from '../../../src/rtsp/digest.js';

/** RFC 7616 §3.9.1. */
const rfc7616 = {
  username: 'Mufasa',
  password: 'Circle of Life',
  realm: 'http-auth@example.org',
  nonce: '7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v',
  method: 'GET',
  uri: '/dir/index.html',
  cnonce: 'f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ',
  nc: '00000001',
};

describe('digestResponse', () => {
  it('matches RFC 7616 §3.9.1 for MD5 and SHA-256', () => {
    expect(digestResponse({ ...rfc7616, algorithm: 'MD5' })).toBe(
      '8ca523f5e9506fed4657c9700eebdbec',
    );
    expect(digestResponse({ ...rfc7616, algorithm: 'SHA-256' })).toBe(
      '753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1',
    );
  });

  /** RFC 2617 §3.5's example request, without its qop-only fields. */
  const rfc2617 = {
    algorithm: 'MD5',
    username: 'Mufasa',
    password: 'Circle Of Life',
    realm: 'testrealm@host.com',
    nonce: 'dcd98b7102dd2f0e8b11d0f600bfb0c093',
    method: 'GET',
    uri: '/dir/index.html',
  } as const;

  it('matches RFC 2617 §3.5', () => {
    expect(digestResponse({ ...rfc2617, cnonce: '0a4f113b', nc: '00000001' })).toBe(
      '6629fae49393a05397450978507c4ef1',
    );
  });

  it('computes the RFC 2069 form without qop: H(HA1:nonce:HA2)', () => {
    // MD5(HA1 ":" nonce ":" HA2) with RFC 2617 §3.5's HA1 939e7578ed9e3c518a452acee763bce9 and
    // HA2 = MD5("GET:/dir/index.html") = 39aff3a2bab6126f332b942af96d3366, worked out independently.
    expect(digestResponse(rfc2617)).toBe('670fd8c2df070c60b045671b8b24ff02');
  });

  it('folds nonce and cnonce into HA1 for -sess', () => {
    const base = { ...rfc7616, algorithm: 'MD5' as const };
    const sess = digestResponse({ ...base, algorithm: 'MD5-sess' });
    expect(sess).not.toBe(digestResponse(base));
    expect(sess).not.toBe(digestResponse({ ...base, algorithm: 'MD5-sess', cnonce: 'other' }));
    expect(digestResponse({ ...base, algorithm: 'SHA-256-sess' })).toHaveLength(64);
  });
});

describe('digestUserhash', () => {
  it('hashes username:realm (RFC 7616 §3.4.4)', () => {
    expect(digestUserhash('SHA-256', 'Mufasa', 'http-auth@example.org')).toMatch(/^[0-9a-f]{64}$/);
    expect(digestUserhash('MD5', 'Mufasa', 'r')).not.toBe(digestUserhash('MD5', 'Mufasa', 's'));
  });
});

describe('parseDigestAlgorithm', () => {
  it('is case-insensitive and rejects unsupported algorithms', () => {
    expect(parseDigestAlgorithm('md5')).toBe('MD5');
    expect(parseDigestAlgorithm(' sha-256-SESS ')).toBe('SHA-256-sess');
    expect(parseDigestAlgorithm('SHA-512-256')).toBeUndefined();
  });
});
