/**
 * parseRtpPacket on every packet of the input, and the same packets through an
 * RtpTrackReceiver (TCP order, or the UDP reorder window) with arrival times
 * from the flags. The receiver never throws on wire data, releases packets in
 * sequence order with a loss count that fits the gap, holds nothing once its
 * deadline has passed, and writes receiver reports that parse.
 */
import { RtspProtocolError } from '../../../src/errors.js';
import { parseRtpPacket } from '../../../src/rtp/packet.js';
import { parseRtcpCompound } from '../../../src/rtp/rtcp.js';
import { seqDiff } from '../../../src/rtp/sequence.js';
import {
  RtpTrackReceiver,
  type RtpReceiverStats,
  type RtpTrackReceiverOptions,
} from '../../../src/rtp/track-receiver.js';
import { decodePackets } from '../packet-sequence.js';
import { bucket, expectedErrorFeature, invariant, type FuzzTarget } from '../target.js';

/** Control byte: bit 0 UDP (reorder window), bit 1 the SSRC is known from SETUP, bits 2–3 the window size. */
const UDP = 0x01;
const EXPECTED_SSRC_FLAG = 0x02;
const WINDOW_SHIFT = 2;
const WINDOWS = [
  {},
  { reorderWindowPackets: 4, reorderWindowMs: 20 },
  { reorderWindowPackets: 1024, reorderWindowMs: 1000 },
  { reorderWindowPackets: 1 },
] as const;
/** The SSRC make-corpus gives its packets. */
export const FUZZ_SSRC = 0x5d2a8c41;
export const FUZZ_PAYLOAD_TYPE = 96;
const LOCAL_SSRC = 0x01020304;

/** Packet flags: bit 0 RTCP (else RTP), bits 1–3 ms since the previous arrival, bit 4 the window's timer fires after it. */
export const RTCP_PACKET = 0x01;
const DELAY_SHIFT = 1;
const DELAYS_MS = [0, 0, 1, 5, 20, 80, 300, 5000] as const;
const TIMER_FIRES = 0x10;
const FIRST_RECEIVED_AT = 1_700_000_000_000;

export const rtpTarget: FuzzTarget = {
  name: 'rtp',
  inputFormat:
    'byte 0: bit0 UDP reorder, bit1 expected SSRC 5d2a8c41, bits2-3 window size; then packets: u16 length, flags (bit0 RTCP, bits1-3 arrival delay 0/0/1/5/20/80/300/5000 ms, bit4 timer fires), datagram',
  maxInputBytes: 64 * 1024,
  controlBytes: 1,
  dictionary: [
    Uint8Array.of(0x80, 0x60),
    Uint8Array.of(0x80, 0xe0),
    Uint8Array.of(0xa0),
    Uint8Array.of(0x90),
    Uint8Array.of(0x8f),
    Uint8Array.of(0x5d, 0x2a, 0x8c, 0x41),
    Uint8Array.of(0x80, 0xc8, 0x00, 0x06),
    Uint8Array.of(0x81, 0xcb, 0x00, 0x01),
    Uint8Array.of(0xff, 0xff),
  ],
  execute(input) {
    const control = input[0] ?? 0;
    const options: RtpTrackReceiverOptions = {
      clockRate: 90000,
      payloadType: FUZZ_PAYLOAD_TYPE,
      reorder: (control & UDP) !== 0,
      localSsrc: LOCAL_SSRC,
      ...WINDOWS[(control >> WINDOW_SHIFT) & 3]!,
      ...((control & EXPECTED_SSRC_FLAG) !== 0 ? { expectedSsrc: FUZZ_SSRC } : {}),
    };
    const receiver = new RtpTrackReceiver(options);
    const order = new ReleaseOrder(receiver);
    const features = [`control:${control & 0x0f}`];
    let nowMs = 1000;
    for (const { flags, payload } of decodePackets(input, 1)) {
      nowMs += DELAYS_MS[(flags >> DELAY_SHIFT) & 7]!;
      const receivedAt = FIRST_RECEIVED_AT + nowMs;
      const before = statsVector(receiver.stats);
      if ((flags & RTCP_PACKET) !== 0) {
        const kinds = receiver.pushRtcp(payload, receivedAt, nowMs).map((packet) => packet.kind);
        features.push(`rtcp:${kinds.slice(0, 4).join(',')}:${receiver.ended}`);
      } else {
        features.push(
          `rtp:${checkRtpPacket(payload)}:${receiver.pushRtp(payload, nowMs, receivedAt)}`,
        );
      }
      let released = order.drain(nowMs);
      if ((flags & TIMER_FIRES) !== 0) {
        const deadline = receiver.nextDeadline();
        if (deadline !== undefined) released += order.drain(Math.max(nowMs, deadline));
      }
      features.push(
        `stats:${statsGrowth(before, statsVector(receiver.stats))}:${bucket(released)}`,
      );
    }
    order.drain(nowMs + 1_000_000);
    invariant(
      receiver.nextDeadline() === undefined,
      () => 'packets still held after every deadline passed',
    );
    const report = parseRtcpCompound(receiver.receiverReport(nowMs));
    invariant(
      report.error === undefined && report.packets[0]?.kind === 'rr',
      () => `our receiver report does not parse: ${report.error?.message}`,
    );
    invariant(
      receiver.ntpTime(1) === undefined || Number.isFinite(receiver.ntpTime(1)),
      () => 'ntpTime is not finite',
    );
    return features;
  },
};

/** Checks what parseRtpPacket promises (a view inside the datagram, fields in range); returns its feature. */
function checkRtpPacket(data: Uint8Array): string {
  try {
    const rtp = parseRtpPacket(data);
    const offset = rtp.payload.byteOffset - data.byteOffset;
    invariant(
      rtp.payload.buffer === data.buffer &&
        offset >= 12 &&
        offset + rtp.payload.length <= data.length,
      () =>
        `payload view [${offset}, ${offset + rtp.payload.length}) outside the ${data.length}-byte packet`,
    );
    invariant(
      rtp.payloadType <= 127 && rtp.sequenceNumber <= 0xffff && rtp.csrcCount <= 15,
      () => 'RTP header field out of range',
    );
    return `ok:${rtp.payloadType === FUZZ_PAYLOAD_TYPE}:${rtp.padding}:${rtp.extension}:${bucket(rtp.csrcCount)}`;
  } catch (error) {
    invariant(error instanceof RtspProtocolError, () => `parseRtpPacket threw ${String(error)}`);
    return expectedErrorFeature(error, 'parseRtpPacket');
  }
}

/**
 * Released packets are in sequence order with a loss count that fits the gap. Anything else (a step
 * back, more loss than the gap) starts a new run: its first packet carries `lost` >= 1
 * (reorder-buffer.ts), and each new run needs a sequence restart or SSRC change that no other run
 * used. Packets of the old run held in the window may come out after a restart, so a run may start
 * after the restart's first packet. Stats are read when packets are pulled, by then maybe after
 * several restarts, so it is their count that is checked, not which packet began each.
 */
class ReleaseOrder {
  #previous: number | undefined;
  /** Runs started after the first one. */
  #newRuns = 0;

  constructor(private readonly receiver: RtpTrackReceiver) {}

  drain(nowMs: number): number {
    let count = 0;
    for (
      let received = this.receiver.pull(nowMs);
      received !== undefined;
      received = this.receiver.pull(nowMs)
    ) {
      count++;
      const { sequenceNumber, lost, timestamp } = received.media;
      invariant(Number.isSafeInteger(lost) && lost >= 0, () => `lost ${lost}`);
      invariant(Number.isFinite(timestamp), () => `unwrapped timestamp ${timestamp}`);
      const previous = this.#previous;
      const gap = previous === undefined ? Infinity : seqDiff(sequenceNumber, previous);
      if (gap < 1 || lost > gap - 1) {
        const { sequenceRestarts, ssrcChanges } = this.receiver.stats;
        invariant(
          lost >= 1 && sequenceRestarts + ssrcChanges > this.#newRuns,
          () =>
            `seq ${sequenceNumber} (lost ${lost}) released after ${previous} with no restart or SSRC change left to start a run`,
        );
        this.#newRuns++;
      }
      this.#previous = sequenceNumber;
    }
    return count;
  }
}

function statsVector(stats: Readonly<RtpReceiverStats>): number[] {
  const { jitterMs, ...counters } = stats;
  invariant(Number.isFinite(jitterMs) && jitterMs >= 0, () => `jitter ${jitterMs}`);
  return Object.values(counters);
}

/** Counters only grow; the mask of those that did. */
function statsGrowth(before: readonly number[], after: readonly number[]): number {
  let mask = 0;
  for (let i = 0; i < after.length; i++) {
    invariant(
      Number.isSafeInteger(after[i]) && after[i]! >= before[i]!,
      () => `receiver stats[${i}] went from ${before[i]} to ${after[i]}`,
    );
    if (after[i]! > before[i]!) mask |= 1 << i;
  }
  return mask;
}
