/**
 * Server side of RTSP authentication, for the embedded server and test
 * simulators: challenges to send with a 401, and checking the answer.
 * Challenges use the RFC 2069 digest form without qop, as RTSP servers do
 * (live555, mediamtx), so every client can answer; qop=auth answers are accepted too.
 */
import { timingSafeEqual } from 'node:crypto';
import type { Credentials } from './authenticator.js';
import { parseAuthParams, quoteAuthParam } from './auth-params.js';
import { digestResponse, digestUserhash, parseDigestAlgorithm } from './digest.js';

const BASIC_CREDENTIALS = /^basic[ \t]+([A-Za-z0-9+/=._~-]+)[ \t]*$/i;
const NONCE_COUNT = /^[0-9a-f]{8}$/i;

/** A WWW-Authenticate value offering Digest (RFC 7616 §3.3). */
export function digestChallenge(
  realm: string,
  nonce: string,
  algorithm: 'MD5' | 'SHA-256' = 'MD5',
): string {
  const algorithmParam = algorithm === 'MD5' ? '' : `, algorithm=${algorithm}`;
  return `Digest realm=${quoteAuthParam(realm)}, nonce=${quoteAuthParam(nonce)}${algorithmParam}`;
}

/** A WWW-Authenticate value offering Basic (RFC 7617 §2). */
export function basicChallenge(realm: string): string {
  return `Basic realm=${quoteAuthParam(realm)}`;
}

/** Whether `header` (an Authorization value) proves `credentials` for this realm and nonce. Never throws. */
export function verifyAuthorization(
  header: string | undefined,
  method: string,
  credentials: Credentials,
  opts: { realm: string; nonce: string; allowBasic: boolean },
): boolean {
  if (header === undefined) return false;
  const basic = BASIC_CREDENTIALS.exec(header.trim());
  if (basic !== null) {
    const expected = Buffer.from(`${credentials.username}:${credentials.password}`, 'utf8');
    return opts.allowBasic && sameBytes(Buffer.from(basic[1]!, 'base64'), expected); // group of a match
  }
  const digest = parseAuthParams(header)[0];
  if (digest?.scheme !== 'digest') return false;
  const param = (name: string): string | undefined => digest.params.get(name);
  const algorithm = parseDigestAlgorithm(param('algorithm') ?? 'MD5');
  const uri = param('uri');
  const response = param('response');
  if (algorithm === undefined || uri === undefined || response === undefined) return false;
  if (param('realm') !== opts.realm || param('nonce') !== opts.nonce) return false;
  const expectedUsername =
    param('userhash')?.toLowerCase() === 'true'
      ? digestUserhash(algorithm, credentials.username, opts.realm)
      : credentials.username;
  if (param('username') !== expectedUsername) return false;
  const qop = param('qop');
  const nc = param('nc');
  if (
    qop !== undefined &&
    (qop.toLowerCase() !== 'auth' || nc === undefined || !NONCE_COUNT.test(nc))
  )
    return false;
  const expected = digestResponse({
    ...credentials,
    algorithm,
    realm: opts.realm,
    nonce: opts.nonce,
    method,
    uri,
    cnonce: param('cnonce'),
    nc: qop === undefined ? undefined : nc,
  });
  return sameBytes(Buffer.from(response.toLowerCase()), Buffer.from(expected));
}

/** Constant-time comparison, so a wrong guess takes as long as a near miss. */
function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}
