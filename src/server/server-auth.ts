/**
 * Optional Basic/Digest authentication of the file server (RFC 2617, RFC 7616
 * as RTSP uses them, RFC 2326 §D.3). Each connection gets its own nonce, so a
 * captured Authorization header is useless on another connection.
 */
import { randomBytes } from 'node:crypto';
import { basicChallenge, digestChallenge, verifyAuthorization } from '../rtsp/auth-server.js';
import type { ServeAuth } from './options.js';

const realm = 'rtspkit';

export class ServerAuth {
  private readonly methods: readonly ('basic' | 'digest')[];

  constructor(private readonly config: ServeAuth) {
    this.methods =
      config.methods && config.methods.length > 0 ? config.methods : ['digest', 'basic'];
  }

  static newNonce(): string {
    return randomBytes(16).toString('hex');
  }

  /** WWW-Authenticate values for a 401, Digest before Basic so clients pick the stronger. */
  challenges(nonce: string): string[] {
    const values: string[] = [];
    if (this.methods.includes('digest')) values.push(digestChallenge(realm, nonce, 'MD5'));
    if (this.methods.includes('basic')) values.push(basicChallenge(realm));
    return values;
  }

  verify(authorization: string | undefined, method: string, nonce: string): boolean {
    const credentials = { username: this.config.username, password: this.config.password };
    const allowBasic = this.methods.includes('basic');
    if (!this.methods.includes('digest') && !/^\s*basic\s/i.test(authorization ?? '')) return false;
    return verifyAuthorization(authorization, method, credentials, { realm, nonce, allowBasic });
  }
}
