/**
 * One set-up track on the hot path: RTP bytes → RtpTrackReceiver (parse,
 * reorder, loss) → depacketizer → `rtp` and `video`/`audio` events, plus its
 * RTCP and the per-interval stats. Called once per packet: no closures, no
 * copies, one event object per packet and per frame.
 */
import type { Depacketizer, DepacketizedFrame } from '../depacketizers/depacketizer.js';
import type { RtspEvent, TrackStats } from '../events/types.js';
import type { ReceivedPacket, RtpTrackReceiver } from '../rtp/track-receiver.js';
import type { Track } from '../sdp/track.js';
import type { QuirkName, QuirkPolicies } from './quirks.js';
import { RtpInfoStart, type RtpInfoAnchor } from './rtp-info-start.js';
import type { TimingsRecorder } from './timings.js';

/** Where a track's events go, the session's clock origin and its quirk policies. */
export interface TrackOutput {
  /** performance.now() when the session started. */
  readonly startedAt: number;
  readonly timings: TimingsRecorder;
  readonly quirks: Readonly<QuirkPolicies>;
  emit(event: RtspEvent): void;
  /** A quirk policy applied (the session reports each one once). */
  quirk(quirk: QuirkName, detail: string): void;
  /** The receiver holds out-of-order packets until `deadlineMs` (monotonic): call flushDue() then. */
  armReorderTimer(track: MediaTrack, deadlineMs: number): void;
}

export class MediaTrack {
  readonly track: Track;
  readonly receiver: RtpTrackReceiver;
  readonly depacketizer: Depacketizer;
  readonly #output: TrackOutput;
  /** Unwrapped timestamp of pts 0: RTP-Info's rtptime if used, else the first packet's. */
  #ptsZero: number | undefined;
  /** Until the first packet: where RTP-Info says the stream starts (seq, rtptime). */
  readonly #start = new RtpInfoStart();
  /**
   * Video starts at a keyframe (quirks.useFirstKeyframe): frames before it
   * (joining a live stream mid GOP) cannot be decoded, so they are dropped.
   */
  #awaitingKeyframe: boolean;
  /** Frames the depacketizer returned and this track dropped (before the first keyframe, strict marker mode). */
  #framesWithheld = 0;
  /** A frame was ended by a new timestamp instead of the marker bit (reported once). */
  #splitSeen = false;
  /** Media events the queue dropped (UDP, consumer too slow). */
  eventsDropped = 0;
  /** Datagrams refused by the UDP source filter, added to `invalid`. */
  rejected = 0;
  #intervalStart: number;
  #intervalBytes = 0;
  #intervalFrames = 0;

  constructor(
    track: Track,
    receiver: RtpTrackReceiver,
    depacketizer: Depacketizer,
    output: TrackOutput,
    nowMs: number,
  ) {
    this.track = track;
    this.receiver = receiver;
    this.depacketizer = depacketizer;
    this.#output = output;
    this.#intervalStart = nowMs;
    this.#awaitingKeyframe = track.media === 'video' && output.quirks.useFirstKeyframe;
  }

  /** The PLAY answer's RTP-Info for this track (RFC 2326 §12.33); see RtpInfoStart. */
  anchor(anchor: RtpInfoAnchor): void {
    this.#start.anchor(anchor);
    if (anchor.seq !== undefined) this.receiver.expectFirst(anchor.seq);
  }

  pushRtp(data: Uint8Array, nowMs: number, receivedAt: number): void {
    if (this.receiver.pushRtp(data, nowMs, receivedAt)) this.flushDue(nowMs);
  }

  /** Takes every packet the receiver releases by `nowMs` through the depacketizer. */
  flushDue(nowMs: number): void {
    const output = this.#output;
    const receiver = this.receiver;
    const depacketizer = this.depacketizer;
    const elapsed = nowMs - output.startedAt;
    for (let packet = receiver.pull(nowMs); packet !== undefined; packet = receiver.pull(nowMs)) {
      if (!this.#start.started) {
        if (!this.#startWith(packet)) continue;
        this.#ptsZero = this.#ptsOrigin(packet.media.timestamp);
      }
      const rtp = packet.rtp;
      output.timings.firstRtpMs ??= elapsed;
      output.emit({
        type: 'rtp',
        sessionElapsedMs: elapsed,
        track: this.track.index,
        media: this.track.media,
        sequenceNumber: rtp.sequenceNumber,
        timestamp: rtp.timestamp,
        marker: rtp.marker,
        payloadType: rtp.payloadType,
        ssrc: rtp.ssrc,
        payload: rtp.payload,
        receivedAt: packet.media.receivedAt,
      });
      depacketizer.push(packet.media);
      for (let frame = depacketizer.pull(); frame !== undefined; frame = depacketizer.pull()) {
        // The marker bit never came: this packet's new timestamp ended the frame (RFC 6184 §5.1).
        if (frame.kind === 'video' && frame.timestamp !== packet.media.timestamp) {
          if (!this.#splitOnTimestampChange()) continue;
        }
        this.#emitFrame(frame, elapsed);
      }
    }
    const deadline = receiver.nextDeadline();
    if (deadline !== undefined) output.armReorderTimer(this, deadline);
  }

  pushRtcp(data: Uint8Array, nowMs: number, receivedAt: number): void {
    const elapsed = nowMs - this.#output.startedAt;
    for (const packet of this.receiver.pushRtcp(data, receivedAt, nowMs)) {
      if (packet.kind === 'sr') {
        this.#output.emit({
          type: 'rtcp',
          sessionElapsedMs: elapsed,
          track: this.track.index,
          packetType: packet.packetType,
          ntpTime: packet.ntpTime,
          rtpTimestamp: packet.rtpTimestamp,
          ssrc: packet.ssrc,
        });
      } else {
        const ssrc = packet.kind === 'rr' ? packet.ssrc : undefined;
        this.#output.emit({
          type: 'rtcp',
          sessionElapsedMs: elapsed,
          track: this.track.index,
          packetType: packet.packetType,
          ssrc,
        });
      }
    }
  }

  /** Counters since the start, rates over the interval since the previous call. */
  stats(nowMs: number): TrackStats {
    const received = this.receiver.stats;
    const depacketized = this.depacketizer.stats;
    const seconds = (nowMs - this.#intervalStart) / 1000;
    const bytesInInterval = received.bytes - this.#intervalBytes;
    const frames = depacketized.frames - this.#framesWithheld;
    const framesInInterval = frames - this.#intervalFrames;
    this.#intervalStart = nowMs;
    this.#intervalBytes = received.bytes;
    this.#intervalFrames = frames;
    return {
      track: this.track.index,
      media: this.track.media,
      codec: this.depacketizer.codec,
      packets: received.packets,
      bytes: received.bytes,
      lost: received.lost + this.#start.lostBefore,
      reordered: received.reordered,
      duplicates: received.duplicates,
      jitterMs: received.jitterMs,
      frames,
      fps: seconds > 0 ? Math.round((framesInInterval / seconds) * 100) / 100 : 0,
      bitrate: seconds > 0 ? Math.round((bytesInInterval * 8) / seconds) : 0,
      invalid:
        received.invalid +
        received.unknownPayloadType +
        depacketized.packetsInvalid +
        this.rejected +
        this.#start.stalePackets,
      framesDropped:
        depacketized.framesDroppedLoss + depacketized.framesDroppedCap + this.#framesWithheld,
      eventsDropped: this.eventsDropped,
      unknownSsrc: received.unknownSsrc,
      rtcpInvalid: received.rtcpInvalid,
      bufferedBytes: this.receiver.bufferedBytes + this.depacketizer.bufferedBytes,
    };
  }

  /** `track 0 (h264)`, for quirk details. */
  get #name(): string {
    return `track ${this.track.index} (${this.depacketizer.codec})`;
  }

  /**
   * RTP-Info's rtptime names the same instant (the range start) on every track.
   * Without it, each track counts from its first packet, not its first frame:
   * video that waits for a keyframe keeps its place beside audio, whose first
   * packet came at about the same time. `timestamp` is unwrapped, rtptime is
   * 32-bit: the signed 32-bit difference places it on the unwrapped line.
   */
  #ptsOrigin(timestamp: number): number {
    const rtptime = this.#start.rtptimeOrigin;
    return rtptime === undefined ? timestamp : timestamp - ((timestamp - rtptime) | 0);
  }

  /** Until the first packet of the range: whether to take this one (false: stale, dropped). */
  #startWith(packet: ReceivedPacket): boolean {
    const start = this.#start;
    const rtp = packet.rtp;
    if (!start.begin(rtp.sequenceNumber, rtp.timestamp, this.track.clockRate, this.#reportQuirk))
      return false;
    packet.media.lost += start.lostBefore;
    return true;
  }

  readonly #reportQuirk = (quirk: QuirkName, detail: string): void =>
    this.#output.quirk(quirk, `${this.#name}: ${detail}`);

  /** quirks.splitOnTimestampChange: whether a frame the marker bit did not end is kept. */
  #splitOnTimestampChange(): boolean {
    const keep = this.#output.quirks.splitOnTimestampChange;
    if (!this.#splitSeen) {
      this.#splitSeen = true;
      this.#reportQuirk(
        'splitOnTimestampChange',
        `no marker bit at the end of an access unit; ${keep ? 'frames end at each new RTP timestamp' : 'such frames are dropped'}`,
      );
    }
    if (!keep) this.#framesWithheld++;
    return keep;
  }

  #emitFrame(frame: DepacketizedFrame, elapsed: number): void {
    if (this.#awaitingKeyframe) {
      if (frame.kind === 'video' && !frame.keyframe) {
        this.#framesWithheld++;
        return;
      }
      this.#awaitingKeyframe = false;
      if (this.#framesWithheld > 0) {
        this.#reportQuirk(
          'useFirstKeyframe',
          `dropped ${this.#framesWithheld} frames before the first keyframe`,
        );
      }
    }
    const output = this.#output;
    const pts = (frame.timestamp - (this.#ptsZero ?? frame.timestamp)) / this.track.clockRate;
    const ntpTime = this.receiver.ntpTime(frame.timestamp);
    output.timings.firstFrameMs ??= elapsed;
    if (frame.kind === 'video') {
      if (frame.keyframe) output.timings.firstKeyframeMs ??= elapsed;
      output.emit({
        type: 'video',
        sessionElapsedMs: elapsed,
        track: this.track.index,
        frame: {
          codec: frame.codec,
          data: frame.data,
          timestamp: frame.timestamp,
          pts,
          keyframe: frame.keyframe,
          width: frame.width,
          height: frame.height,
          ntpTime,
          discontinuity: frame.discontinuity,
          receivedAt: frame.receivedAt,
        },
      });
    } else {
      output.emit({
        type: 'audio',
        sessionElapsedMs: elapsed,
        track: this.track.index,
        frame: {
          codec: frame.codec,
          data: frame.data,
          timestamp: frame.timestamp,
          pts,
          sampleRate: frame.sampleRate,
          channels: frame.channels,
          sampleCount: frame.sampleCount,
          ntpTime,
          discontinuity: frame.discontinuity,
          receivedAt: frame.receivedAt,
        },
      });
    }
  }
}
