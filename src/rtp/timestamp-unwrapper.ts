/**
 * Extends 32-bit RTP timestamps (RFC 3550 §5.1) to a growing number. Each value is
 * placed at the signed 32-bit distance from the previous one, so a wrap
 * (2^32-1 → 0) moves forward and a small backwards step (B-frames, reordered
 * packets) moves back, never mistaken for a wrap.
 */
export class TimestampUnwrapper {
  #lastRaw = 0;
  #last: number | undefined;

  /** The unwrapped value of a 32-bit timestamp; the first one is returned as is. */
  unwrap(timestamp: number): number {
    const next = this.peek(timestamp);
    this.#lastRaw = timestamp >>> 0;
    this.#last = next;
    return next;
  }

  /** What `unwrap` would return, without moving the reference (for RTCP SR timestamps). */
  peek(timestamp: number): number {
    const raw = timestamp >>> 0;
    if (this.#last === undefined) return raw;
    // `| 0` reduces the difference to int32: the shortest way round the 32-bit circle.
    return this.#last + ((raw - this.#lastRaw) | 0);
  }

  /** The last unwrapped value, if any. */
  get last(): number | undefined {
    return this.#last;
  }

  /**
   * Maps `timestamp` to `unwrapped` from now on. A new source (SSRC) has its own
   * random timestamp origin (§5.1); the caller places its first packet where it
   * estimates it belongs on the old timeline, so unwrapped time keeps going forward.
   */
  rebase(timestamp: number, unwrapped: number): void {
    this.#lastRaw = timestamp >>> 0;
    this.#last = unwrapped;
  }
}
