/**
 * Where a track's stream starts according to the PLAY answer's RTP-Info
 * (RFC 2326 §12.33): `seq` is the sequence number of the first packet of the
 * range played, `rtptime` its RTP timestamp. Packets just before `seq` were
 * sent before PLAY took effect (a server flushing its queue) and are dropped;
 * a gap just after it is loss at the start, so the depacketizer does not take
 * a fragment of an access unit for a whole one. Pure: no I/O, no timers.
 */
import type { QuirkName } from './quirks.js';

export interface RtpInfoAnchor {
  seq: number | undefined;
  rtptime: number | undefined;
  /** RTP-Info said seq=0 and quirks.ignoreZeroRtpInfoSeq left it out. */
  zeroSeqIgnored: boolean;
  /** Every track's entry has an rtptime: they name one instant, the pts origin. */
  sharedOrigin: boolean;
}

export type QuirkReport = (quirk: QuirkName, detail: string) => void;

/** Farther than this from the first packet, RTP-Info's seq is wrong, not early packets or loss. */
const MAX_SEQ_DISTANCE = 256;
/** Farther than this from the first packet's timestamp, RTP-Info's rtptime is wrong. */
const MAX_RTPTIME_DISTANCE_SEC = 10;

/** Signed distance from `from` to `to` on the 16-bit sequence circle (RFC 3550 A.1). */
function sequenceDistance(from: number, to: number): number {
  return ((to - from) << 16) >> 16;
}

export class RtpInfoStart {
  /** The first packet of the range was found (or there was no anchor to wait for). */
  started = false;
  /** Packets dropped because they came before RTP-Info's seq. */
  stalePackets = 0;
  /** Packets between RTP-Info's seq and the first one received: lost. */
  lostBefore = 0;
  /**
   * RTP-Info's rtptime when it was used: the RTP timestamp of the play range
   * start, the instant every track's rtptime names, so it is the pts origin.
   */
  rtptimeOrigin: number | undefined;
  #anchor: RtpInfoAnchor | undefined;

  /**
   * Anchors the start. Too late once packets were taken (media sent before
   * the PLAY answer, or UDP datagrams overtaking it): those are kept, as
   * FFmpeg and gortsplib keep them.
   */
  anchor(anchor: RtpInfoAnchor): void {
    if (!this.started) this.#anchor = anchor;
  }

  /** Judges a packet while not started: true starts with it, false drops it as stale. */
  begin(
    sequenceNumber: number,
    timestamp: number,
    clockRate: number,
    report: QuirkReport,
  ): boolean {
    const anchor = this.#anchor;
    if (
      anchor === undefined ||
      this.#insane(anchor, sequenceNumber, timestamp, clockRate, report)
    ) {
      this.started = true;
      return true;
    }
    const ahead = anchor.seq === undefined ? 0 : sequenceDistance(anchor.seq, sequenceNumber);
    if (ahead < 0) {
      this.stalePackets++;
      return false;
    }
    if (anchor.zeroSeqIgnored && sequenceNumber !== 0) {
      report(
        'ignoreZeroRtpInfoSeq',
        `RTP-Info seq=0 but the first packet has seq ${sequenceNumber}: seq not used`,
      );
    }
    this.lostBefore = ahead;
    if (anchor.sharedOrigin) this.rtptimeOrigin = anchor.rtptime;
    this.started = true;
    return true;
  }

  /** A seq or rtptime this far from the first packet says nothing about where the stream starts. */
  #insane(
    anchor: RtpInfoAnchor,
    sequenceNumber: number,
    timestamp: number,
    clockRate: number,
    report: QuirkReport,
  ): boolean {
    if (anchor.rtptime !== undefined) {
      const ticks = (timestamp - anchor.rtptime) | 0; // 32-bit wrap
      if (Math.abs(ticks) > MAX_RTPTIME_DISTANCE_SEC * clockRate) {
        report(
          'ignoreRtpInfo',
          `RTP-Info rtptime=${anchor.rtptime} is ${(ticks / clockRate).toFixed(1)} s from the first packet's timestamp ${timestamp}: RTP-Info not used`,
        );
        return true;
      }
    }
    if (anchor.seq === undefined) return false;
    const distance = sequenceDistance(anchor.seq, sequenceNumber);
    if (Math.abs(distance) <= MAX_SEQ_DISTANCE) return false;
    report(
      'ignoreRtpInfo',
      `RTP-Info seq=${anchor.seq} is ${distance} packets from the first packet's seq ${sequenceNumber}: RTP-Info not used`,
    );
    return true;
  }
}
