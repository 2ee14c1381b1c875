/**
 * Records what ffmpeg's RTP muxer sends for one stream of a fixture: RTP and
 * RTCP datagrams on 127.0.0.1 and the SDP it writes. Packets from another
 * implementation than ours, for the seed corpus (make-corpus.ts).
 */
import { spawn } from 'node:child_process';
import { createSocket, type Socket } from 'node:dgram';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface FfmpegRecording {
  sdp: string;
  rtp: Uint8Array[];
  rtcp: Uint8Array[];
}

async function bound(): Promise<{ socket: Socket; port: number; datagrams: Uint8Array[] }> {
  const socket = createSocket('udp4');
  const datagrams: Uint8Array[] = [];
  socket.on('message', (message) => datagrams.push(Uint8Array.from(message)));
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  return { socket, port: socket.address().port, datagrams };
}

/** `ffmpeg -re -i <input> <streamArgs> -t <seconds> -f rtp`; streamArgs pick one stream and its codec. */
export async function recordFfmpegRtp(
  input: string,
  streamArgs: readonly string[],
  seconds: number,
  ssrc: number,
): Promise<FfmpegRecording> {
  const rtp = await bound();
  const rtcp = await bound();
  const dir = mkdtempSync(join(tmpdir(), 'rtspkit-fuzz-'));
  const sdpFile = join(dir, 'stream.sdp');
  try {
    // -re: paced as live, so no datagram is dropped by a full socket buffer.
    const args = ['-hide_banner', '-loglevel', 'error', '-re', '-i', input, ...streamArgs];
    args.push('-t', String(seconds), '-ssrc', String(ssrc | 0), '-sdp_file', sdpFile, '-f', 'rtp');
    args.push(`rtp://127.0.0.1:${rtp.port}?rtcpport=${rtcp.port}&pkt_size=1400`);
    const ffmpeg = spawn('ffmpeg', args, { stdio: ['ignore', 'ignore', 'inherit'] });
    const code = await new Promise<number | null>((resolve) => ffmpeg.on('exit', resolve));
    if (code !== 0) throw new Error(`ffmpeg ${args.join(' ')} exited with ${code}`);
    await new Promise((resolve) => setTimeout(resolve, 100)); // the last datagrams in flight
    return { sdp: readFileSync(sdpFile, 'utf8'), rtp: rtp.datagrams, rtcp: rtcp.datagrams };
  } finally {
    rtp.socket.close();
    rtcp.socket.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
