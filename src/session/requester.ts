/**
 * Sending one client request as the session means it: User-Agent, Session
 * and Authorization added, a 401 answered with the challenge it carries
 * (RFC 2326 §D, RFC 7235 §3.1) and the request retried, every exchange
 * reported (the `rtsp` event) with its timing.
 */
import { RtspAuthError, RtspResponseError } from '../errors.js';
import type { Authenticator } from '../rtsp/authenticator.js';
import { RtspHeaders } from '../rtsp/headers.js';
import type { ControlConnection, ExchangeResult } from './control-connection.js';
import { phaseOf } from './control-connection.js';

/**
 * Requests sent for one call, counting 401 answers: the first carries no
 * credentials, the second answers the challenge, a third is allowed only for
 * a stale nonce (RFC 7616 §3.3 stale=true), which the Authenticator decides.
 */
const MAX_ATTEMPTS = 3;

export interface Exchange extends ExchangeResult {
  method: string;
  url: string;
}

export interface RequesterConfig {
  userAgent: string;
  timeoutMs: number;
  /** Undefined when the caller gave no credentials. */
  authenticator: Authenticator | undefined;
  /** Every response, 401s included, in order. */
  onExchange(exchange: Exchange): void;
}

export interface SendOptions {
  headers?: Record<string, string>;
  signal?: AbortSignal | undefined;
  /** Overrides the configured timeout (teardown uses what is left of its budget). */
  timeoutMs?: number;
}

export class Requester {
  readonly #config: RequesterConfig;
  /** The current connection; replaced when the session reconnects (redirect, TCP fallback). */
  connection: ControlConnection;
  /** From the first SETUP reply (RFC 2326 §12.37), sent with every later request. */
  sessionId: string | undefined;
  authenticator: Authenticator | undefined;

  constructor(connection: ControlConnection, config: RequesterConfig) {
    this.connection = connection;
    this.#config = config;
    this.authenticator = config.authenticator;
  }

  /** Sends `method` and returns the final response, whatever its status but 401. */
  async send(method: string, url: string, options: SendOptions = {}): Promise<Exchange> {
    for (let attempt = 1; ; attempt++) {
      const headers = new RtspHeaders(options.headers);
      headers.set('User-Agent', this.#config.userAgent);
      if (this.sessionId !== undefined) headers.set('Session', this.sessionId);
      const authorization = this.authenticator?.authorization(method, url);
      if (authorization !== undefined) headers.set('Authorization', authorization);
      const result = await this.connection.request(method, url, headers, {
        timeoutMs: options.timeoutMs ?? this.#config.timeoutMs,
        signal: options.signal,
      });
      const exchange: Exchange = { ...result, method, url };
      this.#config.onExchange(exchange);
      if (result.response.status !== 401) return exchange;
      this.#answerChallenge(exchange, attempt);
    }
  }

  /** Like send(), but a non-2xx answer is an RtspResponseError. */
  async sendOk(method: string, url: string, options: SendOptions = {}): Promise<Exchange> {
    const exchange = await this.send(method, url, options);
    assertSuccess(exchange);
    return exchange;
  }

  #answerChallenge(exchange: Exchange, attempt: number): void {
    const { method, response, cseq } = exchange;
    const step = `${method} ${response.status} ${response.reason}`;
    const context = { status: response.status, method, cseq, phase: phaseOf(method) };
    const authenticator = this.authenticator;
    if (authenticator === undefined) {
      throw new RtspAuthError(
        `${step}: the server asks for credentials and none were given`,
        context,
      );
    }
    if (attempt >= MAX_ATTEMPTS)
      throw new RtspAuthError(`${step}: credentials rejected after ${attempt} attempts`, context);
    const decision = authenticator.handleChallenge(response.headers.getAll('www-authenticate'));
    if (!decision.retry) throw new RtspAuthError(`${step}: ${decision.reason}`, context);
  }
}

export function assertSuccess(exchange: Exchange): void {
  const { response, method, cseq } = exchange;
  if (response.status < 200 || response.status > 299) {
    throw new RtspResponseError(method, response.status, response.reason, {
      phase: phaseOf(method),
      cseq,
    });
  }
}
