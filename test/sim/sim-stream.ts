/**
 * The media one simulated camera connection sends after PLAY: synthetic H.264
 * (RFC 6184 FU-A) at a fixed frame rate with RTCP sender reports (RFC 3550
 * §6.4.1), over `$` channels (RFC 2326 §10.12) or UDP, and the media-level
 * faults (odd packets, jumps, truncated RTCP) mixed in on command.
 */
import type dgram from 'node:dgram';
import { packetizeH264 } from '../../src/packetizers/h264.js';
import { serializeRtpPacket } from '../../src/rtp/packet.js';
import { concatRtcp, serializeSdes, serializeSenderReport } from '../../src/rtp/rtcp.js';
import { epochMsToNtp } from '../../src/rtp/ntp.js';
import { interleavedHeader } from '../../src/rtsp/serialize.js';
import type { Outbox } from './outbox.js';
import { syntheticFrame } from './synthetic-h264.js';

export const SIM_PAYLOAD_TYPE = 96;
export const SIM_SSRC = 0x1234_5678;
/** SSRC of the stray packets `strangeRtp` mixes in. */
export const STRAY_SSRC = 0xdead_beef;
/** Payload type of the packets `strangeRtp` mixes in (not in the SDP). */
export const STRAY_PAYLOAD_TYPE = 111;
/** Channel of the frames `unknownChannelFrames` sends (no SETUP asks for it). */
export const UNKNOWN_CHANNEL = 9;
/** Frame index at which `sequenceJump` / `timestampJump` apply. */
export const JUMP_AT_FRAME = 50;
const CLOCK_RATE = 90_000;
const MAX_PAYLOAD = 1400;

export interface StreamFaults {
  /** Every 5th frame, one packet of another SSRC and one of an unknown payload type. */
  strangeRtp?: boolean;
  /** Every frame, one `$` frame on UNKNOWN_CHANNEL. */
  unknownChannelFrames?: boolean;
  /** Every 10th frame, an SR+SDES compound cut in the middle of its SDES. */
  truncatedRtcp?: boolean;
  sequenceJump?: number;
  timestampJump?: number;
  /** Start sequence number and timestamp just below their wrap. */
  nearWrap?: boolean;
}

/** What all connections of a simulator sent, for exact expectations. */
export interface SentCounters {
  frames: number;
  rtpPackets: number;
  strayPackets: number;
  senderReports: number;
  truncatedRtcp: number;
  unknownChannelFrames: number;
}

export function newSentCounters(): SentCounters {
  return {
    frames: 0,
    rtpPackets: 0,
    strayPackets: 0,
    senderReports: 0,
    truncatedRtcp: 0,
    unknownChannelFrames: 0,
  };
}

/** Where media goes: `$` channels on the RTSP connection, or the client's UDP ports. */
export type MediaRoute =
  | { kind: 'interleaved'; channels: readonly [number, number] }
  | {
      kind: 'udp';
      host: string;
      ports: readonly [number, number];
      sockets: readonly [dgram.Socket, dgram.Socket];
    };

export interface StreamShape {
  gop: number;
  fps: number;
  sliceBytes: number;
}

export class SimStream {
  readonly #out: Outbox;
  readonly #faults: StreamFaults;
  readonly #shape: StreamShape;
  readonly #sent: SentCounters;
  route: MediaRoute | undefined;
  frame = 0;
  seq: number;
  timestamp: number;
  #straySeq = 7;

  constructor(out: Outbox, faults: StreamFaults, shape: StreamShape, sent: SentCounters) {
    this.#out = out;
    this.#faults = faults;
    this.#shape = shape;
    this.#sent = sent;
    this.seq = faults.nearWrap === true ? 65_500 : 1000;
    this.timestamp = faults.nearWrap === true ? 0xffff_ffff - CLOCK_RATE : 123_456;
  }

  get frameIntervalMs(): number {
    return 1000 / this.#shape.fps;
  }

  /** One access unit, the faults due at this frame, and an SR once a second. */
  sendFrame(): void {
    const faults = this.#faults;
    if (this.frame === JUMP_AT_FRAME) {
      if (faults.sequenceJump !== undefined) this.seq = (this.seq + faults.sequenceJump) & 0xffff;
      if (faults.timestampJump !== undefined)
        this.timestamp = (this.timestamp + faults.timestampJump) >>> 0;
    }
    const { gop, sliceBytes, fps } = this.#shape;
    const access = syntheticFrame(this.frame, gop, sliceBytes);
    for (const packet of packetizeH264(access.nalUnits, MAX_PAYLOAD))
      this.#sendRtp(packet.payload, packet.marker);
    if (faults.strangeRtp === true && this.frame % 5 === 0) this.#sendStrays();
    if (faults.unknownChannelFrames === true && this.route?.kind === 'interleaved') {
      this.#out.media(
        Buffer.concat([interleavedHeader(UNKNOWN_CHANNEL, 4), Buffer.from([1, 2, 3, 4])]),
      );
      this.#sent.unknownChannelFrames++;
    }
    if (faults.truncatedRtcp === true && this.frame % 10 === 0) {
      const compound = concatRtcp([this.#senderReport(), serializeSdes(SIM_SSRC, 'sim@127.0.0.1')]);
      // The SR (28 bytes) stays whole; the SDES after it is cut short.
      this.#send(1, compound.subarray(0, 28 + 6));
      this.#sent.truncatedRtcp++;
    }
    if (this.frame % fps === 0) {
      this.#send(1, this.#senderReport());
      this.#sent.senderReports++;
    }
    this.frame++;
    this.#sent.frames++;
    this.timestamp = (this.timestamp + CLOCK_RATE / fps) >>> 0;
  }

  /** Raw RTP on the video channel, for the hostile pumps. */
  sendRtp(payload: Uint8Array, marker: boolean): void {
    this.#sendRtp(payload, marker);
  }

  #sendRtp(payload: Uint8Array, marker: boolean): void {
    const packet = serializeRtpPacket(
      {
        marker,
        payloadType: SIM_PAYLOAD_TYPE,
        sequenceNumber: this.seq,
        timestamp: this.timestamp,
        ssrc: SIM_SSRC,
      },
      payload,
    );
    this.seq = (this.seq + 1) & 0xffff;
    this.#sent.rtpPackets++;
    this.#send(0, packet);
  }

  /**
   * A stray SSRC has its own sequence space; a second payload type in our SSRC
   * takes the next sequence number, as a sender multiplexing two formats does.
   */
  #sendStrays(): void {
    const stray = { marker: true, timestamp: this.timestamp };
    this.#send(
      0,
      serializeRtpPacket(
        {
          ...stray,
          payloadType: SIM_PAYLOAD_TYPE,
          sequenceNumber: this.#straySeq++,
          ssrc: STRAY_SSRC,
        },
        new Uint8Array([0x41, 1, 2, 3]),
      ),
    );
    this.#send(
      0,
      serializeRtpPacket(
        { ...stray, payloadType: STRAY_PAYLOAD_TYPE, sequenceNumber: this.seq, ssrc: SIM_SSRC },
        new Uint8Array([1, 2, 3, 4]),
      ),
    );
    this.seq = (this.seq + 1) & 0xffff;
    this.#sent.strayPackets += 2;
  }

  #senderReport(): Uint8Array {
    const [ntpMsw, ntpLsw] = epochMsToNtp(Date.now());
    return serializeSenderReport({
      ssrc: SIM_SSRC,
      ntpMsw,
      ntpLsw,
      rtpTimestamp: this.timestamp,
      packetCount: this.#sent.rtpPackets >>> 0,
      octetCount: (this.frame * this.#shape.sliceBytes) >>> 0,
      reports: [],
    });
  }

  #send(channelOffset: 0 | 1, packet: Uint8Array): void {
    const route = this.route;
    if (route === undefined || this.#out.silent) return;
    if (route.kind === 'interleaved') {
      this.#out.media(
        Buffer.concat([interleavedHeader(route.channels[channelOffset], packet.length), packet]),
      );
    } else {
      route.sockets[channelOffset].send(packet, route.ports[channelOffset], route.host);
    }
  }
}
