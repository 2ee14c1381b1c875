/**
 * Which SSRC a track listens to (RFC 3550 §8.2: a receiver must be ready for a
 * source to change its SSRC). The track locks on the Transport header's SSRC or
 * else on its first packet; other SSRCs are stray (a previous session's packets
 * on a reused UDP port) unless they keep coming while ours is silent, as after
 * a camera's encoder restart or when the Transport header's SSRC was wrong.
 * Their packets are held meanwhile so a new stream's first keyframe is not lost.
 */

/** Consecutive packets of one other SSRC, with none of ours between, that make the track follow it. */
export const SSRC_SWITCH_PACKETS = 8;

export class SsrcLock<T> {
  readonly switchAfter: number;
  #ssrc: number | undefined;
  #otherSsrc = 0;
  #held: T[] = [];

  constructor(expectedSsrc?: number, switchAfter = SSRC_SWITCH_PACKETS) {
    this.#ssrc = expectedSsrc === undefined ? undefined : expectedSsrc >>> 0;
    this.switchAfter = Math.max(1, switchAfter);
  }

  get ssrc(): number | undefined {
    return this.#ssrc;
  }

  /** Packets of another SSRC held, oldest first. */
  get held(): readonly T[] {
    return this.#held;
  }

  /** Locks on the first SSRC offered; a packet of ours interrupts another SSRC's run. */
  isOurs(ssrc: number): boolean {
    if (this.#ssrc === undefined) this.#ssrc = ssrc;
    if (ssrc !== this.#ssrc) return false;
    if (this.#held.length > 0) this.#held.length = 0;
    return true;
  }

  /**
   * Holds a packet of another SSRC. Returns the run of held packets (oldest first)
   * when this one completes it: the lock has then moved to that SSRC.
   */
  holdOther(ssrc: number, item: T): T[] | undefined {
    if (ssrc !== this.#otherSsrc || this.#held.length === 0) {
      this.#otherSsrc = ssrc;
      this.#held.length = 0;
    }
    this.#held.push(item);
    if (this.#held.length < this.switchAfter) return undefined;
    const run = this.#held;
    this.#held = [];
    this.#ssrc = ssrc;
    return run;
  }
}
