/**
 * Event latency = now − frame.receivedAt, where receivedAt is the session's
 * Date.now() at the socket read that completed the frame. Date.now() is whole
 * milliseconds and is slewed against the monotonic clock, so samples are taken
 * on the monotonic clock (performance.timeOrigin + performance.now()) and moved
 * onto Date.now()'s clock afterwards, by the offset between the two clocks read
 * at the window's start and end and interpolated in between (nothing spins
 * during the window). What remains is the truncation of receivedAt: each sample
 * is an upper bound, at most 1 ms above the true latency.
 */
const EDGES_PER_CALIBRATION = 5;

/** Date.now() − (timeOrigin + now), in ms. */
export function clockOffset(): number {
  // At a tick of Date.now() the wall clock is exactly the new value; the monotonic reading
  // right after it is late by however long this process was descheduled, so the largest
  // offset of a few ticks is the best estimate.
  let best = Number.NEGATIVE_INFINITY;
  for (let edge = 0; edge < EDGES_PER_CALIBRATION; edge++) {
    const start = Date.now();
    let now = Date.now();
    while (now === start) now = Date.now();
    best = Math.max(best, now - (performance.timeOrigin + performance.now()));
  }
  return best;
}

export const monotonicEpoch = (): number => performance.timeOrigin + performance.now();

/** Latency samples of one window: (monotonic epoch at the event, that − receivedAt). */
export class LatencySamples {
  readonly #at: number[] = [];
  readonly #raw: number[] = [];
  readonly #startOffset = clockOffset();
  readonly #startAt = monotonicEpoch();

  add(receivedAt: number): void {
    const now = monotonicEpoch();
    this.#at.push(now);
    this.#raw.push(now - receivedAt);
  }

  /** Latencies on Date.now()'s clock, ascending; and how far the two clocks drifted in the window. */
  finish(): { sorted: Float64Array; driftMs: number } {
    const endOffset = clockOffset();
    const span = Math.max(1, monotonicEpoch() - this.#startAt);
    const drift = endOffset - this.#startOffset;
    const sorted = Float64Array.from(this.#raw, (raw, i) => {
      const offset = this.#startOffset + (drift * (this.#at[i]! - this.#startAt)) / span;
      return raw + offset;
    }).sort();
    return { sorted, driftMs: drift };
  }
}
