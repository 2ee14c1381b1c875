/**
 * Writes to one client's TCP connection without letting a slow client cost
 * memory or stall anyone else. Media is dropped (and counted) while the
 * socket's user-space buffer is over `softLimitBytes`; a client that stays
 * over it for `stallTimeoutMs`, or lets control data pile up past
 * `hardLimitBytes`, is disconnected.
 */
export interface SocketBufferLimits {
  softLimitBytes: number;
  hardLimitBytes: number;
  stallTimeoutMs: number;
}

export const defaultSocketBufferLimits: Readonly<SocketBufferLimits> = {
  softLimitBytes: 256 * 1024,
  hardLimitBytes: 1024 * 1024,
  stallTimeoutMs: 10_000,
};

/** The part of net.Socket the writer uses (a fake in tests). */
export interface WritableSocket {
  readonly writableLength: number;
  readonly destroyed: boolean;
  cork(): void;
  uncork(): void;
  write(chunk: Uint8Array): boolean;
  destroy(error?: Error): void;
}

export class BoundedSocketWriter {
  /** Monotonic ms when the current run of drops began, undefined while media flows. */
  private stalledSince: number | undefined;

  constructor(
    private readonly socket: WritableSocket,
    private readonly limits: SocketBufferLimits,
    private readonly onDrop: () => void,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** Writes an RTP packet (prefix + payload) unless the client is behind; false when dropped. */
  writeMedia(prefix: Uint8Array, payload: Uint8Array): boolean {
    if (this.socket.destroyed) return false;
    if (this.socket.writableLength > this.limits.softLimitBytes) {
      this.onDrop();
      const now = this.now();
      this.stalledSince ??= now;
      if (now - this.stalledSince > this.limits.stallTimeoutMs) {
        this.socket.destroy(
          new Error(`client stalled: media dropped for ${Math.round(now - this.stalledSince)} ms`),
        );
      }
      return false;
    }
    this.stalledSince = undefined;
    this.socket.cork();
    this.socket.write(prefix);
    this.socket.write(payload);
    this.socket.uncork();
    return true;
  }

  /** Writes RTSP responses and RTCP: never dropped, but bounded. */
  writeControl(...chunks: Uint8Array[]): void {
    if (this.socket.destroyed) return;
    this.socket.cork();
    for (const chunk of chunks) this.socket.write(chunk);
    this.socket.uncork();
    if (this.socket.writableLength > this.limits.hardLimitBytes) {
      this.socket.destroy(
        new Error(`client not reading: ${this.socket.writableLength} bytes buffered`),
      );
    }
  }
}
