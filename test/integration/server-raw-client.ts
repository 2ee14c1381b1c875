/**
 * A minimal RTSP client for the file server's integration tests: sends one
 * request at a time, collects `$` frames, and reads RTP/RTCP headers by hand,
 * independent of rtspkit's own session code.
 */
import net from 'node:net';
import { RtspMessageParser } from '../../src/rtsp/parser.js';
import type { InterleavedFrame, RtspResponse } from '../../src/rtsp/message.js';

export interface RtpHeader {
  channel: number;
  payloadType: number;
  marker: boolean;
  sequenceNumber: number;
  timestamp: number;
  ssrc: number;
  length: number;
}

export class RawRtspClient {
  private readonly parser = new RtspMessageParser();
  private cseq = 0;
  private waiting: ((r: RtspResponse) => void) | undefined;
  readonly frames: InterleavedFrame[] = [];
  /** How many `$` frames had arrived before the latest response (media must not precede the PLAY reply). */
  framesBeforeLastResponse = 0;
  closed = false;

  private constructor(readonly socket: net.Socket) {
    socket.on('data', (chunk: Buffer) => {
      this.parser.push(chunk);
      for (let m = this.parser.next(); m; m = this.parser.next()) {
        if (m.kind === 'interleaved') this.frames.push(m);
        else if (m.kind === 'response') {
          this.framesBeforeLastResponse = this.frames.length;
          this.waiting?.(m);
        }
      }
    });
    socket.on('close', () => (this.closed = true));
    socket.on('error', () => undefined);
  }

  static connect(port: number): Promise<RawRtspClient> {
    return new Promise((resolve, reject) => {
      const socket = net.connect(port, '127.0.0.1', () => resolve(new RawRtspClient(socket)));
      socket.once('error', reject);
    });
  }

  /** Sends raw bytes and resolves with the next response. */
  raw(text: string | Uint8Array, timeoutMs = 5000): Promise<RtspResponse> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`no response to ${JSON.stringify(String(text).slice(0, 60))}`)),
        timeoutMs,
      );
      this.waiting = (r) => {
        clearTimeout(timer);
        this.waiting = undefined;
        resolve(r);
      };
      this.socket.write(text);
    });
  }

  request(
    method: string,
    url: string,
    headers: Record<string, string> = {},
  ): Promise<RtspResponse> {
    const lines = [
      `${method} ${url} RTSP/1.0`,
      `CSeq: ${++this.cseq}`,
      ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`),
    ];
    return this.raw(lines.join('\r\n') + '\r\n\r\n');
  }

  /** SETUP every track of a DESCRIBE answer over interleaved TCP; returns the session id. */
  async setupAll(
    url: string,
    extraHeaders: Record<string, string> = {},
  ): Promise<{ session: string; tracks: number }> {
    const describe = await this.request('DESCRIBE', url, extraHeaders);
    const sdp = new TextDecoder().decode(describe.body);
    const base = describe.headers.get('content-base') ?? url;
    const controls = [...sdp.matchAll(/^a=control:(trackID=\d+|rtsp:\S+)/gm)].map((m) => m[1]!);
    let session: string | undefined;
    for (const [i, control] of controls.entries()) {
      const headers: Record<string, string> = {
        ...extraHeaders,
        Transport: `RTP/AVP/TCP;unicast;interleaved=${2 * i}-${2 * i + 1}`,
      };
      if (session) headers.Session = session;
      const reply = await this.request(
        'SETUP',
        control.startsWith('rtsp:') ? control : base + control,
        headers,
      );
      if (reply.status !== 200) throw new Error(`SETUP ${control}: ${reply.status}`);
      session = reply.headers.get('session')!.split(';')[0]!;
    }
    return { session: session!, tracks: controls.length };
  }

  rtp(channel = 0): RtpHeader[] {
    return this.frames.filter((f) => f.channel === channel).map((f) => parseRtpHeader(f));
  }

  /** RTCP packet types seen on a channel, compound by compound. */
  rtcpTypes(channel = 1): number[][] {
    return this.frames.filter((f) => f.channel === channel).map((f) => rtcpPacketTypes(f.data));
  }

  async waitFor(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!condition()) {
      if (Date.now() > deadline) throw new Error('condition not met in time');
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  close(): void {
    this.socket.destroy();
  }
}

export function parseRtpHeader(frame: InterleavedFrame): RtpHeader {
  const d = frame.data;
  const view = new DataView(d.buffer, d.byteOffset, d.byteLength);
  return {
    channel: frame.channel,
    payloadType: d[1]! & 0x7f,
    marker: (d[1]! & 0x80) !== 0,
    sequenceNumber: view.getUint16(2),
    timestamp: view.getUint32(4),
    ssrc: view.getUint32(8),
    length: d.length,
  };
}

/** Packet types of an RTCP compound (RFC 3550 §6.1: length in 32-bit words minus one). */
export function rtcpPacketTypes(data: Uint8Array): number[] {
  const types: number[] = [];
  for (let at = 0; at + 4 <= data.length;) {
    types.push(data[at + 1]!);
    at += 4 * (((data[at + 2]! << 8) | data[at + 3]!) + 1);
  }
  return types;
}

/** A 16-bit PCM mono WAV of `ms` milliseconds of a quiet tone at `rate` Hz. */
export function pcmWav(ms: number, rate = 8000): Buffer {
  const samples = Math.round((ms * rate) / 1000);
  const data = Buffer.alloc(samples * 2);
  for (let i = 0; i < samples; i++)
    data.writeInt16LE(Math.round(3000 * Math.sin((2 * Math.PI * 440 * i) / rate)), i * 2);
  const header = Buffer.alloc(44);
  header.write('RIFF', 0);
  header.writeUInt32LE(36 + data.length, 4);
  header.write('WAVEfmt ', 8);
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20);
  header.writeUInt16LE(1, 22);
  header.writeUInt32LE(rate, 24);
  header.writeUInt32LE(rate * 2, 28);
  header.writeUInt16LE(2, 32);
  header.writeUInt16LE(16, 34);
  header.write('data', 36);
  header.writeUInt32LE(data.length, 40);
  return Buffer.concat([header, data]);
}
