/**
 * Reception statistics for one source, as a receiver report needs them
 * (RFC 3550 §6.4.1): extended highest sequence number and loss (A.1, A.3),
 * interarrival jitter (A.8) and the LSR/DLSR echo of the last sender report.
 * Times are monotonic ms, passed in.
 */
import type { ReportBlock } from './rtcp.js';
import { seqDiff } from './sequence.js';

const SEQ_MOD = 0x1_0000;
const TWO_POW_32 = 0x1_0000_0000;

export class ReceiverStatistics {
  readonly clockRate: number;

  // A.1: sequence state, reset when the sequence restarts.
  #started = false;
  #maxSeq = 0;
  #cycles = 0;
  #baseExtended = 0;
  #received = 0;
  #expectedPrior = 0;
  #receivedPrior = 0;

  // A.8: jitter in timestamp units, kept as a float rather than A.8's ×16 integer.
  #jitter = 0;
  #lastTransit: number | undefined;

  #lastSrMiddle = 0;
  #lastSrArrivalMs: number | undefined;

  constructor(clockRate: number) {
    this.clockRate = clockRate;
  }

  /** Every packet received from the source, duplicates and late ones included (A.3 counts them). */
  onPacket(sequenceNumber: number, timestamp: number, arrivalMs: number): void {
    if (!this.#started) {
      this.#started = true;
      this.#maxSeq = sequenceNumber;
      this.#cycles = 0;
      this.#baseExtended = sequenceNumber;
    } else if (seqDiff(sequenceNumber, this.#maxSeq) > 0) {
      if (sequenceNumber < this.#maxSeq) this.#cycles += SEQ_MOD;
      this.#maxSeq = sequenceNumber;
    }
    this.#received++;
    // A.8: transit time in timestamp units; its changes, smoothed by 1/16, are the jitter.
    const transit = (arrivalMs * this.clockRate) / 1000 - timestamp;
    if (this.#lastTransit !== undefined) {
      this.#jitter += (Math.abs(transit - this.#lastTransit) - this.#jitter) / 16;
    }
    this.#lastTransit = transit;
  }

  /** The source's sequence restarted (A.1 init_seq): counts start over; jitter is kept. */
  restartSequence(): void {
    this.#started = false;
    this.#received = 0;
    this.#expectedPrior = 0;
    this.#receivedPrior = 0;
    // The timestamp may have jumped with the sequence: one huge transit change is not jitter.
    this.#lastTransit = undefined;
  }

  /** A sender report from the source arrived (its NTP time, our arrival time). */
  onSenderReport(ntpMsw: number, ntpLsw: number, arrivalMs: number): void {
    // §6.4.1 LSR: the middle 32 bits of the 64-bit NTP timestamp.
    this.#lastSrMiddle = (((ntpMsw & 0xffff) << 16) | (ntpLsw >>> 16)) >>> 0;
    this.#lastSrArrivalMs = arrivalMs;
  }

  /** Interarrival jitter in timestamp units. */
  get jitter(): number {
    return this.#jitter;
  }

  get jitterMs(): number {
    return (this.#jitter * 1000) / this.clockRate;
  }

  /** A.3: packets expected from the sequence numbers seen. */
  get expected(): number {
    return this.#started ? this.#cycles + this.#maxSeq - this.#baseExtended + 1 : 0;
  }

  get received(): number {
    return this.#received;
  }

  /** A.3 cumulative lost; negative when duplicates outnumber losses. */
  get cumulativeLost(): number {
    return this.expected - this.#received;
  }

  /**
   * The report block about `ssrc` (undefined before its first packet). Closes the
   * interval: the next block's fraction lost counts from here (A.3).
   */
  reportBlock(ssrc: number, nowMs: number): ReportBlock | undefined {
    if (!this.#started) return undefined;
    const expected = this.expected;
    const expectedInterval = expected - this.#expectedPrior;
    const receivedInterval = this.#received - this.#receivedPrior;
    this.#expectedPrior = expected;
    this.#receivedPrior = this.#received;
    const lostInterval = expectedInterval - receivedInterval;
    const fractionLost =
      expectedInterval === 0 || lostInterval <= 0
        ? 0
        : Math.min(255, Math.floor((lostInterval * 256) / expectedInterval));
    const srArrival = this.#lastSrArrivalMs;
    return {
      ssrc,
      fractionLost,
      cumulativeLost: this.cumulativeLost,
      highestSeq: (this.#cycles + this.#maxSeq) % TWO_POW_32,
      jitter: Math.min(TWO_POW_32 - 1, Math.floor(this.#jitter)),
      lsr: srArrival === undefined ? 0 : this.#lastSrMiddle,
      // §6.4.1 DLSR: units of 1/65536 s.
      dlsr:
        srArrival === undefined
          ? 0
          : Math.min(TWO_POW_32 - 1, Math.floor((Math.max(0, nowMs - srArrival) * 65536) / 1000)),
    };
  }
}
