/**
 * Ordered writes to one simulator connection. Normally a plain socket write;
 * in trickle mode each response goes out one byte per TCP segment (Nagle off,
 * one event-loop turn between bytes), and media written meanwhile waits its
 * turn so it never lands inside the response.
 */
import type net from 'node:net';

export class Outbox {
  readonly #socket: net.Socket;
  readonly #trickleResponses: boolean;
  /** Writes waiting behind a trickling response, in order. */
  readonly #waiting: { bytes: Uint8Array; trickle: boolean }[] = [];
  #trickling = false;
  #endWhenIdle = false;
  /** Nothing more leaves (half-open simulation). */
  silent = false;

  constructor(socket: net.Socket, trickleResponses: boolean) {
    this.#socket = socket;
    this.#trickleResponses = trickleResponses;
    if (trickleResponses) socket.setNoDelay(true);
  }

  /** Bytes the socket could not send yet (backpressure for the media pumps). */
  get backlog(): number {
    return this.#socket.writableLength;
  }

  get closed(): boolean {
    return this.#socket.destroyed;
  }

  response(bytes: Uint8Array): void {
    this.#enqueue(bytes, this.#trickleResponses);
  }

  media(bytes: Uint8Array): void {
    this.#enqueue(bytes, false);
  }

  /** Ends the connection (FIN) once everything queued is written. */
  end(): void {
    if (this.#trickling) this.#endWhenIdle = true;
    else this.#socket.end();
  }

  #enqueue(bytes: Uint8Array, trickle: boolean): void {
    if (this.silent || this.#socket.destroyed) return;
    if (this.#trickling) {
      this.#waiting.push({ bytes, trickle });
      return;
    }
    if (!trickle) {
      this.#socket.write(bytes);
      return;
    }
    this.#trickling = true;
    this.#trickle(bytes, 0);
  }

  #trickle(bytes: Uint8Array, from: number): void {
    if (this.silent || this.#socket.destroyed) return;
    if (from < bytes.length) {
      this.#socket.write(bytes.subarray(from, from + 1));
      setImmediate(() => this.#trickle(bytes, from + 1));
      return;
    }
    this.#trickling = false;
    for (let next = this.#waiting.shift(); next !== undefined; next = this.#waiting.shift()) {
      this.#enqueue(next.bytes, next.trickle);
      if (this.#trickling) return;
    }
    if (this.#endWhenIdle) this.#socket.end();
  }
}
