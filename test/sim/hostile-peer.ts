/**
 * Hostile answers for the simulator: sizes far beyond anything a camera
 * sends, streamed lazily (on 'drain') so the simulator itself stays small and
 * stops as soon as the client hangs up.
 */
import type net from 'node:net';
import { interleavedHeader } from '../../src/rtsp/serialize.js';
import type { SimStream } from './sim-stream.js';

export type HostileMode =
  'huge-header' | 'endless-body' | 'endless-fua' | 'huge-content-length' | 'tiny-frames';

/** 100,000 header lines of ~1 KB each: a 100 MB response head. */
export const HUGE_HEADER_LINES = 100_000;
/** `$` frames of one byte sent by 'tiny-frames'. */
export const TINY_FRAMES = 1_000_000;
const TINY_BATCH = 10_000;
/** Stop feeding the socket beyond this backlog (the client reads slower than we write). */
const MAX_BACKLOG = 1 << 20;

/** Writes `next()` until it returns undefined or the socket is gone, pausing on backpressure. */
function pump(socket: net.Socket, next: () => Uint8Array | undefined): void {
  const run = (): void => {
    while (!socket.destroyed) {
      const chunk = next();
      if (chunk === undefined) return;
      if (!socket.write(chunk)) return void socket.once('drain', run);
    }
  };
  run();
}

/** The DESCRIBE answers of the hostile modes that act before PLAY; false for the others. */
export function hostileDescribe(mode: HostileMode, socket: net.Socket, cseq: string): boolean {
  switch (mode) {
    case 'huge-header': {
      socket.write(`RTSP/1.0 200 OK\r\nCSeq: ${cseq}\r\n`);
      const line = Buffer.from(`X-Padding: ${'a'.repeat(1000)}\r\n`);
      let sent = 0;
      pump(socket, () => (sent++ < HUGE_HEADER_LINES ? line : undefined));
      return true;
    }
    case 'endless-body':
    case 'huge-content-length': {
      // 2^53: the first integer a JavaScript number cannot tell from its successor.
      const length = mode === 'huge-content-length' ? '9007199254740992' : '100000000';
      socket.write(
        `RTSP/1.0 200 OK\r\nCSeq: ${cseq}\r\nContent-Type: application/sdp\r\nContent-Length: ${length}\r\n\r\n`,
      );
      const block = Buffer.alloc(64 * 1024, 0x61);
      pump(socket, () => block);
      return true;
    }
    case 'endless-fua':
    case 'tiny-frames':
      return false;
  }
}

/** The media of the hostile modes that act after PLAY; false for the others. */
export function hostileMedia(
  mode: HostileMode,
  socket: net.Socket,
  stream: SimStream,
  channel: number,
): boolean {
  switch (mode) {
    case 'endless-fua': {
      // RFC 6184 §5.8: an FU-A start fragment (S=1), then middle fragments forever, never E=1.
      const body = Buffer.alloc(1400, 0x11);
      let first = true;
      const fragment = (start: boolean): Buffer =>
        Buffer.concat([Buffer.from([0x7c, start ? 0x85 : 0x05]), body]);
      const run = (): void => {
        while (!socket.destroyed && socket.writableLength < MAX_BACKLOG) {
          stream.sendRtp(fragment(first), false);
          first = false;
        }
        if (!socket.destroyed) socket.once('drain', run);
      };
      run();
      return true;
    }
    case 'tiny-frames': {
      // Each frame holds one byte: never a valid RTP packet (12-byte header, RFC 3550 §5.1).
      const frame = Buffer.concat([interleavedHeader(channel, 1), Buffer.from([0x80])]);
      const batch = Buffer.concat(Array.from({ length: TINY_BATCH }, () => frame));
      let sent = 0;
      pump(socket, () => (sent++ < TINY_FRAMES / TINY_BATCH ? batch : undefined));
      return true;
    }
    case 'huge-header':
    case 'endless-body':
    case 'huge-content-length':
      return false;
  }
}
