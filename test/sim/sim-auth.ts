/**
 * The camera simulator's authentication: challenge styles seen on real
 * cameras, and the stale-nonce rotation of RFC 7616 §3.3 mid-session.
 */
import { randomBytes } from 'node:crypto';
import { verifyAuthorization } from '../../src/rtsp/auth-server.js';
import { RtspHeaders } from '../../src/rtsp/headers.js';
import type { RtspRequest } from '../../src/rtsp/message.js';

export const SIM_REALM = 'sim';

export interface SimAuth {
  user: string;
  pass: string;
  /**
   * basic; digest (RFC 7616 MD5, quoted); hikvision (digest with spaces around
   * '=', an unquoted algorithm and a quoted stale="FALSE"); multiple (Basic and
   * Digest in two WWW-Authenticate headers, as Axis and Dahua send).
   */
  style: 'basic' | 'digest' | 'hikvision' | 'multiple';
  /** After PLAY, the next request gets 401 stale=true once (nonce rotation). */
  staleAfterPlay?: boolean;
}

export class SimAuthenticator {
  readonly #auth: SimAuth;
  #nonce = randomBytes(8).toString('hex');

  constructor(auth: SimAuth) {
    this.#auth = auth;
  }

  /** 401 headers for this request, or undefined when it may go on. */
  check(request: RtspRequest, forceStale: boolean): RtspHeaders | undefined {
    if (forceStale) {
      this.#nonce = randomBytes(8).toString('hex');
      return new RtspHeaders([
        ['WWW-Authenticate', `Digest realm="${SIM_REALM}", nonce="${this.#nonce}", stale=true`],
      ]);
    }
    const { user, pass, style } = this.#auth;
    const ok = verifyAuthorization(
      request.headers.get('authorization'),
      request.method,
      { username: user, password: pass },
      {
        realm: SIM_REALM,
        nonce: this.#nonce,
        allowBasic: style === 'basic' || style === 'multiple',
      },
    );
    return ok ? undefined : this.#challenge();
  }

  #challenge(): RtspHeaders {
    const nonce = this.#nonce;
    const headers = new RtspHeaders();
    switch (this.#auth.style) {
      case 'basic':
        headers.append('WWW-Authenticate', `Basic realm="${SIM_REALM}"`);
        break;
      case 'digest':
        headers.append(
          'WWW-Authenticate',
          `Digest realm="${SIM_REALM}", nonce="${nonce}", algorithm="MD5"`,
        );
        break;
      case 'hikvision':
        headers.append(
          'WWW-Authenticate',
          `Digest realm = "${SIM_REALM}",nonce="${nonce}", algorithm=MD5 , stale="FALSE"`,
        );
        break;
      case 'multiple':
        headers.append('WWW-Authenticate', `Basic realm="${SIM_REALM}"`);
        headers.append('WWW-Authenticate', `Digest realm="${SIM_REALM}", nonce="${nonce}"`);
        break;
    }
    return headers;
  }
}
