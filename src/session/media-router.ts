/**
 * Routes received media to the set-up tracks and sends the client's RTCP:
 * `$` channels on the RTSP connection (RFC 2326 §10.12), or a UDP port pair
 * per track (§12.39 client_port/server_port). Receiver reports go out every
 * few seconds on the track's RTCP channel or port (RFC 3550 §6.2), and UDP
 * tracks first punch a hole through NAT toward the server's ports.
 */
import { serializeRtpPacket } from '../rtp/packet.js';
import { interleavedHeader } from '../rtsp/serialize.js';
import type { UdpPortPair, UdpSource } from '../transport/udp-port-pair.js';
import type { ControlConnection } from './control-connection.js';
import type { MediaTrack } from './media-track.js';

/** Channel ids are one byte (§10.12). */
const CHANNELS = 256;

export class MediaRouter {
  readonly tracks: MediaTrack[] = [];
  readonly #byIndex: (MediaTrack | undefined)[] = [];
  readonly #rtpByChannel: (MediaTrack | undefined)[] = new Array<MediaTrack | undefined>(CHANNELS);
  readonly #rtcpByChannel: (MediaTrack | undefined)[] = new Array<MediaTrack | undefined>(CHANNELS);
  readonly #rtcpChannelOf = new Map<MediaTrack, number>();
  readonly #udpPairs = new Map<MediaTrack, UdpPortPair>();
  readonly #onAllEnded: () => void;
  /** `$` frames on a channel no SETUP asked for (counted, dropped). */
  unknownChannelFrames = 0;
  /** Monotonic ms of the last datagram accepted on any UDP port (the watchdog reads it). */
  lastDatagramAt = Number.NEGATIVE_INFINITY;

  /** `onAllEnded`: every track's sender said BYE (RFC 3550 §6.6). */
  constructor(onAllEnded: () => void) {
    this.#onAllEnded = onAllEnded;
  }

  /** The track with this SDP index (events carry it). */
  track(index: number): MediaTrack | undefined {
    return this.#byIndex[index];
  }

  addInterleaved(track: MediaTrack, channels: readonly [number, number]): void {
    this.#add(track);
    this.#rtpByChannel[channels[0]] = track;
    this.#rtcpByChannel[channels[1]] = track;
    this.#rtcpChannelOf.set(track, channels[1]);
  }

  addUdp(track: MediaTrack, pair: UdpPortPair, source: UdpSource): void {
    this.#add(track);
    this.#udpPairs.set(track, pair);
    pair.acceptFrom(source);
    pair.onRtp = (data) => {
      const now = performance.now();
      this.lastDatagramAt = now;
      track.pushRtp(data, now, Date.now());
    };
    pair.onRtcp = (data) => {
      const now = performance.now();
      this.lastDatagramAt = now;
      this.#pushRtcp(track, data, now, Date.now());
    };
  }

  /** The hot path over TCP: one call per `$` frame. */
  onInterleaved(channel: number, data: Uint8Array, nowMs: number, receivedAt: number): void {
    const rtpTrack = this.#rtpByChannel[channel];
    if (rtpTrack !== undefined) {
      rtpTrack.pushRtp(data, nowMs, receivedAt);
      return;
    }
    const rtcpTrack = this.#rtcpByChannel[channel];
    if (rtcpTrack !== undefined) this.#pushRtcp(rtcpTrack, data, nowMs, receivedAt);
    else this.unknownChannelFrames++;
  }

  /** One receiver report (with SDES CNAME) per track, on its RTCP channel or port. */
  sendReceiverReports(nowMs: number, connection: ControlConnection | undefined): void {
    for (const track of this.tracks) {
      const report = track.receiver.receiverReport(nowMs);
      const pair = this.#udpPairs.get(track);
      const channel = this.#rtcpChannelOf.get(track);
      if (pair !== undefined) {
        pair.sendRtcp(report);
      } else if (channel !== undefined && connection !== undefined) {
        const frame = new Uint8Array(4 + report.byteLength);
        frame.set(interleavedHeader(channel, report.byteLength), 0);
        frame.set(report, 4);
        connection.write(frame);
      }
    }
  }

  /**
   * After PLAY over UDP: an empty RTP packet and a receiver report toward the
   * server's ports open NAT mappings so its packets can come back (the
   * technique of gortsplib and FFmpeg).
   */
  punchHoles(nowMs: number, localSsrc: number): void {
    for (const [track, pair] of this.#udpPairs) {
      const header = {
        marker: false,
        payloadType: track.track.payloadType,
        sequenceNumber: 0,
        timestamp: 0,
        ssrc: localSsrc,
      };
      pair.sendRtp(serializeRtpPacket(header, new Uint8Array(0)));
      pair.sendRtcp(track.receiver.receiverReport(nowMs));
    }
  }

  /** Datagrams refused by the source filters, folded into each track's `invalid` count. */
  collectRejected(): void {
    for (const [track, pair] of this.#udpPairs) track.rejected = pair.rejected;
  }

  /** Closes the UDP ports; the router is not used afterwards. */
  release(): void {
    for (const pair of this.#udpPairs.values()) pair.close();
    this.#udpPairs.clear();
  }

  #add(track: MediaTrack): void {
    this.tracks.push(track);
    this.#byIndex[track.track.index] = track;
  }

  #pushRtcp(track: MediaTrack, data: Uint8Array, nowMs: number, receivedAt: number): void {
    track.pushRtcp(data, nowMs, receivedAt);
    if (track.receiver.ended && this.tracks.every((each) => each.receiver.ended))
      this.#onAllEnded();
  }
}
