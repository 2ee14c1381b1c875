/**
 * Wall-clock time of RTP timestamps from the latest RTCP sender report
 * (RFC 3550 §6.4.1: an SR pairs an NTP time with the RTP timestamp of the same
 * instant). The SR's 32-bit timestamp is placed on the receiver's unwrapped
 * timeline next to the packets around it, so a wrap between the SR and a packet
 * costs nothing.
 */
import type { TimestampUnwrapper } from './timestamp-unwrapper.js';

export class SenderClock {
  readonly clockRate: number;
  #rtpAnchor: number | undefined;
  #ntpAnchorMs = 0;

  constructor(clockRate: number) {
    this.clockRate = clockRate;
  }

  /** Anchors the clock at a sender report; `timeline` is the track's timestamp unwrapper. */
  onSenderReport(rtpTimestamp: number, ntpTimeMs: number, timeline: TimestampUnwrapper): void {
    this.#rtpAnchor = timeline.peek(rtpTimestamp);
    this.#ntpAnchorMs = ntpTimeMs;
  }

  /** Epoch ms of an unwrapped RTP timestamp, once a sender report arrived. */
  toEpochMs(unwrappedTimestamp: number): number | undefined {
    if (this.#rtpAnchor === undefined) return undefined;
    return this.#ntpAnchorMs + ((unwrappedTimestamp - this.#rtpAnchor) * 1000) / this.clockRate;
  }

  reset(): void {
    this.#rtpAnchor = undefined;
  }
}
