/**
 * WWW-Authenticate challenges (RFC 7235 §4.1): Basic (RFC 7617) and Digest
 * (RFC 7616). Several header fields, several challenges in one field; schemes
 * and digest algorithms this client cannot answer are left out.
 */
import { parseAuthParams, type AuthSchemeParams } from './auth-params.js';
import { parseDigestAlgorithm, type DigestAlgorithm } from './digest.js';

export interface AuthChallenge {
  scheme: 'basic' | 'digest';
  /** Empty when the server sent none. */
  realm: string;
  nonce?: string;
  opaque?: string;
  /** Absent means MD5 (RFC 7616 §3.3). */
  algorithm?: DigestAlgorithm;
  /** Lower-cased qop options, e.g. ['auth', 'auth-int']. */
  qop?: string[];
  stale?: boolean;
  userhash?: boolean;
}

export function parseWwwAuthenticate(values: readonly string[]): AuthChallenge[] {
  const challenges: AuthChallenge[] = [];
  for (const value of values) {
    for (const scheme of parseAuthParams(value)) {
      const challenge = toChallenge(scheme);
      if (challenge !== undefined) challenges.push(challenge);
    }
  }
  return challenges;
}

function toChallenge({ scheme, params }: AuthSchemeParams): AuthChallenge | undefined {
  const realm = params.get('realm') ?? '';
  if (scheme === 'basic') return { scheme, realm };
  const nonce = params.get('nonce');
  if (scheme !== 'digest' || nonce === undefined) return undefined;
  const challenge: AuthChallenge = { scheme, realm, nonce };
  const algorithmName = params.get('algorithm');
  if (algorithmName !== undefined) {
    const algorithm = parseDigestAlgorithm(algorithmName);
    if (algorithm === undefined) return undefined;
    challenge.algorithm = algorithm;
  }
  const opaque = params.get('opaque');
  if (opaque !== undefined) challenge.opaque = opaque;
  const qop = params.get('qop');
  if (qop !== undefined) {
    challenge.qop = qop
      .split(',')
      .map((option) => option.trim().toLowerCase())
      .filter((option) => option !== '');
  }
  // Hikvision sends `stale="FALSE"`.
  if (params.has('stale')) challenge.stale = params.get('stale')!.trim().toLowerCase() === 'true';
  if (params.has('userhash'))
    challenge.userhash = params.get('userhash')!.trim().toLowerCase() === 'true';
  return challenge;
}
