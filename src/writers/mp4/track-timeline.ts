/**
 * One MP4 track's decode timeline from RTP. A sample's duration is the gap to
 * the next sample's timestamp, so the newest sample is held back until the
 * next one arrives (or the file closes).
 *
 * Where the track starts in the file is decided late, from every sample seen
 * until the first fragment is written (RFC 3550 §6.4.1: RTP timestamps of
 * different streams share no origin). Each sample's wall time (RTCP capture
 * time, else arrival) minus its media time estimates when the track's first
 * sample was captured; the smallest estimate is the least delayed one. That
 * matters for audio sent in bursts: several access units arrive in one packet,
 * and only the last of them arrived close to its capture time.
 */

export interface TimelineSample {
  data: Uint8Array;
  /** Decode time in the track's timescale: from the track's first sample until placed, then from the file's start. */
  dts: number;
  duration: number;
  sync: boolean;
}

export interface FirstCapture {
  arrival: number | undefined;
  ntp: number | undefined;
}

function earliest(current: number | undefined, candidate: number): number {
  return current === undefined || candidate < current ? candidate : current;
}

export class TrackTimeline {
  /** Samples with known durations, waiting for the next fragment. */
  readonly ready: TimelineSample[] = [];
  readyBytes = 0;
  private held: TimelineSample | undefined;
  private firstTimestamp: number | undefined;
  private lastDuration: number | undefined;
  /** When the first sample was captured (epoch ms), by the least delayed sample so far, on each clock a frame may carry. */
  private readonly firstCapture: FirstCapture = { arrival: undefined, ntp: undefined };
  private placed = false;
  private startTicks = 0;

  constructor(
    readonly trackId: number,
    readonly timescale: number,
    /** Duration given to a last sample with no successor when none was measured. */
    private readonly fallbackDuration: number,
  ) {}

  get isPlaced(): boolean {
    return this.placed;
  }

  /** Estimated capture time of the track's first sample, by arrival and by RTCP time; undefined before a sample. */
  get captureEstimate(): Readonly<FirstCapture> {
    return this.firstCapture;
  }

  /** Ticks of ready samples; the fragment-size measure. */
  get readyTicks(): number {
    let ticks = 0;
    for (const sample of this.ready) ticks += sample.duration;
    return ticks;
  }

  /** Adds a sample at RTP `timestamp` (unwrapped; track clock = timescale), received at `receivedAt`, captured at `ntpTime` if known (epoch ms). */
  add(
    data: Uint8Array,
    timestamp: number,
    sync: boolean,
    receivedAt: number,
    ntpTime: number | undefined,
  ): void {
    this.firstTimestamp ??= timestamp;
    let dts = timestamp - this.firstTimestamp;
    const held = this.held;
    if (held !== undefined) {
      // Timestamps that do not advance (B-frames, a camera's clock step) would
      // make a zero or negative duration: keep decode order with one tick.
      if (dts <= held.dts) dts = held.dts + 1;
      this.release(held, dts - held.dts);
    }
    const mediaMs = ((timestamp - this.firstTimestamp) * 1000) / this.timescale;
    this.firstCapture.arrival = earliest(this.firstCapture.arrival, receivedAt - mediaMs);
    if (ntpTime !== undefined)
      this.firstCapture.ntp = earliest(this.firstCapture.ntp, ntpTime - mediaMs);
    this.held = { data, dts: this.placed ? dts + this.startTicks : dts, duration: 0, sync };
  }

  /**
   * Starts the track `offsetMs` after the file's start (once). Samples that
   * would fall before the file's start (audio captured before the first
   * keyframe) are dropped; returns how many.
   */
  place(offsetMs: number): number {
    if (this.placed) return 0;
    this.placed = true;
    this.startTicks = Math.round((offsetMs / 1000) * this.timescale);
    for (const sample of this.ready) sample.dts += this.startTicks;
    if (this.held) this.held.dts += this.startTicks;
    let dropped = 0;
    while (this.ready.length > 0 && this.ready[0]!.dts < 0) {
      this.readyBytes -= this.ready.shift()!.data.length;
      dropped++;
    }
    if (this.ready.length === 0 && this.held && this.held.dts < 0) {
      // Everything so far predates the file: the next sample starts the track.
      this.held = undefined;
      this.firstTimestamp = undefined;
      this.firstCapture.arrival = undefined;
      this.firstCapture.ntp = undefined;
      this.placed = false;
      dropped++;
    }
    return dropped;
  }

  /** At close: the held sample goes out with the last measured duration. */
  releaseHeld(): void {
    if (this.held === undefined) return;
    this.release(this.held, this.lastDuration ?? this.fallbackDuration);
    this.held = undefined;
  }

  takeReady(): TimelineSample[] {
    const samples = this.ready.splice(0);
    this.readyBytes = 0;
    return samples;
  }

  private release(sample: TimelineSample, duration: number): void {
    sample.duration = duration;
    this.lastDuration = duration;
    this.ready.push(sample);
    this.readyBytes += sample.data.length;
  }
}
