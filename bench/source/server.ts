/**
 * The local source of the throughput and start-up benchmarks: serves one
 * recording over RTSP/TCP interleaved, either as fast as the client reads it
 * (`firehose`) or in real time (`paced`). It records, per connection, when it
 * accepted it and how long it spent on each request, so a client's start-up
 * time can be set against the server's own handling time.
 */
import net from 'node:net';
import { loadDist } from '../lib/dist.js';
import type * as Parser from '../../src/rtsp/parser.js';
import { answer, sdpFor, type StreamStart } from './rtsp-answers.js';
import { stampLoop, type Recording } from './recording.js';

const { RtspMessageParser } = await loadDist<typeof Parser>('rtsp/parser.js');

export type SourceMode = 'firehose' | 'paced';

/** Monotonic ms (this process's performance.now()) of one connection's steps. */
export interface ConnectionTimeline {
  acceptedAt: number;
  requests: { method: string; receivedAt: number; answeredAt: number }[];
  /** The PLAY answer was written. */
  playAnsweredAt?: number;
  /** The first frame (a keyframe) was written to the socket. */
  firstFrameWrittenAt?: number;
}

export interface SourceServer {
  readonly port: number;
  readonly url: string;
  /** Bytes the kernel has taken from all connections so far, at `atMs`. */
  snapshot(): { atMs: number; bytes: number };
  /** Timelines of connections, oldest first. */
  readonly timelines: ConnectionTimeline[];
  close(): Promise<void>;
}

/** Writes of about this size (whole frames): big enough to keep syscalls few, small enough to interleave with reads. */
const FIREHOSE_CHUNK_BYTES = 256 * 1024;
const SEQ_BASE = 1000;
const TS_BASE = 90_000;

export async function startSourceServer(
  recording: Recording,
  mode: SourceMode,
  port = 0,
): Promise<SourceServer> {
  const firstLoop = recording.bytes.slice();
  stampLoop(recording, firstLoop, 0, SEQ_BASE, TS_BASE);
  const live = new Set<net.Socket>();
  const timelines: ConnectionTimeline[] = [];
  let closedBytes = 0;
  const listener = net.createServer((socket) => {
    socket.setNoDelay(true);
    live.add(socket);
    const timeline: ConnectionTimeline = { acceptedAt: performance.now(), requests: [] };
    timelines.push(timeline);
    const baseUrl = `rtsp://127.0.0.1:${address.port}/bench/`;
    serveConnection(
      socket,
      new LoopBuffers(recording, firstLoop),
      recording,
      mode,
      baseUrl,
      timeline,
    );
    socket.on('close', () => {
      live.delete(socket);
      closedBytes += socket.bytesWritten;
    });
    socket.on('error', () => socket.destroy());
  });
  await new Promise<void>((resolve) => listener.listen(port, '127.0.0.1', resolve));
  const address = listener.address() as net.AddressInfo;
  return {
    port: address.port,
    url: `rtsp://127.0.0.1:${address.port}/bench`,
    timelines,
    snapshot() {
      let bytes = closedBytes;
      for (const socket of live) bytes += socket.bytesWritten - socket.writableLength;
      return { atMs: performance.now(), bytes };
    },
    async close() {
      for (const socket of live) socket.destroy();
      await new Promise<void>((resolve) => listener.close(() => resolve()));
    },
  };
}

function serveConnection(
  socket: net.Socket,
  loops: LoopBuffers,
  recording: Recording,
  mode: SourceMode,
  baseUrl: string,
  timeline: ConnectionTimeline,
): void {
  const parser = new RtspMessageParser();
  const sdp = sdpFor(recording, baseUrl);
  const start: StreamStart = { seq: SEQ_BASE, rtptime: TS_BASE };
  let streaming = false;
  const stopped = { value: false };
  socket.on('close', () => (stopped.value = true));
  socket.on('data', (chunk: Buffer) => {
    parser.push(chunk);
    try {
      for (let message = parser.next(); message !== undefined; message = parser.next()) {
        if (message.kind !== 'request') continue; // interleaved RTCP receiver reports
        const receivedAt = performance.now();
        const reply = answer(message, sdp, baseUrl, start);
        socket.write(reply.bytes);
        const answeredAt = performance.now();
        timeline.requests.push({ method: message.method, receivedAt, answeredAt });
        if (reply.teardown) stopped.value = true;
        if (reply.play && !streaming) {
          streaming = true;
          timeline.playAnsweredAt = answeredAt;
          const send = mode === 'firehose' ? firehose : paced;
          void send(socket, recording, loops, timeline, stopped).catch(() => socket.destroy());
        }
      }
    } catch {
      socket.destroy();
    }
  });
}

/** Resolves when the socket can take more, or is gone. */
function drained(socket: net.Socket): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      socket.off('drain', done);
      socket.off('close', done);
      resolve();
    };
    socket.on('drain', done);
    socket.on('close', done);
  });
}

/**
 * Loop 0 is the same bytes for every connection: stamped once at start-up and
 * shared (never written again), so accepting a client costs nothing. Later
 * loops alternate between two copies of the connection's own, made when first
 * needed: loop k is stamped into copy k % 2 once the socket has released every
 * chunk of loop k − 2 written from it (a pending write still references them).
 */
class LoopBuffers {
  readonly #copies: (Uint8Array | undefined)[] = [undefined, undefined];
  readonly #pending = [0, 0];
  readonly #released: (() => void)[] = [];

  constructor(
    private readonly recording: Recording,
    private readonly firstLoop: Uint8Array,
  ) {}

  async take(loop: number): Promise<{ bytes: Uint8Array; onWritten: () => void }> {
    const slot = loop % 2;
    while (this.#pending[slot]! > 0) {
      await new Promise<void>((resolve) => (this.#released[slot] = resolve));
    }
    let bytes = this.firstLoop;
    if (loop > 0) {
      bytes = this.#copies[slot] ??= this.recording.bytes.slice();
      stampLoop(this.recording, bytes, loop, SEQ_BASE, TS_BASE);
    }
    this.#pending[slot]!++; // held until the caller has written the whole loop (its final onWritten())
    const onWritten = (): void => {
      if (--this.#pending[slot]! === 0) this.#released[slot]?.();
    };
    return { bytes, onWritten };
  }

  /** Counts one more write from `loop`'s bytes. */
  hold(loop: number): void {
    this.#pending[loop % 2]!++;
  }
}

async function firehose(
  socket: net.Socket,
  recording: Recording,
  loops: LoopBuffers,
  timeline: ConnectionTimeline,
  stopped: { value: boolean },
): Promise<void> {
  const frameEnds = recording.frameEnds;
  for (let loop = 0; !stopped.value; loop++) {
    const { bytes, onWritten } = await loops.take(loop);
    let from = 0;
    for (let frame = 0; frame < frameEnds.length && !stopped.value; frame++) {
      // Writes end on frame boundaries: an RTSP answer written between two must not split a `$` frame.
      const to = frameEnds[frame]!;
      if (to - from < FIREHOSE_CHUNK_BYTES && frame < frameEnds.length - 1) continue;
      loops.hold(loop);
      const more = socket.write(bytes.subarray(from, to), onWritten);
      timeline.firstFrameWrittenAt ??= performance.now();
      from = to;
      // A fast reader lets every write complete at once: yield anyway, or requests (TEARDOWN) wait.
      await (more ? new Promise(setImmediate) : drained(socket));
    }
    onWritten(); // the hold taken by take()
  }
}

async function paced(
  socket: net.Socket,
  recording: Recording,
  loops: LoopBuffers,
  timeline: ConnectionTimeline,
  stopped: { value: boolean },
): Promise<void> {
  const frameMs = 1000 / recording.fps;
  const frameCount = recording.frameEnds.length;
  const startedAt = performance.now();
  for (let loop = 0; !stopped.value; loop++) {
    const { bytes, onWritten } = await loops.take(loop);
    let from = 0;
    for (let frame = 0; frame < frameCount && !stopped.value; frame++) {
      const due = startedAt + (loop * frameCount + frame) * frameMs;
      const wait = due - performance.now();
      if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
      const to = recording.frameEnds[frame]!;
      loops.hold(loop);
      const more = socket.write(bytes.subarray(from, to), onWritten);
      timeline.firstFrameWrittenAt ??= performance.now();
      from = to;
      if (!more) await drained(socket);
    }
    onWritten();
  }
}
