/**
 * A scripted RTSP server on an in-memory duplex pair, handed to RtspSession
 * through its `connect` option: no network in unit tests.
 */
import { Duplex } from 'node:stream';
import { RtspHeaders } from '../../../src/rtsp/headers.js';
import type { RtspRequest, RtspResponse } from '../../../src/rtsp/message.js';
import { RtspMessageParser } from '../../../src/rtsp/parser.js';
import { interleavedHeader, serializeResponse } from '../../../src/rtsp/serialize.js';
import type { ConnectRequest, Connector, RtspSocket } from '../../../src/transport/connect.js';

class PipeEnd extends Duplex {
  peer: PipeEnd | undefined;
  readonly localAddress: string;
  readonly localPort: number;
  readonly remoteAddress: string;
  readonly remotePort: number;

  constructor(local: [string, number], remote: [string, number]) {
    super();
    [this.localAddress, this.localPort] = local;
    [this.remoteAddress, this.remotePort] = remote;
  }

  override _read(): void {}

  override _write(
    chunk: Buffer,
    _encoding: BufferEncoding,
    callback: (error?: Error | null) => void,
  ): void {
    if (this.peer !== undefined && !this.peer.destroyed) this.peer.push(chunk);
    callback();
  }

  override _final(callback: (error?: Error | null) => void): void {
    this.peer?.push(null);
    callback();
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    if (this.peer !== undefined && !this.peer.destroyed && !this.peer.readableEnded)
      this.peer.push(null);
    callback(error);
  }
}

export interface Reply {
  status: number;
  reason?: string;
  headers?: Record<string, string>;
  body?: string;
}

/** Returns the reply, or undefined to leave the request unanswered. */
export type Script = (request: RtspRequest, connection: FakeConnection) => Reply | undefined;

/** The server side of one connection: an in-memory pipe end, or a real socket in integration tests. */
export class FakeConnection {
  readonly #end: Duplex;
  readonly #parser = new RtspMessageParser();
  readonly requests: RtspRequest[] = [];
  readonly interleaved: { channel: number; data: Uint8Array }[] = [];
  /** The client's answers to requests this server sent. */
  readonly responses: RtspResponse[] = [];

  constructor(end: Duplex, script: Script) {
    this.#end = end;
    end.on('data', (chunk: Buffer) => {
      this.#parser.push(chunk);
      for (
        let message = this.#parser.next();
        message !== undefined;
        message = this.#parser.next()
      ) {
        if (message.kind === 'interleaved') {
          this.interleaved.push({ channel: message.channel, data: message.data });
        } else if (message.kind === 'request') {
          this.requests.push(message);
          const reply = script(message, this);
          if (reply !== undefined) this.reply(message, reply);
        } else {
          this.responses.push(message);
        }
      }
    });
    end.on('error', () => {});
  }

  get closed(): boolean {
    return this.#end.destroyed || this.#end.readableEnded;
  }

  reply(request: RtspRequest, reply: Reply): void {
    const headers = new RtspHeaders(reply.headers);
    headers.set('CSeq', request.headers.get('cseq') ?? '0');
    const body = reply.body === undefined ? undefined : new TextEncoder().encode(reply.body);
    this.send(serializeResponse({ status: reply.status, reason: reply.reason, headers, body }));
  }

  send(bytes: Uint8Array | string): void {
    this.#end.write(typeof bytes === 'string' ? new TextEncoder().encode(bytes) : bytes);
  }

  sendInterleaved(channel: number, data: Uint8Array): void {
    const frame = new Uint8Array(4 + data.byteLength);
    frame.set(interleavedHeader(channel, data.byteLength), 0);
    frame.set(data, 4);
    this.send(frame);
  }

  /** The server hangs up. */
  end(): void {
    this.#end.end();
  }
}

export class FakeRtspServer {
  readonly connections: FakeConnection[] = [];
  readonly dialed: ConnectRequest[] = [];
  /** The client ends of the connections (to look at flow control). */
  readonly clientSockets: RtspSocket[] = [];
  readonly #script: Script;
  /** Fails the next connects with this error, when set. */
  refuse: Error | undefined;

  constructor(script: Script) {
    this.#script = script;
  }

  readonly connect: Connector = (request) => {
    this.dialed.push(request);
    if (this.refuse !== undefined) return Promise.reject(this.refuse);
    const client = new PipeEnd(
      ['127.0.0.1', 50000 + this.connections.length],
      [request.host, request.port],
    );
    const server = new PipeEnd(
      [request.host, request.port],
      ['127.0.0.1', 50000 + this.connections.length],
    );
    client.peer = server;
    server.peer = client;
    this.connections.push(new FakeConnection(server, this.#script));
    this.clientSockets.push(client);
    return Promise.resolve(client as RtspSocket);
  };

  /** A connection to this server as the session would open it to 127.0.0.1:8554. */
  dial(): Promise<RtspSocket> {
    return this.connect({
      host: '127.0.0.1',
      port: 8554,
      secure: false,
      servername: '127.0.0.1',
      tls: undefined,
      timeoutMs: 1000,
      signal: new AbortController().signal,
    });
  }

  /** Every request received, on every connection, in order. */
  get requests(): RtspRequest[] {
    return this.connections.flatMap((connection) => connection.requests);
  }

  get last(): FakeConnection {
    const connection = this.connections.at(-1);
    if (connection === undefined) throw new Error('no connection yet');
    return connection;
  }
}
