/**
 * The session's latency milestones (monotonic ms since the session started),
 * carried by `stats` and `closed` events and drawn by `rtspkit timing`.
 */
import type { SessionTimings } from '../events/types.js';

export class TimingsRecorder {
  connectMs: number | undefined;
  firstRtpMs: number | undefined;
  firstFrameMs: number | undefined;
  firstKeyframeMs: number | undefined;
  readonly #methods: Record<string, number> = {};

  /** The elapsed time of the method's latest exchange. */
  recordMethod(method: string, elapsedMs: number): void {
    this.#methods[method] = elapsedMs;
  }

  snapshot(): SessionTimings {
    const timings: SessionTimings = { methods: { ...this.#methods } };
    if (this.connectMs !== undefined) timings.connectMs = this.connectMs;
    if (this.firstRtpMs !== undefined) timings.firstRtpMs = this.firstRtpMs;
    if (this.firstFrameMs !== undefined) timings.firstFrameMs = this.firstFrameMs;
    if (this.firstKeyframeMs !== undefined) timings.firstKeyframeMs = this.firstKeyframeMs;
    return timings;
  }
}
