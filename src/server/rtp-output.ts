/**
 * Where a played track's RTP and RTCP go: the RTSP connection's interleaved
 * channels (RFC 2326 §10.12) or a UDP port pair (RFC 2326 §12.39). The player
 * reuses one header object per track and hands over shared payload views;
 * outputs write the 12-byte header into a small fresh buffer and send the
 * payload without copying it.
 */
import type { Socket as UdpSocket } from 'node:dgram';
import { writeRtpHeader, type RtpHeaderFields } from '../rtp/packet.js';
import { interleavedHeader } from '../rtsp/serialize.js';
import type { BoundedSocketWriter } from './bounded-socket-writer.js';

export interface TrackOutput {
  /** Sends one RTP packet; false when it was dropped because the client is too slow. */
  sendRtp(header: RtpHeaderFields, payload: Uint8Array): boolean;
  sendRtcp(packet: Uint8Array): void;
  close(): void;
}

const rtpHeaderBytes = 12;
const interleavedHeaderBytes = 4;

/** RTP/AVP/TCP: `$`, channel, 16-bit length, then the packet, on the RTSP connection. */
export class InterleavedOutput implements TrackOutput {
  constructor(
    private readonly writer: BoundedSocketWriter,
    readonly channels: readonly [rtp: number, rtcp: number],
  ) {}

  sendRtp(header: RtpHeaderFields, payload: Uint8Array): boolean {
    const prefix = Buffer.allocUnsafe(interleavedHeaderBytes + rtpHeaderBytes);
    writeInterleavedHeader(prefix, this.channels[0], rtpHeaderBytes + payload.length);
    writeRtpHeader(prefix, interleavedHeaderBytes, header);
    return this.writer.writeMedia(prefix, payload);
  }

  sendRtcp(packet: Uint8Array): void {
    this.writer.writeControl(interleavedHeader(this.channels[1], packet.length), packet);
  }

  close(): void {
    // The connection outlives the track; nothing of its own to release.
  }
}

/** Same bytes as rtsp's interleavedHeader(), written into the packet's one prefix buffer (per-packet hot path). */
function writeInterleavedHeader(target: Buffer, channel: number, length: number): void {
  target[0] = 0x24; // '$'
  target[1] = channel;
  target.writeUInt16BE(length, 2);
}

/** RTP/AVP over UDP from the server's port pair to the client's. */
export class UdpOutput implements TrackOutput {
  constructor(
    private readonly rtpSocket: UdpSocket,
    private readonly rtcpSocket: UdpSocket,
    /** Always the RTSP peer's address: a Transport `destination` is ignored so the server cannot be aimed at third parties. */
    private readonly clientHost: string,
    readonly clientPorts: readonly [rtp: number, rtcp: number],
  ) {}

  get serverPorts(): [rtp: number, rtcp: number] {
    return [this.rtpSocket.address().port, this.rtcpSocket.address().port];
  }

  sendRtp(header: RtpHeaderFields, payload: Uint8Array): boolean {
    const prefix = Buffer.allocUnsafe(rtpHeaderBytes);
    writeRtpHeader(prefix, 0, header);
    this.rtpSocket.send([prefix, payload], this.clientPorts[0], this.clientHost);
    return true;
  }

  sendRtcp(packet: Uint8Array): void {
    this.rtcpSocket.send(packet, this.clientPorts[1], this.clientHost);
  }

  close(): void {
    this.rtpSocket.close();
    this.rtcpSocket.close();
  }
}
