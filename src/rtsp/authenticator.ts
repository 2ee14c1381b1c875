/**
 * Client side of RTSP authentication (RFC 2326 §D, RFC 7235): answers a 401's
 * challenges with the strongest scheme both sides support, and refuses to loop
 * when the server rejects credentials it was already given.
 */
import { randomBytes } from 'node:crypto';
import { parseAuthParams, quoteAuthParam } from './auth-params.js';
import { parseWwwAuthenticate, type AuthChallenge } from './auth-challenge.js';
import { digestResponse, digestUserhash } from './digest.js';

export interface Credentials {
  username: string;
  password: string;
}

export interface AuthenticatorOptions {
  /** Answer Basic challenges (password sent in clear) when nothing better is offered. Default true. */
  allowBasic?: boolean;
  /** Client nonce source, for tests; default 16 random bytes in hex. */
  cnonce?: () => string;
}

export class Authenticator {
  readonly #credentials: Credentials;
  readonly #allowBasic: boolean;
  readonly #makeCnonce: () => string;
  #challenge: AuthChallenge | undefined;
  /** Requests answered under the current nonce (RFC 7616 §3.4 nc). */
  #nonceCount = 0;
  #cnonce: string | undefined;

  constructor(credentials: Credentials, options: AuthenticatorOptions = {}) {
    this.#credentials = credentials;
    this.#allowBasic = options.allowBasic ?? true;
    this.#makeCnonce = options.cnonce ?? (() => randomBytes(16).toString('hex'));
  }

  /**
   * Takes a 401's WWW-Authenticate values. retry:false when no challenge is
   * usable, or when the one request sent with credentials under the current
   * challenge got this 401 and the new challenge is not a stale nonce: the
   * server rejected the credentials, retrying would loop. After two or more
   * requests under one challenge the first was accepted, so a new 401 means an
   * expired nonce (cameras rotate nonces without `stale=true`) and is retried.
   */
  handleChallenge(values: readonly string[]): { retry: true } | { retry: false; reason: string } {
    const choice = this.#choose(parseWwwAuthenticate(values), values);
    if (typeof choice === 'string') return { retry: false, reason: choice };
    const previous = this.#challenge;
    if (previous !== undefined && this.#nonceCount === 1 && !isFreshStaleNonce(choice, previous)) {
      return {
        retry: false,
        reason: `the server rejected the credentials of user ${JSON.stringify(this.#credentials.username)} (${describe(choice)})`,
      };
    }
    this.#challenge = choice;
    this.#nonceCount = 0;
    this.#cnonce = undefined;
    return { retry: true };
  }

  /** The Authorization value for this request, or undefined before any challenge. */
  authorization(method: string, uri: string): string | undefined {
    const challenge = this.#challenge;
    if (challenge === undefined) return undefined;
    this.#nonceCount++;
    const { username, password } = this.#credentials;
    if (challenge.scheme === 'basic') {
      return `Basic ${Buffer.from(`${username}:${password}`, 'utf8').toString('base64')}`;
    }
    const algorithm = challenge.algorithm ?? 'MD5';
    const nonce = challenge.nonce ?? '';
    const withQop = challenge.qop !== undefined;
    const cnonce =
      withQop || algorithm.endsWith('-sess') ? (this.#cnonce ??= this.#makeCnonce()) : undefined;
    const nc = withQop ? this.#nonceCount.toString(16).padStart(8, '0') : undefined;
    const response = digestResponse({
      algorithm,
      username,
      password,
      realm: challenge.realm,
      nonce,
      method,
      uri,
      cnonce,
      nc,
    });
    const params = [
      `username=${quoteAuthParam(challenge.userhash === true ? digestUserhash(algorithm, username, challenge.realm) : username)}`,
      `realm=${quoteAuthParam(challenge.realm)}`,
      `nonce=${quoteAuthParam(nonce)}`,
      `uri=${quoteAuthParam(uri)}`,
      `response=${quoteAuthParam(response)}`,
    ];
    // Echo the algorithm only when the server named it: some cameras reject a parameter they did not send.
    if (challenge.algorithm !== undefined) params.push(`algorithm=${challenge.algorithm}`);
    if (cnonce !== undefined) params.push(`cnonce=${quoteAuthParam(cnonce)}`);
    if (nc !== undefined) params.push('qop=auth', `nc=${nc}`);
    if (challenge.opaque !== undefined) params.push(`opaque=${quoteAuthParam(challenge.opaque)}`);
    if (challenge.userhash === true) params.push('userhash=true');
    return `Digest ${params.join(', ')}`;
  }

  /** The strongest usable challenge (SHA-256 > MD5 digest > Basic), or why there is none. */
  #choose(challenges: AuthChallenge[], values: readonly string[]): AuthChallenge | string {
    let best: AuthChallenge | undefined;
    for (const challenge of challenges) {
      if (strength(challenge) > (best === undefined ? 0 : strength(best))) best = challenge;
    }
    if (best?.scheme === 'basic' && !this.#allowBasic) {
      return 'the server offers only Basic authentication, which sends the password in clear and allowBasic: false forbids';
    }
    if (best !== undefined) return best;
    const offered = values.flatMap((value) => parseAuthParams(value).map(describeOffer));
    return `no usable authentication challenge (offered: ${offered.length === 0 ? 'none' : offered.join(', ')})`;
  }
}

/** 0 when unusable: digest with only qop=auth-int needs the body hashed, which this API does not see. */
function strength(challenge: AuthChallenge): number {
  if (challenge.scheme === 'basic') return 1;
  if (challenge.qop !== undefined && !challenge.qop.includes('auth')) return 0;
  return challenge.algorithm?.startsWith('SHA-256') === true ? 3 : 2;
}

/** A server marking a nonce stale must also send a new one, else retrying would loop. */
function isFreshStaleNonce(next: AuthChallenge, previous: AuthChallenge): boolean {
  return next.scheme === 'digest' && next.stale === true && next.nonce !== previous.nonce;
}

function describe(challenge: AuthChallenge): string {
  const name = challenge.scheme === 'basic' ? 'Basic' : `Digest ${challenge.algorithm ?? 'MD5'}`;
  return `${name}, realm ${JSON.stringify(challenge.realm)}`;
}

function describeOffer({
  scheme,
  params,
}: {
  scheme: string;
  params: Map<string, string>;
}): string {
  const algorithm = params.get('algorithm');
  const qop = params.get('qop');
  return [scheme, algorithm && `algorithm=${algorithm}`, qop && `qop=${qop}`]
    .filter(Boolean)
    .join(' ');
}
