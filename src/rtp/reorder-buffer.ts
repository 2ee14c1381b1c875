/**
 * A bounded reorder window for RTP over UDP (RFC 3550 §5.1, A.1). Packets are
 * released in sequence order; a missing one is declared lost when a packet
 * arrives too far ahead to hold (the window is full) or when the oldest held
 * packet has waited `windowMs`. Duplicates and packets older than what was
 * released are dropped and counted.
 *
 * The start is provisional (windowPackets > 1): the first packet to arrive may
 * have been overtaken, so nothing is released until the oldest held packet has
 * waited `windowMs`, the held span fills the window, or the packet at the known
 * first sequence number (RTP-Info seq, RFC 2326 §12.33) is here; the sequence
 * then starts at the lowest packet held. An earlier packet arriving meanwhile
 * moves the start back instead of being dropped as late.
 *
 * Sequence jumps follow RFC 3550 A.1: up to MAX_DROPOUT ahead is loss, up to
 * MAX_MISORDER behind is a late or duplicate packet, anything else is the start
 * of a new sequence (encoder restart) on probation: it is held, and the next
 * packet just after it confirms the restart. A restart is not counted as loss,
 * so a +20000 jump never turns into a lost burst; the first packet after it is
 * released with `lost` 1, the only way the depacketizer contract has to say
 * "discontinuity".
 *
 * Hot path: fixed ring arrays, no per-packet allocation; `pop()` returns the
 * item and leaves its loss count in `lostBeforePopped`.
 */
import { ErrorCodes, RtspError } from '../errors.js';
import { seqAdd, seqDiff } from './sequence.js';

/** RFC 3550 A.1: a forward jump at least this large is a restart, not loss. */
export const MAX_DROPOUT = 3000;
/** RFC 3550 A.1: a packet this far behind is late; further is a restart. */
export const MAX_MISORDER = 100;
const MAX_WINDOW_PACKETS = 1024;

export interface ReorderBufferOptions {
  /** Packets held at most (1..1024, default 64); 1 releases at once (TCP keeps order). */
  windowPackets?: number;
  /** How long the oldest held packet waits for a gap before it (ms, default 100). */
  windowMs?: number;
  /** Sequence number of the first packet, when known (RTP-Info seq); see `expectFirst`. */
  firstSequence?: number;
}

/** What `push` did with a packet. */
export type PushOutcome = 'queued' | 'duplicate' | 'late' | 'probation';

export class ReorderBuffer<T> {
  readonly windowPackets: number;
  readonly windowMs: number;

  /** Sequence numbers declared lost: skipped and never released. */
  lost = 0;
  /** Packets queued although a later sequence number had arrived before them. */
  reordered = 0;
  duplicates = 0;
  /** Packets dropped because their place was already released or skipped, and unconfirmed restarts. */
  late = 0;
  /** Sequence restarts confirmed (A.1 probation passed). */
  restarts = 0;
  /** Packets known lost just before the item the last `pop()` returned. */
  lostBeforePopped = 0;

  // Held packets, all within [expected, expected + windowPackets), at slot `seq & #mask`. The ring
  // size is a power of two so that slots stay consecutive across the 65535 → 0 wrap.
  readonly #mask: number;
  readonly #slots: (T | undefined)[];
  readonly #arrivals: Float64Array;
  #held = 0;
  /** Whether a sequence is running: `expected` is meaningful. */
  #started = false;
  /** Nothing released yet and an earlier packet may still move `expected` back. */
  #provisional = false;
  /** The first sequence number announced by `expectFirst`; read only while provisional. */
  #firstSequence: number | undefined;
  /** Sequence number of the next packet to release. */
  #expected = 0;
  #highest = 0;
  #pendingLost = 0;
  #discontinuity = false;
  #oldestArrival = 0;
  #oldestStale = false;

  // Released in order but not yet popped (a window overflow or restart flushes the ring here).
  #ready: (T | undefined)[] = [];
  #readyLost: number[] = [];
  #readyHead = 0;

  // What became of recently passed sequence numbers: tells a duplicate from a late packet.
  readonly #historySeq: Int32Array;
  readonly #historyReleased: Uint8Array;

  // A.1 probation: the first packet of a suspected new sequence.
  #candidate: T | undefined;
  #candidateSeq = 0;
  #candidateArrival = 0;

  constructor(options: ReorderBufferOptions = {}) {
    const windowPackets = options.windowPackets ?? 64;
    const windowMs = options.windowMs ?? 100;
    if (
      !Number.isInteger(windowPackets) ||
      windowPackets < 1 ||
      windowPackets > MAX_WINDOW_PACKETS
    ) {
      throw new RtspError(
        `reorder window of ${windowPackets} packets is outside 1..${MAX_WINDOW_PACKETS}`,
        ErrorCodes.ERR_RTSP_INVALID_ARGUMENT,
      );
    }
    if (!(windowMs >= 0 && Number.isFinite(windowMs))) {
      throw new RtspError(
        `reorder window of ${windowMs} ms is not a finite duration`,
        ErrorCodes.ERR_RTSP_INVALID_ARGUMENT,
      );
    }
    this.windowPackets = windowPackets;
    this.windowMs = windowMs;
    const ringSize = powerOfTwoAtLeast(windowPackets);
    this.#mask = ringSize - 1;
    this.#slots = new Array<T | undefined>(ringSize).fill(undefined);
    this.#arrivals = new Float64Array(ringSize);
    const historySize = powerOfTwoAtLeast(Math.max(windowPackets, MAX_MISORDER));
    this.#historySeq = new Int32Array(historySize).fill(-1);
    this.#historyReleased = new Uint8Array(historySize);
    if (options.firstSequence !== undefined) this.expectFirst(options.firstSequence);
  }

  /**
   * The sequence number the stream starts at (RTP-Info seq): once that packet is
   * held, the provisional start ends without waiting for the window. Ignored once
   * packets were released. A wrong one only costs the wait it would have saved.
   */
  expectFirst(seq: number): void {
    if (this.#started && !this.#provisional) return;
    this.#firstSequence = seq & 0xffff;
    if (this.#provisional) this.#settleStart();
  }

  /** Packets held or ready. */
  get size(): number {
    return (
      this.#held + (this.#ready.length - this.#readyHead) + (this.#candidate === undefined ? 0 : 1)
    );
  }

  /** Sum of `measure` over every packet held or ready: a gauge for stats, O(window), not per packet. */
  sumHeld(measure: (item: T) => number): number {
    let sum = this.#candidate === undefined ? 0 : measure(this.#candidate);
    for (let i = this.#readyHead; i < this.#ready.length; i++) sum += measure(this.#ready[i]!);
    if (this.#held > 0) {
      for (const item of this.#slots) if (item !== undefined) sum += measure(item);
    }
    return sum;
  }

  push(seq: number, item: T, nowMs: number): PushOutcome {
    if (this.#candidate !== undefined) {
      const fromCandidate = seqDiff(seq, this.#candidateSeq);
      if (fromCandidate > 0 && fromCandidate < MAX_MISORDER) {
        this.#confirmRestart();
      } else {
        this.#candidate = undefined;
        this.late++;
      }
    }
    if (!this.#started) {
      this.#start(seq);
      this.#provisional = this.windowPackets > 1;
    } else if (this.#provisional && nowMs >= this.#oldestHeldArrival() + this.windowMs) {
      this.#provisional = false;
    }
    let distance = seqDiff(seq, this.#expected);
    if (distance < 0 && this.#provisional && this.#canStartAt(seq, -distance)) {
      this.#expected = seq;
      distance = 0;
    }
    if (distance < 0) return this.#behind(seq, item, nowMs, -distance);
    if (distance >= MAX_DROPOUT) return this.#probation(seq, item, nowMs);
    if (distance >= this.windowPackets) {
      this.#provisional = false;
      this.#slideTo(seqAdd(seq, 1 - this.windowPackets));
    }
    const outcome = this.#hold(seq, item, nowMs);
    if (this.#provisional) this.#settleStart();
    return outcome;
  }

  /** The next packet in order, if it is here or the wait for the gap before it is over. */
  pop(nowMs: number): T | undefined {
    if (this.#readyHead < this.#ready.length) return this.#popReady();
    if (this.#held === 0) return undefined;
    if (this.#provisional) {
      if (nowMs < this.#oldestHeldArrival() + this.windowMs) return undefined;
      this.#provisional = false;
    }
    const mask = this.#mask;
    if (this.#slots[this.#expected & mask] === undefined) {
      if (nowMs < this.#oldestHeldArrival() + this.windowMs) return undefined;
      // The oldest held packet waited long enough: the gap up to the next held one is lost.
      do {
        this.#skipHead();
      } while (this.#slots[this.#expected & mask] === undefined);
    }
    const item = this.#takeHead();
    this.lostBeforePopped = this.#takeLost();
    return item;
  }

  /** Monotonic ms when `pop` will release a held packet; ≤ now when one is due; undefined if none held. */
  nextDeadline(): number | undefined {
    if (this.#readyHead < this.#ready.length) return 0;
    if (this.#held === 0) return undefined;
    if (!this.#provisional && this.#slots[this.#expected & this.#mask] !== undefined) return 0;
    return this.#oldestHeldArrival() + this.windowMs;
  }

  /**
   * Starts over (e.g. a new SSRC): what is held is released in order first, and the
   * first packet of the new sequence is released as a discontinuity.
   */
  restart(): void {
    if (this.#candidate !== undefined) {
      this.#candidate = undefined;
      this.late++;
    }
    if (!this.#started) return;
    this.#firstSequence = undefined;
    this.#flush();
    this.#discontinuity = true;
    this.#started = false;
  }

  /** While provisional: whether `seq`, `behind` before the start, can become the start. */
  #canStartAt(seq: number, behind: number): boolean {
    return behind <= MAX_MISORDER && seqDiff(this.#highest, seq) < this.windowPackets;
  }

  /** Ends the provisional start when the held span fills the window or the announced first packet is here. */
  #settleStart(): void {
    const first = this.#firstSequence;
    if (
      seqDiff(this.#highest, this.#expected) + 1 >= this.windowPackets ||
      (first !== undefined &&
        this.#slots[first & this.#mask] !== undefined &&
        seqDiff(first, this.#expected) >= 0 &&
        seqDiff(first, this.#highest) <= 0)
    ) {
      this.#provisional = false;
    }
  }

  #behind(seq: number, item: T, nowMs: number, distance: number): PushOutcome {
    if (distance > MAX_MISORDER) return this.#probation(seq, item, nowMs);
    const at = seq & (this.#historySeq.length - 1);
    if (this.#historySeq[at] === seq && this.#historyReleased[at] === 1) {
      this.duplicates++;
      return 'duplicate';
    }
    this.late++;
    return 'late';
  }

  #hold(seq: number, item: T, nowMs: number): PushOutcome {
    const slot = seq & this.#mask;
    if (this.#slots[slot] !== undefined) {
      this.duplicates++;
      return 'duplicate';
    }
    this.#slots[slot] = item;
    this.#arrivals[slot] = nowMs;
    if (this.#held++ === 0) {
      this.#oldestArrival = nowMs;
      this.#oldestStale = false;
    }
    if (seqDiff(seq, this.#highest) < 0) this.reordered++;
    else this.#highest = seq;
    return 'queued';
  }

  #probation(seq: number, item: T, nowMs: number): PushOutcome {
    this.#candidate = item;
    this.#candidateSeq = seq;
    this.#candidateArrival = nowMs;
    return 'probation';
  }

  #confirmRestart(): void {
    const candidate = this.#candidate!; // checked by the caller
    this.#candidate = undefined;
    this.#firstSequence = undefined;
    this.restarts++;
    this.#flush();
    this.#discontinuity = true;
    this.#start(this.#candidateSeq);
    this.#hold(this.#candidateSeq, candidate, this.#candidateArrival);
  }

  #start(seq: number): void {
    this.#started = true;
    this.#provisional = false;
    this.#expected = seq;
    this.#highest = seq;
    this.#pendingLost = 0;
    this.#historySeq.fill(-1);
  }

  /** Releases every held packet to the ready queue, in order, declaring the gaps between them lost. */
  #flush(): void {
    while (this.#held > 0) this.#releaseOrSkipHead();
  }

  /** Moves the window start to `seq`, releasing or skipping everything before it. */
  #slideTo(seq: number): void {
    let steps = seqDiff(seq, this.#expected);
    for (; steps > 0 && this.#held > 0; steps--) this.#releaseOrSkipHead();
    // Nothing held beyond here: the rest of the gap is lost in bulk, without a loop per packet.
    if (steps > 0) {
      this.#pendingLost += steps;
      this.lost += steps;
      this.#expected = seqAdd(this.#expected, steps);
    }
  }

  #releaseOrSkipHead(): void {
    if (this.#slots[this.#expected & this.#mask] === undefined) {
      this.#skipHead();
      return;
    }
    const lost = this.#takeLost();
    this.#ready.push(this.#takeHead());
    this.#readyLost.push(lost);
  }

  #skipHead(): void {
    this.#remember(this.#expected, 0);
    this.#pendingLost++;
    this.lost++;
    this.#expected = seqAdd(this.#expected, 1);
  }

  #takeHead(): T {
    const expected = this.#expected;
    const slot = expected & this.#mask;
    const item = this.#slots[slot]!; // callers checked the slot
    this.#slots[slot] = undefined;
    this.#held--;
    if (this.#arrivals[slot] === this.#oldestArrival) this.#oldestStale = true;
    this.#remember(expected, 1);
    this.#expected = seqAdd(expected, 1);
    return item;
  }

  #takeLost(): number {
    const lost = this.#discontinuity ? Math.max(1, this.#pendingLost) : this.#pendingLost;
    this.#pendingLost = 0;
    this.#discontinuity = false;
    return lost;
  }

  #popReady(): T {
    const head = this.#readyHead;
    const item = this.#ready[head]!; // head < length
    this.lostBeforePopped = this.#readyLost[head]!;
    this.#ready[head] = undefined;
    if (++this.#readyHead === this.#ready.length) {
      this.#ready.length = 0;
      this.#readyLost.length = 0;
      this.#readyHead = 0;
    }
    return item;
  }

  #remember(seq: number, released: 0 | 1): void {
    const at = seq & (this.#historySeq.length - 1);
    this.#historySeq[at] = seq;
    this.#historyReleased[at] = released;
  }

  /** Arrival of the oldest held packet; rescanned only after that packet left. */
  #oldestHeldArrival(): number {
    if (this.#oldestStale) {
      let oldest = Infinity;
      for (let slot = 0; slot <= this.#mask; slot++) {
        if (this.#slots[slot] !== undefined) oldest = Math.min(oldest, this.#arrivals[slot]!);
      }
      this.#oldestArrival = oldest;
      this.#oldestStale = false;
    }
    return this.#oldestArrival;
  }
}

function powerOfTwoAtLeast(n: number): number {
  return 2 ** Math.ceil(Math.log2(n));
}
