/**
 * HTTP Digest computations shared by client and server: RFC 7616 §3.4.1-3.4.2
 * (qop=auth, SHA-256 and -sess variants) and the RFC 2069 form without qop,
 * which most RTSP servers still use (RFC 2326 §D.2 refers to it).
 */
import { createHash } from 'node:crypto';

export type DigestAlgorithm = 'MD5' | 'MD5-sess' | 'SHA-256' | 'SHA-256-sess';

const ALGORITHMS: readonly DigestAlgorithm[] = ['MD5', 'MD5-sess', 'SHA-256', 'SHA-256-sess'];

/** The algorithm named by `text` (case-insensitive), undefined when unsupported (e.g. SHA-512-256). */
export function parseDigestAlgorithm(text: string): DigestAlgorithm | undefined {
  const upper = text.trim().toUpperCase();
  return ALGORITHMS.find((algorithm) => algorithm.toUpperCase() === upper);
}

export interface DigestInput {
  algorithm: DigestAlgorithm;
  username: string;
  password: string;
  realm: string;
  nonce: string;
  method: string;
  uri: string;
  /** Required by -sess and by qop. */
  cnonce?: string;
  /** With qop=auth: the 8-hex-digit nonce count. Without it, the RFC 2069 form. */
  nc?: string;
}

/** The `response` parameter (hex). */
export function digestResponse(input: DigestInput): string {
  const { algorithm, nonce, cnonce = '', nc } = input;
  let ha1 = digestHash(algorithm, `${input.username}:${input.realm}:${input.password}`);
  if (algorithm.endsWith('-sess')) ha1 = digestHash(algorithm, `${ha1}:${nonce}:${cnonce}`);
  const ha2 = digestHash(algorithm, `${input.method}:${input.uri}`);
  return nc === undefined
    ? digestHash(algorithm, `${ha1}:${nonce}:${ha2}`)
    : digestHash(algorithm, `${ha1}:${nonce}:${nc}:${cnonce}:auth:${ha2}`);
}

/** The hidden username of RFC 7616 §3.4.4 (`userhash=true`). */
export function digestUserhash(
  algorithm: DigestAlgorithm,
  username: string,
  realm: string,
): string {
  return digestHash(algorithm, `${username}:${realm}`);
}

function digestHash(algorithm: DigestAlgorithm, text: string): string {
  return createHash(algorithm.startsWith('SHA-256') ? 'sha256' : 'md5')
    .update(text, 'utf8')
    .digest('hex');
}
