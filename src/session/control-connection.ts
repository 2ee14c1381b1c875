/**
 * One RTSP control connection: bytes from the socket through the sans-IO
 * parser, responses matched to requests by CSeq (RFC 2326 §12.17), `$`
 * frames handed on (§10.12), requests from the server answered.
 *
 * One request is in flight at a time (a p-queue of concurrency 1): many
 * cameras break on pipelining. Each request has its own timeout, counted from
 * the moment it is written, and the queue moves on when it fires, so an
 * unanswered keepalive never wedges later requests; a late answer to it is
 * recognised by its CSeq and dropped.
 */
import PQueue from 'p-queue';
import {
  RtspAbortError,
  RtspConnectionError,
  RtspError,
  RtspTimeoutError,
  type RtspPhase,
} from '../errors.js';
import type { Logger } from '../logger.js';
import type { RtspHeaders } from '../rtsp/headers.js';
import type { RtspRequest, RtspResponse } from '../rtsp/message.js';
import { RtspMessageParser } from '../rtsp/parser.js';
import { serializeRequest, serializeResponse, statusReasons } from '../rtsp/serialize.js';
import type { RtspSocket } from '../transport/connect.js';
import { answerServerRequest, type ServerRequestAnswer } from './server-requests.js';

export interface ExchangeResult {
  response: RtspResponse;
  cseq: number;
  /** From the request written to its response parsed. */
  elapsedMs: number;
  /** performance.now() when the response's bytes arrived (media after it may be handled first). */
  respondedAt: number;
}

export interface ControlConnectionEvents {
  /** A `$` frame; `nowMs` (monotonic) and `receivedAt` (epoch) are those of the chunk it came in. */
  onInterleaved(channel: number, data: Uint8Array, nowMs: number, receivedAt: number): void;
  /**
   * The response to `method`, called as soon as it is parsed: before the
   * request's promise settles and before the `$` frames that follow it in the
   * same chunk are handed on (PLAY's RTP-Info must anchor them).
   */
  onResponse?(method: string, response: RtspResponse): void;
  /** The server sent REDIRECT or ANNOUNCE (already answered). */
  onServerNotice(notice: NonNullable<ServerRequestAnswer['notice']>): void;
  /** The connection is gone: `error` undefined when the server closed it cleanly. Not called after close(). */
  onClosed(error: RtspError | undefined): void;
}

export interface RequestOptions {
  timeoutMs: number;
  signal?: AbortSignal | undefined;
  body?: Uint8Array;
}

interface PendingRequest {
  method: string;
  cseq: number;
  writtenAt: number;
  resolve(result: ExchangeResult): void;
  reject(error: RtspError): void;
}

const REQUEST_PHASES: ReadonlySet<string> = new Set([
  'OPTIONS',
  'DESCRIBE',
  'SETUP',
  'PLAY',
  'PAUSE',
  'TEARDOWN',
  'GET_PARAMETER',
]);

/** The error phase for a method (RtspPhase lists the methods a client sends). */
export function phaseOf(method: string): RtspPhase | undefined {
  return REQUEST_PHASES.has(method) ? (method as RtspPhase) : undefined;
}

export class ControlConnection {
  readonly #socket: RtspSocket;
  readonly #parser = new RtspMessageParser();
  readonly #queue = new PQueue({ concurrency: 1 });
  readonly #events: ControlConnectionEvents;
  readonly #logger: Logger;
  /** `host:port` of the server, for messages. */
  readonly endpoint: string;
  #nextCseq = 1;
  #pending: PendingRequest | undefined;
  #closed = false;
  /** Monotonic ms of the last byte received (the no-data watchdog reads it). */
  lastDataAt: number;

  constructor(
    socket: RtspSocket,
    endpoint: string,
    events: ControlConnectionEvents,
    logger: Logger,
  ) {
    this.#socket = socket;
    this.endpoint = endpoint;
    this.#events = events;
    this.#logger = logger;
    this.lastDataAt = performance.now();
    socket.on('data', this.#onData);
    socket.on('end', this.#onEnd);
    socket.on('close', this.#onEnd);
    socket.on('error', this.#onError);
  }

  get closed(): boolean {
    return this.#closed;
  }

  get localAddress(): string | undefined {
    return this.#socket.localAddress;
  }

  get remoteAddress(): string | undefined {
    return this.#socket.remoteAddress;
  }

  /**
   * Sends a request once the one before it is answered (or timed out), sets
   * its CSeq, and resolves with whatever status the server answers.
   */
  async request(
    method: string,
    uri: string,
    headers: RtspHeaders,
    options: RequestOptions,
  ): Promise<ExchangeResult> {
    const { signal } = options;
    try {
      return await this.#queue.add(() => this.#exchange(method, uri, headers, options), { signal });
    } catch (error) {
      if (signal?.aborted === true && !(error instanceof RtspError)) {
        throw new RtspAbortError(`${method} aborted`, { phase: phaseOf(method), method });
      }
      throw error;
    }
  }

  /** Raw bytes on the connection (interleaved RTCP). Dropped once closed. */
  write(data: Uint8Array): void {
    if (!this.#closed) this.#socket.write(data);
  }

  /** Stop reading (the event queue is full: TCP flow control then reaches the server). */
  pause(): void {
    this.#socket.pause();
  }

  resume(): void {
    this.#socket.resume();
  }

  /** Closes the socket; the request in flight is rejected with RtspAbortError, queued ones find the connection closed. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#rejectPending(
      new RtspAbortError(`${this.#pending?.method ?? 'request'} aborted: connection closed`),
    );
    this.#detach();
    this.#socket.destroy();
  }

  #exchange(
    method: string,
    uri: string,
    headers: RtspHeaders,
    options: RequestOptions,
  ): Promise<ExchangeResult> {
    const phase = phaseOf(method);
    if (this.#closed) {
      return Promise.reject(
        new RtspConnectionError(`${method}: connection to ${this.endpoint} is closed`, {
          phase,
          method,
        }),
      );
    }
    const { signal, timeoutMs } = options;
    if (signal?.aborted === true)
      return Promise.reject(new RtspAbortError(`${method} aborted`, { phase, method }));
    const cseq = this.#nextCseq++;
    headers.set('CSeq', String(cseq));
    const bytes = serializeRequest({ method, uri, headers, body: options.body });
    return new Promise<ExchangeResult>((resolve, reject) => {
      const finish = (): void => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        if (this.#pending === pending) this.#pending = undefined;
      };
      const onAbort = (): void => {
        finish();
        reject(new RtspAbortError(`${method} aborted`, { phase, method, cseq }));
      };
      const timer = setTimeout(() => {
        finish();
        reject(
          new RtspTimeoutError(
            `${method} timed out after ${timeoutMs} ms (no response to CSeq ${cseq})`,
            timeoutMs,
            {
              phase,
              method,
              cseq,
            },
          ),
        );
      }, timeoutMs);
      const pending: PendingRequest = {
        method,
        cseq,
        writtenAt: performance.now(),
        resolve: (result) => {
          finish();
          resolve(result);
        },
        reject: (error) => {
          finish();
          reject(error);
        },
      };
      this.#pending = pending;
      signal?.addEventListener('abort', onAbort, { once: true });
      this.#logger.debug({ method, uri, cseq }, 'rtsp request');
      this.#socket.write(bytes);
    });
  }

  readonly #onData = (chunk: Uint8Array): void => {
    const now = performance.now();
    const receivedAt = Date.now();
    this.lastDataAt = now;
    // A plain Uint8Array view: every `$` frame and RTP payload below is a subarray of it, and
    // Buffer#subarray (a JS wrapper building a FastBuffer) costs several times the built-in one.
    this.#parser.push(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
    try {
      for (
        let message = this.#parser.next();
        message !== undefined;
        message = this.#parser.next()
      ) {
        if (message.kind === 'interleaved')
          this.#events.onInterleaved(message.channel, message.data, now, receivedAt);
        else if (message.kind === 'response') this.#onResponse(message, now);
        else this.#onServerRequest(message);
        if (this.#closed) return;
      }
    } catch (error) {
      this.#fail(
        error instanceof RtspError
          ? error
          : new RtspError(`while reading from ${this.endpoint}: ${String(error)}`, undefined, {
              cause: error,
              phase: 'streaming',
            }),
      );
    }
  };

  #onResponse(response: RtspResponse, now: number): void {
    const pending = this.#pending;
    const cseqHeader = response.headers.get('cseq');
    const cseq = cseqHeader === undefined ? undefined : Number.parseInt(cseqHeader, 10);
    // A response without CSeq can only be for the one request in flight.
    if (pending === undefined || (cseq !== undefined && cseq !== pending.cseq)) {
      this.#logger.debug(
        { cseq, status: response.status },
        'dropped a response matching no request in flight (late answer to a timed-out request)',
      );
      return;
    }
    this.#events.onResponse?.(pending.method, response);
    pending.resolve({
      response,
      cseq: pending.cseq,
      elapsedMs: now - pending.writtenAt,
      respondedAt: now,
    });
  }

  #onServerRequest(request: RtspRequest): void {
    const answer = answerServerRequest(request);
    this.#logger.debug(
      { method: request.method, status: answer.status },
      'answered a request from the server',
    );
    this.#socket.write(
      serializeResponse({
        status: answer.status,
        reason: statusReasons[answer.status],
        headers: answer.headers,
      }),
    );
    if (answer.notice !== undefined) this.#events.onServerNotice(answer.notice);
  }

  readonly #onEnd = (): void => this.#fail(undefined);

  readonly #onError = (error: NodeJS.ErrnoException): void => {
    const what = error.code ?? error.message;
    this.#fail(
      new RtspConnectionError(`connection to ${this.endpoint} failed: ${what}`, {
        phase: this.#pending === undefined ? 'streaming' : phaseOf(this.#pending.method),
        cause: error,
      }),
    );
  };

  #fail(error: RtspError | undefined): void {
    if (this.#closed) return;
    this.#closed = true;
    const method = this.#pending?.method;
    this.#rejectPending(
      error ??
        new RtspConnectionError(
          `connection closed by ${this.endpoint} during ${method ?? 'a request'}`,
          {
            phase: method === undefined ? undefined : phaseOf(method),
            method,
          },
        ),
    );
    this.#detach();
    this.#socket.destroy();
    this.#events.onClosed(error);
  }

  #rejectPending(error: RtspError): void {
    const pending = this.#pending;
    this.#pending = undefined;
    pending?.reject(error);
  }

  #detach(): void {
    this.#socket.off('data', this.#onData);
    this.#socket.off('end', this.#onEnd);
    this.#socket.off('close', this.#onEnd);
    this.#socket.off('error', this.#onError);
    // A socket being torn down may still report the error that ended it.
    this.#socket.on('error', () => {});
  }
}
