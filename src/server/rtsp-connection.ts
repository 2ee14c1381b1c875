/**
 * One client's RTSP connection: bytes → RtspMessageParser → requests handled
 * one at a time, in order (RFC 2326 §9: responses follow request order), and
 * `$` frames from the client (its RTCP) counted as liveness. A malformed
 * stream gets 400 and the connection is closed; the parser's limits bound
 * what a client can make the server buffer.
 */
import type { Socket } from 'node:net';
import { RtspError } from '../errors.js';
import { RtspHeaders } from '../rtsp/headers.js';
import type { RtspRequest } from '../rtsp/message.js';
import { RtspMessageParser } from '../rtsp/parser.js';
import { serializeResponse } from '../rtsp/serialize.js';
import { BoundedSocketWriter, type SocketBufferLimits } from './bounded-socket-writer.js';
import { handleRequest, type Reply } from './request-handler.js';
import { ServerAuth } from './server-auth.js';
import type { ConnectionContext, ServerContext } from './server-context.js';

/** Requests read ahead of the one being answered before the socket is paused. */
const maxPendingRequests = 16;
const serverName = 'rtspkit';

export class RtspConnection {
  private readonly parser = new RtspMessageParser();
  private readonly context: ConnectionContext;
  private queue: Promise<void> = Promise.resolve();
  private pending = 0;
  private failed = false;

  constructor(
    private readonly socket: Socket,
    private readonly ctx: ServerContext,
    limits: SocketBufferLimits,
  ) {
    const writer = new BoundedSocketWriter(
      socket,
      limits,
      () => ctx.sessions.stats.packetsDropped++,
    );
    this.context = {
      owner: this,
      nonce: ServerAuth.newNonce(),
      localAddress: socket.localAddress ?? ctx.options.host,
      remoteAddress: socket.remoteAddress ?? ctx.options.host,
      writer,
      usedChannels: new Set(),
    };
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.receive(chunk));
    socket.on('error', (err) =>
      ctx.options.logger.debug({ remote: this.context.remoteAddress, err }, 'connection error'),
    );
    socket.on('close', () => ctx.sessions.removeOwnedBy(this));
    // A client that half-closes after its requests (`printf ... | nc`) still gets the answers.
    socket.on('end', () => {
      this.queue = this.queue.then(() => void this.socket.end());
    });
  }

  close(): void {
    this.socket.destroy();
  }

  private receive(chunk: Uint8Array): void {
    if (this.failed) return;
    this.parser.push(chunk);
    for (;;) {
      let message;
      try {
        message = this.parser.next();
      } catch (err) {
        this.fail(err);
        return;
      }
      if (!message) return;
      if (message.kind === 'interleaved') this.ctx.sessions.touchOwnedBy(this);
      else if (message.kind === 'request') this.enqueue(message);
      // A response can only answer a server request; this server sends none, so it is ignored.
    }
  }

  private enqueue(req: RtspRequest): void {
    if (++this.pending > maxPendingRequests) this.socket.pause();
    this.queue = this.queue.then(async () => {
      const started = performance.now();
      let answer: Reply;
      try {
        answer = await handleRequest(req, this.context, this.ctx);
      } catch (err) {
        this.ctx.options.logger.warn({ method: req.method, err }, 'request failed');
        answer = { status: 500, headers: new RtspHeaders() };
      }
      this.respond(req, answer);
      this.ctx.options.logger.debug(
        {
          method: req.method,
          status: answer.status,
          remote: this.context.remoteAddress,
          elapsedMs: performance.now() - started,
        },
        'rtsp request',
      );
      if (--this.pending <= maxPendingRequests) this.socket.resume();
    });
  }

  private respond(req: RtspRequest, answer: Reply): void {
    const headers = answer.headers;
    const cseq = req.headers.get('cseq');
    if (cseq !== undefined) headers.set('CSeq', cseq);
    headers.set('Server', serverName);
    let bytes: Uint8Array;
    try {
      bytes = serializeResponse({
        status: answer.status,
        headers,
        ...(answer.body && { body: answer.body }),
      });
    } catch (err) {
      // A header value echoed from the request (CSeq) that cannot be written back.
      this.ctx.options.logger.debug({ err }, 'response not serializable');
      bytes = serializeResponse({ status: 400, headers: new RtspHeaders({ Server: serverName }) });
    }
    this.context.writer.writeControl(bytes);
  }

  /** Malformed input: one 400 naming no detail, then close (the parser cannot resynchronise). */
  private fail(err: unknown): void {
    this.failed = true;
    const where = err instanceof RtspError ? err.message : String(err);
    this.ctx.options.logger.debug(
      { remote: this.context.remoteAddress, err: where },
      'malformed RTSP input',
    );
    // After the answers to the requests before the bad bytes.
    this.queue = this.queue.then(() => {
      this.context.writer.writeControl(
        serializeResponse({
          status: 400,
          headers: new RtspHeaders({ Server: serverName, Connection: 'close' }),
        }),
      );
      this.socket.end();
    });
  }
}
