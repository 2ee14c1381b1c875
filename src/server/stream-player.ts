/**
 * Plays one session's tracks in real time: every sample leaves when its
 * decode time comes, all tracks on one clock, one timer for the session.
 *
 * Position model: `position` is media time in ms that keeps growing across
 * loops (loop k covers [k·period, (k+1)·period), period = the longest track).
 * RTP timestamps and sequence numbers therefore continue through loops and
 * through PAUSE/PLAY (RFC 2326 §10.5: resume where it left off), and jump only
 * on a seek, which RTP-Info announces. Sender reports (RFC 3550 §6.4.1) pair
 * the wall clock with the RTP time of the current position about once a second.
 */
import { randomInt } from 'node:crypto';
import { concatRtcp, serializeBye, serializeSdes, serializeSenderReport } from '../rtp/rtcp.js';
import { epochMsToNtp } from '../rtp/ntp.js';
import type { MediaSource, MediaTrack } from './media/media-source.js';
import type { RtpHeaderFields } from '../rtp/packet.js';
import type { TrackOutput } from './rtp-output.js';

export interface PlayerClock {
  /** Monotonic ms. */
  now(): number;
  /** Wall-clock epoch ms, for sender reports. */
  wallNow(): number;
}

const systemClock: PlayerClock = { now: () => performance.now(), wallNow: () => Date.now() };

export interface PlayerTrack {
  track: MediaTrack;
  output: TrackOutput;
  ssrc: number;
}

export interface PlayerOptions {
  /** 1 = once, N = N times, 0 = forever. */
  playCount: number;
  /** SDES CNAME (RFC 3550 §6.5.1). */
  cname: string;
  /** Called once when the last loop has been sent (after the BYEs). */
  onEnded?: () => void;
  clock?: PlayerClock;
  senderReportIntervalMs?: number;
}

export type PlayerState = 'ready' | 'playing' | 'paused' | 'ended';

/** Where each track starts after PLAY, for the RTP-Info header (RFC 2326 §12.33). */
export interface PlayStart {
  positionMs: number;
  tracks: { seq: number; rtptime: number }[];
}

interface TrackState {
  readonly track: MediaTrack;
  readonly output: TrackOutput;
  /** Reused for every packet of the track. */
  readonly header: RtpHeaderFields;
  /** Random initial timestamp (RFC 3550 §5.1). */
  readonly rtpBase: number;
  /** Next sample to send, and its loop. */
  index: number;
  loop: number;
  /** Timestamp offset of `loop`, ticks. */
  loopTicks: number;
  finished: boolean;
  packets: number;
  octets: number;
}

/**
 * The BYE trails the last packet: over UDP it travels on the RTCP socket, and
 * a client that reads that socket first (FFmpeg does) would otherwise end the
 * stream with the last frame's packets still unread in its RTP socket.
 */
const byeDelayMs = 100;

const uint16 = 0x10000;
const uint32 = 0x1_0000_0000;

export class StreamPlayer {
  private readonly tracks: TrackState[];
  private readonly clock: PlayerClock;
  private readonly periodMs: number;
  private readonly srIntervalMs: number;
  private playCount: number;
  private playState: PlayerState = 'ready';
  /** position = anchorPosition + (now − anchorTime) while playing. */
  private anchorPosition = 0;
  private anchorTime = 0;
  private lastReportAt = -Infinity;
  /** Position at which the BYE goes out, once every track has sent its last packet. */
  private endAt: number | undefined;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    source: MediaSource,
    tracks: readonly PlayerTrack[],
    private readonly options: PlayerOptions,
  ) {
    this.clock = options.clock ?? systemClock;
    this.periodMs = source.durationMs;
    // A zero-length file cannot loop forever without spinning.
    this.playCount = this.periodMs > 0 ? options.playCount : 1;
    this.srIntervalMs = options.senderReportIntervalMs ?? 1000;
    this.tracks = tracks.map(({ track, output, ssrc }) => ({
      track,
      output,
      header: {
        marker: false,
        payloadType: track.format.payloadType,
        sequenceNumber: randomInt(uint16),
        timestamp: 0,
        ssrc,
      },
      rtpBase: randomInt(uint32 - 1),
      index: 0,
      loop: 0,
      loopTicks: 0,
      finished: false,
      packets: 0,
      octets: 0,
    }));
  }

  get state(): PlayerState {
    return this.playState;
  }

  /** Media position in ms (grows across loops). */
  get positionMs(): number {
    return this.playState === 'playing'
      ? this.anchorPosition + (this.clock.now() - this.anchorTime)
      : this.anchorPosition;
  }

  /**
   * Starts or resumes. With `seekMs` (a Range), playback restarts in the first
   * loop at the last video keyframe at or before it; without it, a paused or
   * playing session continues and an ended one starts over.
   */
  play(seekMs?: number, playCount?: number): PlayStart {
    if (playCount !== undefined) this.playCount = this.periodMs > 0 ? playCount : 1;
    const restart = this.playState === 'ended' || this.playState === 'ready';
    if (seekMs !== undefined || restart) this.seek(seekMs ?? 0);
    if (this.playState !== 'playing' || seekMs !== undefined) {
      this.anchorTime = this.clock.now();
      this.playState = 'playing';
      this.lastReportAt = -Infinity;
      this.schedule(0);
    }
    return {
      positionMs: this.anchorPosition,
      tracks: this.tracks.map((t) => ({
        seq: t.header.sequenceNumber,
        rtptime: this.nextTimestamp(t),
      })),
    };
  }

  pause(): void {
    if (this.playState !== 'playing') return;
    this.anchorPosition = this.positionMs;
    this.playState = 'paused';
    this.cancelTimer();
  }

  /** Stops for good (TEARDOWN, timeout): no BYE, timers cleared. Outputs are the session's to close. */
  stop(): void {
    this.cancelTimer();
    this.playState = 'ended';
  }

  private seek(positionMs: number): void {
    this.endAt = undefined;
    let start = Math.max(0, positionMs);
    // Video must restart on a random access point; audio follows the video's choice.
    const video = this.tracks.find((t) => t.track.media === 'video');
    if (video) {
      let keyframeTime = 0;
      for (const s of video.track.samples) {
        if (s.sendTimeMs > start) break;
        if (s.keyframe) keyframeTime = s.sendTimeMs;
      }
      start = keyframeTime;
    }
    for (const t of this.tracks) {
      const index = t.track.samples.findIndex((s) => s.sendTimeMs >= start);
      t.index = index < 0 ? t.track.samples.length : index;
      t.loop = 0;
      t.loopTicks = 0;
      t.finished = false;
    }
    this.anchorPosition = start;
  }

  private nextTimestamp(t: TrackState): number {
    const sample = t.track.samples[t.index];
    const offset = sample
      ? sample.timestamp
      : Math.round((t.track.durationMs * t.track.format.clockRate) / 1000);
    return (t.rtpBase + t.loopTicks + offset) % uint32;
  }

  private readonly tick = (): void => {
    this.timer = undefined;
    if (this.playState !== 'playing') return;
    const now = this.clock.now();
    const position = this.anchorPosition + (now - this.anchorTime);
    let nextDue = Infinity;
    for (const t of this.tracks) nextDue = Math.min(nextDue, this.sendDue(t, position));
    if (now - this.lastReportAt >= this.srIntervalMs) this.sendReports(now, position);
    if (nextDue === Infinity) {
      this.endAt ??= position + byeDelayMs;
      if (position >= this.endAt) {
        this.finish(position);
        return;
      }
      nextDue = this.endAt;
    }
    const untilReport = this.lastReportAt + this.srIntervalMs - now;
    this.schedule(Math.min(nextDue - position, untilReport));
  };

  /** Sends every sample of the track due by `position`; returns when the next one is due (Infinity when finished). */
  private sendDue(t: TrackState, position: number): number {
    const samples = t.track.samples;
    while (!t.finished) {
      const sample = samples[t.index];
      if (!sample) {
        this.nextLoop(t);
        continue;
      }
      const due = t.loop * this.periodMs + sample.sendTimeMs;
      if (due > position) return due;
      const header = t.header;
      header.timestamp = (t.rtpBase + t.loopTicks + sample.timestamp) % uint32;
      for (const { payload, marker } of sample.payloads) {
        header.marker = marker;
        if (t.output.sendRtp(header, payload)) {
          t.packets++;
          t.octets += payload.length;
        }
        header.sequenceNumber = (header.sequenceNumber + 1) % uint16;
      }
      t.index++;
    }
    return Infinity;
  }

  private nextLoop(t: TrackState): void {
    if (this.playCount !== 0 && t.loop + 1 >= this.playCount) {
      t.finished = true;
      return;
    }
    t.loop++;
    t.index = 0;
    t.loopTicks = Math.round((t.loop * this.periodMs * t.track.format.clockRate) / 1000);
  }

  /** SR + SDES for every track: the RTP time of `position` at this wall-clock instant. */
  private sendReports(now: number, position: number, bye = false): void {
    this.lastReportAt = now;
    const [ntpMsw, ntpLsw] = epochMsToNtp(this.clock.wallNow());
    for (const t of this.tracks) {
      const rtpTimestamp =
        (t.rtpBase + Math.round((position * t.track.format.clockRate) / 1000)) % uint32;
      const ssrc = t.header.ssrc;
      const sr = serializeSenderReport({
        ssrc,
        ntpMsw,
        ntpLsw,
        rtpTimestamp,
        packetCount: t.packets,
        octetCount: t.octets,
      });
      const parts = [sr, serializeSdes(ssrc, this.options.cname)];
      if (bye) parts.push(serializeBye(ssrc));
      t.output.sendRtcp(concatRtcp(parts));
    }
  }

  /** Last loop sent: a final SR with BYE on every track (RFC 3550 §6.6). */
  private finish(position: number): void {
    this.sendReports(this.clock.now(), position, true);
    this.anchorPosition = position;
    this.playState = 'ended';
    this.options.onEnded?.();
  }

  private schedule(delayMs: number): void {
    this.cancelTimer();
    this.timer = setTimeout(this.tick, Math.max(0, delayMs));
  }

  private cancelTimer(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }
}
