/**
 * One track's RTP/RTCP receive path, sans-IO: bytes and times in, packets in
 * sequence order out. It parses and filters (payload type, SSRC), reorders
 * (UDP), unwraps timestamps, keeps RFC 3550 statistics, maps RTP time to wall
 * time from sender reports and writes the receiver reports. The session owns
 * the sockets and the timer that `nextDeadline()` asks for.
 */
import { getRandomValues } from 'node:crypto';
import type { MediaPacket } from '../depacketizers/depacketizer.js';
import { ErrorCodes, RtspError, type RtspProtocolError } from '../errors.js';
import {
  formatSsrc,
  rtpPacketError,
  tryParseRtpPacket,
  type RtpPacket,
  type RtpProblem,
} from './packet.js';
import { ReceiverStatistics } from './receiver-stats.js';
import { ReorderBuffer } from './reorder-buffer.js';
import {
  concatRtcp,
  parseRtcpCompound,
  serializeReceiverReport,
  type RtcpParseResult,
  serializeSdes,
  type RtcpPacket,
} from './rtcp.js';
import { SenderClock } from './sender-clock.js';
import { SsrcLock } from './ssrc-lock.js';
import { TimestampUnwrapper } from './timestamp-unwrapper.js';

export interface ReceivedPacket {
  rtp: RtpPacket;
  /** What the depacketizer takes: `timestamp` unwrapped, `lost` the gap just before. */
  media: MediaPacket;
}

export interface RtpReceiverStats {
  /** Packets released in order by `pull()`. */
  packets: number;
  /** Their payload bytes. */
  bytes: number;
  /** Sequence numbers never received (declared lost by the reorder window). */
  lost: number;
  reordered: number;
  duplicates: number;
  /** RFC 3550 A.8 interarrival jitter. */
  jitterMs: number;
  /** Packets that did not parse as RTP. */
  invalid: number;
  unknownPayloadType: number;
  /** Packets of an SSRC other than the track's. */
  unknownSsrc: number;
  ssrcChanges: number;
  /** Packets that came after their place in the sequence was passed. */
  late: number;
  /** Sequence number jumps treated as a restart of the sender (RFC 3550 A.1). */
  sequenceRestarts: number;
  /** RTCP packets that did not parse completely. */
  rtcpInvalid: number;
}

export interface RtpTrackReceiverOptions {
  clockRate: number;
  payloadType: number;
  /** Reorder within a window: true for UDP; TCP keeps order, so false releases at once. */
  reorder: boolean;
  /** Default 64. */
  reorderWindowPackets?: number;
  /** Default 100. */
  reorderWindowMs?: number;
  /** Sequence number of the first packet, when known before PLAY; see `expectFirst`. */
  firstSequence?: number;
  /** From the SETUP response's Transport header. */
  expectedSsrc?: number;
  /** Our SDES CNAME (RFC 3550 §6.5.1); default `rtspkit-<localSsrc>`. */
  cname?: string;
  /** Our SSRC in receiver reports; default random. */
  localSsrc?: number;
}

const payloadBytes = (received: ReceivedPacket): number => received.rtp.payload.length;

/** A packet of another SSRC, held until that SSRC proves it is the new source. */
interface StrayArrival {
  rtp: RtpPacket;
  nowMs: number;
  receivedAt: number;
}

export class RtpTrackReceiver {
  readonly clockRate: number;
  readonly payloadType: number;
  readonly localSsrc: number;
  readonly cname: string;

  readonly #buffer: ReorderBuffer<ReceivedPacket>;
  readonly #ssrcLock: SsrcLock<StrayArrival>;
  readonly #timeline = new TimestampUnwrapper();
  #statistics: ReceiverStatistics;
  readonly #senderClock: SenderClock;
  #senderReportSsrc: number | undefined;
  #ended = false;
  #lastError: RtspProtocolError | undefined;
  // The last malformed RTP packet or RTCP parse, described only if `lastError` is read.
  #invalidRtp: Uint8Array | undefined;
  #invalidRtpProblem: RtpProblem = 'short';
  #invalidRtcp: RtcpParseResult | undefined;

  // The latest packet of ours: its monotonic time places a new SSRC's first timestamp,
  // and `receivedAt - nowMs` converts RTCP arrival times to the monotonic clock.
  #lastNowMs: number | undefined;
  #wallMinusMonotonic: number | undefined;
  /** Loss before packets of another payload type that `pull` skipped, owed to the next one. */
  #carriedLost = 0;

  #packets = 0;
  #bytes = 0;
  #invalid = 0;
  #unknownPayloadType = 0;
  #unknownSsrc = 0;
  #ssrcChanges = 0;
  #rtcpInvalid = 0;

  constructor(options: RtpTrackReceiverOptions) {
    const { clockRate, payloadType } = options;
    if (!(Number.isInteger(clockRate) && clockRate > 0)) {
      throw new RtspError(
        `RtpTrackReceiver: clock rate ${clockRate} is not a positive integer`,
        ErrorCodes.ERR_RTSP_INVALID_ARGUMENT,
      );
    }
    if (!(Number.isInteger(payloadType) && payloadType >= 0 && payloadType <= 127)) {
      throw new RtspError(
        `RtpTrackReceiver: payload type ${payloadType} is outside 0..127`,
        ErrorCodes.ERR_RTSP_INVALID_ARGUMENT,
      );
    }
    this.clockRate = clockRate;
    this.payloadType = payloadType;
    this.localSsrc = (options.localSsrc ?? getRandomValues(new Uint32Array(1))[0]!) >>> 0; // one element
    this.cname = options.cname ?? `rtspkit-${formatSsrc(this.localSsrc).slice(2)}`;
    this.#buffer = new ReorderBuffer({
      windowPackets: options.reorder ? options.reorderWindowPackets : 1,
      windowMs: options.reorderWindowMs,
      firstSequence: options.firstSequence,
    });
    this.#ssrcLock = new SsrcLock(options.expectedSsrc);
    this.#statistics = new ReceiverStatistics(clockRate);
    this.#senderClock = new SenderClock(clockRate);
  }

  /**
   * Parses and queues one RTP packet. Returns whether `pull()` may now release
   * something: true when the packet entered the reorder window, even a packet of
   * our SSRC with another payload type (comfort noise, FEC), which shares our
   * sequence numbers and may fill the gap packets behind it wait on; `pull()`
   * skips it. False when it was not queued: malformed (`lastError` says where),
   * another SSRC, another payload type before our SSRC is known, a duplicate or
   * too late. Each case is counted in `stats`.
   */
  pushRtp(data: Uint8Array, nowMs: number, receivedAt: number): boolean {
    const rtp = tryParseRtpPacket(data);
    if (typeof rtp === 'string') {
      this.#invalid++;
      // Kept, not described: the peer's buffers are never written to, and building an error
      // per packet would let a flood of malformed packets cost ~10 µs each.
      this.#invalidRtp = data;
      this.#invalidRtpProblem = rtp;
      this.#invalidRtcp = undefined;
      return false;
    }
    const ourPayloadType = rtp.payloadType === this.payloadType;
    // Only our payload type may choose the SSRC; others of our SSRC still go through
    // the window (they share its sequence numbers) and `pull` skips them.
    if (!ourPayloadType && this.#ssrcLock.ssrc === undefined) {
      this.#unknownPayloadType++;
      return false;
    }
    if (!this.#ssrcLock.isOurs(rtp.ssrc)) {
      this.#unknownSsrc++;
      if (!ourPayloadType) return false;
      const run = this.#ssrcLock.holdOther(rtp.ssrc, { rtp, nowMs, receivedAt });
      if (run === undefined) return false;
      this.#followNewSource(run);
      return true;
    }
    if (!ourPayloadType) this.#unknownPayloadType++;
    return this.#accept(rtp, nowMs, receivedAt);
  }

  /**
   * The PLAY answer's RTP-Info seq (RFC 2326 §12.33): over UDP the first packet
   * is released as soon as it is here, instead of after the reorder window's
   * wait for packets that overtook it. No effect once packets were released.
   */
  expectFirst(sequenceNumber: number): void {
    this.#buffer.expectFirst(sequenceNumber);
  }

  /** The next packet in sequence order, or undefined until one arrives or the window's wait is over. */
  pull(nowMs: number): ReceivedPacket | undefined {
    for (;;) {
      const received = this.#buffer.pop(nowMs);
      if (received === undefined) return undefined;
      const lost = this.#carriedLost + this.#buffer.lostBeforePopped;
      if (received.rtp.payloadType !== this.payloadType) {
        this.#carriedLost = lost;
        continue;
      }
      this.#carriedLost = 0;
      received.media.lost = lost;
      this.#packets++;
      this.#bytes += received.rtp.payload.length;
      return received;
    }
  }

  /** Monotonic ms at which `pull` will give up waiting for a gap; undefined when nothing is held. */
  nextDeadline(): number | undefined {
    return this.#buffer.nextDeadline();
  }

  /**
   * Reads a compound RTCP packet: a sender report of our source anchors `ntpTime`
   * and the next receiver report's LSR/DLSR; a BYE of our source sets `ended`.
   * `nowMs` (monotonic) is the arrival time for DLSR; without it, it is derived from
   * `receivedAt` and the last RTP packet's pair of clocks.
   */
  pushRtcp(data: Uint8Array, receivedAt: number, nowMs?: number): RtcpPacket[] {
    const parsed = parseRtcpCompound(data);
    if (parsed.incomplete) {
      this.#rtcpInvalid++;
      this.#invalidRtcp = parsed;
      this.#invalidRtp = undefined;
    }
    const packets = parsed.packets;
    const ours = this.#ssrcLock.ssrc;
    for (const packet of packets) {
      if (packet.kind === 'sr' && (ours === undefined || packet.ssrc === ours)) {
        this.#senderReportSsrc = packet.ssrc;
        this.#senderClock.onSenderReport(packet.rtpTimestamp, packet.ntpTime, this.#timeline);
        const arrivalMs =
          nowMs ??
          (this.#wallMinusMonotonic === undefined
            ? undefined
            : receivedAt - this.#wallMinusMonotonic);
        if (arrivalMs !== undefined)
          this.#statistics.onSenderReport(packet.ntpMsw, packet.ntpLsw, arrivalMs);
      } else if (packet.kind === 'bye' && ours !== undefined && packet.ssrcs.includes(ours)) {
        this.#ended = true;
      }
    }
    return packets;
  }

  /** Epoch ms of an unwrapped RTP timestamp, once a sender report of our source arrived. */
  ntpTime(unwrappedTimestamp: number): number | undefined {
    if (this.#senderReportSsrc !== this.#ssrcLock.ssrc) return undefined;
    return this.#senderClock.toEpochMs(unwrappedTimestamp);
  }

  /** RR (with a block about our source once it sent) + SDES CNAME: the compound packet §6.1 asks for, every ~5 s. */
  receiverReport(nowMs: number): Uint8Array {
    const source = this.#ssrcLock.ssrc;
    const block = source === undefined ? undefined : this.#statistics.reportBlock(source, nowMs);
    const rr = serializeReceiverReport({
      ssrc: this.localSsrc,
      reports: block === undefined ? [] : [block],
    });
    return concatRtcp([rr, serializeSdes(this.localSsrc, this.cname)]);
  }

  get stats(): Readonly<RtpReceiverStats> {
    const buffer = this.#buffer;
    return {
      packets: this.#packets,
      bytes: this.#bytes,
      lost: buffer.lost,
      reordered: buffer.reordered,
      duplicates: buffer.duplicates,
      jitterMs: this.#statistics.jitterMs,
      invalid: this.#invalid,
      unknownPayloadType: this.#unknownPayloadType,
      unknownSsrc: this.#unknownSsrc,
      ssrcChanges: this.#ssrcChanges,
      late: buffer.late,
      sequenceRestarts: buffer.restarts,
      rtcpInvalid: this.#rtcpInvalid,
    };
  }

  /** Payload bytes held: the reorder window and packets of another SSRC on trial (a memory gauge). */
  get bufferedBytes(): number {
    let bytes = this.#buffer.sumHeld(payloadBytes);
    for (const stray of this.#ssrcLock.held) bytes += stray.rtp.payload.length;
    return bytes;
  }

  /** A BYE of our source arrived (RFC 3550 §6.6). */
  get ended(): boolean {
    return this.#ended;
  }

  /** The SSRC listened to: the Transport header's or the first packet's, then any it switched to. */
  get ssrc(): number | undefined {
    return this.#ssrcLock.ssrc;
  }

  /** The last malformed RTP/RTCP packet's error (with its byte position), for logs. */
  get lastError(): RtspProtocolError | undefined {
    if (this.#invalidRtp !== undefined) {
      this.#lastError = rtpPacketError(this.#invalidRtp, this.#invalidRtpProblem);
      this.#invalidRtp = undefined;
    } else if (this.#invalidRtcp !== undefined) {
      this.#lastError = this.#invalidRtcp.error;
      this.#invalidRtcp = undefined;
    }
    return this.#lastError;
  }

  /** Queues a packet of our SSRC; false when dropped as a duplicate or late (nothing new to pull). */
  #accept(rtp: RtpPacket, nowMs: number, receivedAt: number): boolean {
    this.#lastNowMs = nowMs;
    this.#wallMinusMonotonic = receivedAt - nowMs;
    const timestamp = this.#timeline.unwrap(rtp.timestamp);
    const received: ReceivedPacket = {
      rtp,
      media: {
        sequenceNumber: rtp.sequenceNumber,
        timestamp,
        marker: rtp.marker,
        payload: rtp.payload,
        receivedAt,
        lost: 0,
      },
    };
    const restarts = this.#buffer.restarts;
    const outcome = this.#buffer.push(rtp.sequenceNumber, received, nowMs);
    if (this.#buffer.restarts !== restarts) this.#statistics.restartSequence();
    if (outcome === 'probation') return true;
    this.#statistics.onPacket(rtp.sequenceNumber, timestamp, nowMs);
    return outcome === 'queued';
  }

  /**
   * Moves to a new SSRC (RFC 3550 §8.2): held packets of the old one are released
   * first, the new source's statistics start over, and its first timestamp is placed
   * after the old timeline by the time elapsed, so unwrapped time keeps moving forward.
   */
  #followNewSource(run: StrayArrival[]): void {
    this.#ssrcChanges++;
    this.#buffer.restart();
    this.#statistics = new ReceiverStatistics(this.clockRate);
    this.#senderClock.reset();
    this.#senderReportSsrc = undefined;
    const first = run[0]!; // a run has at least one packet
    const last = this.#timeline.last;
    if (last !== undefined && this.#lastNowMs !== undefined) {
      const elapsedTicks = Math.round(((first.nowMs - this.#lastNowMs) * this.clockRate) / 1000);
      this.#timeline.rebase(first.rtp.timestamp, last + Math.max(1, elapsedTicks));
    }
    for (const stray of run) this.#accept(stray.rtp, stray.nowMs, stray.receivedAt);
  }
}
