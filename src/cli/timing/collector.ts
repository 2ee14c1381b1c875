/**
 * Turns a session's events into the numbers `rtspkit timing` reports: the
 * exchange's steps on one monotonic timeline (sessionElapsedMs), and per
 * track the frame inter-arrival times, RTP-timestamp-vs-arrival drift and,
 * where RTCP sender reports give capture times, capture-to-arrival latency.
 */
import type {
  AudioFrame,
  ClosedEvent,
  RtspEvent,
  TrackStats,
  VideoFrame,
} from '../../events/types.js';
import { redactUrl } from '../../rtsp/url.js';
import type { Track } from '../../sdp/track.js';
import { errorJson } from '../ndjson.js';
import { BoundedSeries, quantile, RunningStats, slope } from './bounded-series.js';

export interface TimedStep {
  label: string;
  /** ms since the session started. */
  startMs: number;
  endMs: number;
  detail: string;
}

export interface Distribution {
  meanMs: number;
  p50Ms: number;
  p95Ms: number;
  maxMs: number;
  /** Standard deviation: how irregular arrival is. */
  stddevMs: number;
}

export interface TrackTiming {
  track: number;
  media: 'video' | 'audio';
  codec: string;
  clockRate: number | undefined;
  firstRtpMs: number | undefined;
  firstRtcpMs: number | undefined;
  firstFrameMs: number | undefined;
  firstKeyframeMs: number | undefined;
  frames: number;
  keyframes: number;
  bytes: number;
  fps: number;
  bitrate: number;
  interArrival: Distribution | undefined;
  /** From the session's last stats: RFC 3550 interarrival jitter and loss. */
  rtpJitterMs: number | undefined;
  packets: number | undefined;
  lost: number | undefined;
  /** Arrival minus media time since the first frame; its slope is clock drift plus queueing growth. */
  drift: { lastMs: number; slopeMsPerS: number | undefined } | undefined;
  /** receivedAt − ntpTime (capture → arrival), once RTCP sender reports arrived. */
  latency: { minMs: number; meanMs: number; maxMs: number; samples: number } | undefined;
  series: {
    /** Frame arrival, ms since the session started. */
    t: number[];
    interArrivalMs: (number | null)[];
    driftMs: (number | null)[];
    latencyMs: (number | null)[];
  };
}

export interface TimingReport {
  url: string;
  /** Wall-clock epoch ms when the command started. */
  startedAt: number;
  durationMs: number;
  steps: TimedStep[];
  firstRtpMs: number | undefined;
  firstFrameMs: number | undefined;
  firstKeyframeMs: number | undefined;
  tracks: TrackTiming[];
  closed: { reason: ClosedEvent['reason']; error?: Record<string, unknown> } | undefined;
}

class TrackCollector {
  firstRtpMs: number | undefined;
  firstRtcpMs: number | undefined;
  firstFrameMs: number | undefined;
  firstKeyframeMs: number | undefined;
  frames = 0;
  keyframes = 0;
  bytes = 0;
  stats: TrackStats | undefined;
  readonly interArrival = new RunningStats();
  readonly latency = new RunningStats();
  readonly interArrivalSeries = new BoundedSeries();
  readonly driftSeries = new BoundedSeries();
  readonly latencySeries = new BoundedSeries();
  private first: { receivedAt: number; timestamp: number } | undefined;
  private lastReceivedAt: number | undefined;
  private lastDriftMs: number | undefined;

  constructor(
    readonly track: number,
    readonly media: 'video' | 'audio',
    public codec: string,
    readonly clockRate: number | undefined,
  ) {}

  frame(frame: VideoFrame | AudioFrame, atMs: number, keyframe: boolean): void {
    this.frames++;
    this.bytes += frame.data.length;
    this.firstFrameMs ??= atMs;
    if (keyframe) {
      this.keyframes++;
      this.firstKeyframeMs ??= atMs;
    }
    const gap = this.lastReceivedAt === undefined ? null : frame.receivedAt - this.lastReceivedAt;
    if (gap !== null) this.interArrival.add(gap);
    this.lastReceivedAt = frame.receivedAt;
    this.first ??= { receivedAt: frame.receivedAt, timestamp: frame.timestamp };
    let drift: number | null = null;
    if (this.clockRate) {
      drift =
        frame.receivedAt -
        this.first.receivedAt -
        ((frame.timestamp - this.first.timestamp) * 1000) / this.clockRate;
      this.lastDriftMs = drift;
    }
    const latency = frame.ntpTime === undefined ? null : frame.receivedAt - frame.ntpTime;
    if (latency !== null) this.latency.add(latency);
    this.interArrivalSeries.push(atMs, gap);
    this.driftSeries.push(atMs, drift);
    this.latencySeries.push(atMs, latency);
  }

  result(): TrackTiming {
    const spanS =
      this.first && this.lastReceivedAt !== undefined
        ? (this.lastReceivedAt - this.first.receivedAt) / 1000
        : 0;
    const gaps = this.interArrivalSeries.v.filter((v): v is number => v !== null);
    return {
      track: this.track,
      media: this.media,
      codec: this.codec,
      clockRate: this.clockRate,
      firstRtpMs: this.firstRtpMs,
      firstRtcpMs: this.firstRtcpMs,
      firstFrameMs: this.firstFrameMs,
      firstKeyframeMs: this.firstKeyframeMs,
      frames: this.frames,
      keyframes: this.keyframes,
      bytes: this.bytes,
      fps: spanS > 0 ? (this.frames - 1) / spanS : 0,
      bitrate: spanS > 0 ? (this.bytes * 8) / spanS : 0,
      interArrival:
        this.interArrival.count === 0
          ? undefined
          : {
              meanMs: this.interArrival.mean,
              p50Ms: quantile(gaps, 0.5) ?? 0,
              p95Ms: quantile(gaps, 0.95) ?? 0,
              maxMs: this.interArrival.max,
              stddevMs: this.interArrival.stddev,
            },
      rtpJitterMs: this.stats?.jitterMs,
      packets: this.stats?.packets,
      lost: this.stats?.lost,
      drift:
        this.lastDriftMs === undefined
          ? undefined
          : {
              lastMs: this.lastDriftMs,
              slopeMsPerS: perSecond(slope(this.driftSeries.t, this.driftSeries.v)),
            },
      latency:
        this.latency.count === 0
          ? undefined
          : {
              minMs: this.latency.min,
              meanMs: this.latency.mean,
              maxMs: this.latency.max,
              samples: this.latency.count,
            },
      series: {
        t: this.interArrivalSeries.t,
        interArrivalMs: this.interArrivalSeries.v,
        driftMs: this.driftSeries.v,
        latencyMs: this.latencySeries.v,
      },
    };
  }
}

/** Slope per ms of session time → per second. */
function perSecond(perMs: number | undefined): number | undefined {
  return perMs === undefined ? undefined : perMs * 1000;
}

export class TimingCollector {
  private readonly steps: TimedStep[] = [];
  private readonly tracks = new Map<number, TrackCollector>();
  private describedTracks: Track[] = [];
  private firstRtpMs: number | undefined;
  private firstFrameMs: number | undefined;
  private firstKeyframeMs: number | undefined;
  private lastMs = 0;
  private closed: TimingReport['closed'];

  constructor(
    private readonly url: string,
    private readonly startedAt: number,
  ) {}

  add(event: RtspEvent): void {
    const at = event.sessionElapsedMs;
    this.lastMs = Math.max(this.lastMs, at);
    switch (event.type) {
      case 'connect':
        this.steps.push({
          label: 'TCP connect',
          startMs: at - event.elapsedMs,
          endMs: at,
          detail: `${event.localAddress} → ${event.remoteAddress}`,
        });
        break;
      case 'rtsp':
        this.steps.push({
          label: event.method,
          startMs: at - event.elapsedMs,
          endMs: at,
          detail: `${event.status} ${event.reason}`,
        });
        if (event.tracks) this.describedTracks = event.tracks;
        break;
      case 'rtp': {
        const track = this.track(event.track, event.media);
        if (track.firstRtpMs === undefined) {
          track.firstRtpMs = at;
          this.steps.push({
            label: `first RTP #${event.track}`,
            startMs: at,
            endMs: at,
            detail: `${event.media} seq ${event.sequenceNumber} ssrc ${event.ssrc}`,
          });
        }
        this.firstRtpMs ??= at;
        break;
      }
      case 'rtcp': {
        const track = this.track(event.track, undefined);
        if (track.firstRtcpMs === undefined) {
          track.firstRtcpMs = at;
          this.steps.push({
            label: `first RTCP #${event.track}`,
            startMs: at,
            endMs: at,
            detail: `packet type ${event.packetType}`,
          });
        }
        break;
      }
      case 'video':
      case 'audio': {
        const keyframe = event.type === 'video' ? event.frame.keyframe : true;
        const track = this.track(event.track, event.type);
        track.codec = event.frame.codec;
        if (this.firstFrameMs === undefined) {
          this.steps.push({
            label: 'first frame',
            startMs: at,
            endMs: at,
            detail: `${event.type} #${event.track}`,
          });
        }
        this.firstFrameMs ??= at;
        if (event.type === 'video' && keyframe && this.firstKeyframeMs === undefined) {
          this.firstKeyframeMs = at;
          this.steps.push({
            label: 'first keyframe',
            startMs: at,
            endMs: at,
            detail: `#${event.track}`,
          });
        }
        track.frame(event.frame, at, keyframe);
        break;
      }
      case 'stats':
        for (const stats of event.tracks) this.track(stats.track, stats.media).stats = stats;
        break;
      case 'closed':
        this.closed = {
          reason: event.reason,
          ...(event.error ? { error: errorJson(event.error) } : {}),
        };
        break;
      case 'quirk':
      case 'reconnecting':
      case 'reconnected':
        break;
    }
  }

  report(): TimingReport {
    return {
      url: redactUrl(this.url),
      startedAt: this.startedAt,
      durationMs: this.lastMs,
      steps: [...this.steps].sort((a, b) => a.startMs - b.startMs),
      firstRtpMs: this.firstRtpMs,
      firstFrameMs: this.firstFrameMs,
      firstKeyframeMs: this.firstKeyframeMs,
      tracks: [...this.tracks.values()].sort((a, b) => a.track - b.track).map((t) => t.result()),
      closed: this.closed,
    };
  }

  private track(index: number, media: 'video' | 'audio' | undefined): TrackCollector {
    let track = this.tracks.get(index);
    if (!track) {
      const described = this.describedTracks.find((t) => t.index === index);
      track = new TrackCollector(
        index,
        media ?? described?.media ?? 'video',
        described?.codec ?? '',
        described?.clockRate,
      );
      this.tracks.set(index, track);
    }
    return track;
  }
}
