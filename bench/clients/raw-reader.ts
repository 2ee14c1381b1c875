/**
 * The physical limit: a socket that plays the RTSP handshake, then reads and
 * discards every byte (no parsing); also the floor of a Node client's
 * start-up on this machine. Usage: clients/raw-reader.ts URL
 * Messages: → handshake {connectToPlayMs}; snapshot → snapshot {bytes}; stop.
 */
import net from 'node:net';
import { loadDist } from '../lib/dist.js';
import { fromParent, toParent } from '../lib/child.js';
import type { RtspResponse } from '../../src/rtsp/message.js';
import type * as Parser from '../../src/rtsp/parser.js';

const { RtspMessageParser } = await loadDist<typeof Parser>('rtsp/parser.js');

const url = new URL(process.argv[2]!);
const connectStart = performance.now();
const socket = net.connect({ host: url.hostname, port: Number(url.port) });
let bytes = 0;
fromParent((message) => {
  if (message.type === 'snapshot') toParent({ type: 'snapshot', bytes });
  if (message.type === 'stop') {
    socket.destroy();
    process.exit(0);
  }
});
await new Promise((resolve) => socket.once('connect', resolve));

const parser = new RtspMessageParser();
let cseq = 0;
async function request(method: string, uri: string, extra = ''): Promise<RtspResponse> {
  socket.write(`${method} ${uri} RTSP/1.0\r\nCSeq: ${++cseq}\r\nSession: 5eed\r\n${extra}\r\n`);
  for (;;) {
    const message = parser.next();
    if (message?.kind === 'response') return message;
    parser.push(await new Promise<Buffer>((resolve) => socket.once('data', resolve)));
  }
}
await request('OPTIONS', url.href);
await request('DESCRIBE', url.href, 'Accept: application/sdp\r\n');
await request('SETUP', `${url.href}/track1`, 'Transport: RTP/AVP/TCP;unicast;interleaved=0-1\r\n');
await request('PLAY', url.href, 'Range: npt=0.000-\r\n');
toParent({ type: 'handshake', connectToPlayMs: performance.now() - connectStart });
bytes = parser.buffered;
socket.on('data', (chunk: Buffer) => {
  bytes += chunk.length;
});
