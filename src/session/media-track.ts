/**
 * One set-up track on the hot path: RTP bytes → RtpTrackReceiver (parse,
 * reorder, loss) → depacketizer → `rtp` and `video`/`audio` events, plus its
 * RTCP and the per-interval stats. Called once per packet: no closures, no
 * copies, one event object per packet and per frame.
 */
import type { Depacketizer, DepacketizedFrame } from '../depacketizers/depacketizer.js';
import type { RtspEvent, TrackStats } from '../events/types.js';
import type { RtpTrackReceiver } from '../rtp/track-receiver.js';
import type { Track } from '../sdp/track.js';
import type { TimingsRecorder } from './timings.js';

/** Where a track's events go, and the session's clock origin. */
export interface TrackOutput {
  /** performance.now() when the session started. */
  readonly startedAt: number;
  readonly timings: TimingsRecorder;
  emit(event: RtspEvent): void;
  /** The receiver holds out-of-order packets until `deadlineMs` (monotonic): call flushDue() then. */
  armReorderTimer(track: MediaTrack, deadlineMs: number): void;
}

export class MediaTrack {
  readonly track: Track;
  readonly receiver: RtpTrackReceiver;
  readonly depacketizer: Depacketizer;
  readonly #output: TrackOutput;
  /** Unwrapped timestamp of the first frame: pts 0. */
  #firstFrameTimestamp: number | undefined;
  /**
   * Video starts at a keyframe: frames before it (joining a live stream mid
   * GOP) cannot be decoded, so they are dropped and counted in framesDropped.
   */
  #awaitingKeyframe: boolean;
  #framesBeforeKeyframe = 0;
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
    this.#awaitingKeyframe = track.media === 'video';
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
    const frames = depacketized.frames - this.#framesBeforeKeyframe;
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
      lost: received.lost,
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
        this.rejected,
      framesDropped:
        depacketized.framesDroppedLoss + depacketized.framesDroppedCap + this.#framesBeforeKeyframe,
      eventsDropped: this.eventsDropped,
    };
  }

  #emitFrame(frame: DepacketizedFrame, elapsed: number): void {
    if (this.#awaitingKeyframe) {
      if (frame.kind === 'video' && !frame.keyframe) {
        this.#framesBeforeKeyframe++;
        return;
      }
      this.#awaitingKeyframe = false;
    }
    const output = this.#output;
    const first = (this.#firstFrameTimestamp ??= frame.timestamp);
    const pts = (frame.timestamp - first) / this.track.clockRate;
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
