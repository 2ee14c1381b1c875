/**
 * RTCP compound packets (RFC 3550 §6): sender and receiver reports, SDES CNAME and
 * BYE are read; any other packet type is passed through by type. Parsing never
 * throws: a truncated or garbled tail yields the packets before it and the error.
 */
import { RtspProtocolError } from '../errors.js';
import { readU16, readU32 } from './bytes.js';
import { ntpToEpochMs } from './ntp.js';
import { formatSsrc } from './packet.js';

export {
  concatRtcp,
  serializeBye,
  serializeReceiverReport,
  serializeSdes,
  serializeSenderReport,
} from './rtcp-serialize.js';
export type { ReceiverReportInit, SenderReportInit } from './rtcp-serialize.js';

export const RtcpPacketType = { SR: 200, RR: 201, SDES: 202, BYE: 203 } as const;

/** One reception report block (§6.4.1). */
export interface ReportBlock {
  ssrc: number;
  /** Fraction lost since the previous report, in 1/256 (0..255). */
  fractionLost: number;
  /** Cumulative packets lost; signed 24-bit (duplicates can make it negative). */
  cumulativeLost: number;
  /** Extended highest sequence number received (cycles << 16 | seq). */
  highestSeq: number;
  /** Interarrival jitter in timestamp units. */
  jitter: number;
  /** Middle 32 bits of the last SR's NTP timestamp, 0 if none. */
  lsr: number;
  /** Delay since that SR, in 1/65536 s. */
  dlsr: number;
}

export interface SenderReport {
  kind: 'sr';
  packetType: 200;
  ssrc: number;
  ntpMsw: number;
  ntpLsw: number;
  /** The NTP timestamp as epoch ms. */
  ntpTime: number;
  rtpTimestamp: number;
  packetCount: number;
  octetCount: number;
  reports: ReportBlock[];
}

export interface ReceiverReport {
  kind: 'rr';
  packetType: 201;
  ssrc: number;
  reports: ReportBlock[];
}

export interface SourceDescription {
  kind: 'sdes';
  packetType: 202;
  chunks: { ssrc: number; cname?: string }[];
}

export interface Goodbye {
  kind: 'bye';
  packetType: 203;
  ssrcs: number[];
  reason?: string;
}

export interface OtherRtcpPacket {
  kind: 'other';
  packetType: number;
}

export type RtcpPacket =
  SenderReport | ReceiverReport | SourceDescription | Goodbye | OtherRtcpPacket;

export interface RtcpParseResult {
  packets: RtcpPacket[];
  /** Parsing stopped early; `error` says why. */
  incomplete: boolean;
  /**
   * Why parsing stopped early, with the byte position in `data`. Built when
   * read: a flood of malformed packets costs no error objects.
   */
  readonly error?: RtspProtocolError;
}

const HEADER_BYTES = 4;
const REPORT_BLOCK_BYTES = 24;
const SDES_CNAME = 1;
const text = new TextDecoder();

/** Where parsing stopped and why; the parse functions return undefined (or -1) after `fail`. */
class Stop {
  why = '';
  position = 0;

  fail(why: string, position: number): undefined {
    this.why = why;
    this.position = position;
    return undefined;
  }

  /** Whether `bytes` from `at` fit before `end`; records why not. */
  need(data: Uint8Array, at: number, bytes: number, end: number, what: () => string): boolean {
    if (at + bytes <= end) return true;
    this.fail(
      `${what()} needs ${bytes} bytes, the packet has ${Math.max(0, end - at)}`,
      Math.min(at, data.length),
    );
    return false;
  }
}

/** Every packet of a compound RTCP datagram or interleaved frame, in order. */
export function parseRtcpCompound(data: Uint8Array): RtcpParseResult {
  const packets: RtcpPacket[] = [];
  const stop = new Stop();
  if (data.length === 0) {
    stop.fail('empty RTCP packet', 0);
    return incomplete(packets, stop);
  }
  for (let offset = 0; offset < data.length;) {
    const end = packetEnd(data, offset, stop);
    const packet = end < 0 ? undefined : parsePacket(data, offset, end, stop);
    if (packet === undefined) return incomplete(packets, stop);
    packets.push(packet);
    offset = end;
  }
  return { packets, incomplete: false };
}

function incomplete(packets: RtcpPacket[], stop: Stop): RtcpParseResult {
  let error: RtspProtocolError | undefined;
  return {
    packets,
    incomplete: true,
    get error() {
      return (error ??= new RtspProtocolError(
        `malformed RTCP packet: ${stop.why} at byte ${stop.position}`,
        { position: stop.position, phase: 'streaming' },
      ));
    },
  };
}

/** End of the packet at `offset` (§6.4.1 length: 32-bit words minus one), checked against the data; -1 if it does not fit. */
function packetEnd(data: Uint8Array, offset: number, stop: Stop): number {
  if (offset + HEADER_BYTES > data.length) {
    stop.fail(`${data.length - offset} trailing bytes are too short for a header`, offset);
    return -1;
  }
  const version = data[offset]! >>> 6; // offset + 4 <= length
  if (version !== 2) {
    stop.fail(`version ${version}, expected 2`, offset);
    return -1;
  }
  const end = offset + 4 * (readU16(data, offset + 2) + 1);
  if (end > data.length) {
    stop.fail(
      `packet type ${data[offset + 1]!} claims ${end - offset} bytes, ${data.length - offset} left`,
      offset + 2,
    );
    return -1;
  }
  return end;
}

function parsePacket(
  data: Uint8Array,
  start: number,
  end: number,
  stop: Stop,
): RtcpPacket | undefined {
  const first = data[start]!; // packetEnd checked the header
  const count = first & 0x1f;
  const packetType = data[start + 1]!;
  let bodyEnd = end;
  if ((first & 0x20) !== 0) {
    // §6.4.1: padding, counted by the packet's last octet, itself included.
    const padBytes = data[end - 1]!;
    if (padBytes === 0 || start + HEADER_BYTES + padBytes > end) {
      return stop.fail(`padding count ${padBytes} does not fit packet type ${packetType}`, end - 1);
    }
    bodyEnd = end - padBytes;
  }
  const body = start + HEADER_BYTES;
  switch (packetType) {
    case RtcpPacketType.SR:
      return parseSenderReport(data, body, bodyEnd, count, stop);
    case RtcpPacketType.RR:
      return parseReceiverReport(data, body, bodyEnd, count, stop);
    case RtcpPacketType.SDES:
      return parseSdes(data, body, bodyEnd, count, stop);
    case RtcpPacketType.BYE:
      return parseBye(data, body, bodyEnd, count, stop);
    default:
      return { kind: 'other', packetType };
  }
}

function parseSenderReport(
  data: Uint8Array,
  body: number,
  end: number,
  count: number,
  stop: Stop,
): SenderReport | undefined {
  const bytes = 24 + count * REPORT_BLOCK_BYTES;
  if (!stop.need(data, body, bytes, end, () => `sender report with ${count} report blocks`))
    return undefined;
  const ntpMsw = readU32(data, body + 4);
  const ntpLsw = readU32(data, body + 8);
  return {
    kind: 'sr',
    packetType: 200,
    ssrc: readU32(data, body),
    ntpMsw,
    ntpLsw,
    ntpTime: ntpToEpochMs(ntpMsw, ntpLsw),
    rtpTimestamp: readU32(data, body + 12),
    packetCount: readU32(data, body + 16),
    octetCount: readU32(data, body + 20),
    reports: parseReportBlocks(data, body + 24, count),
  };
}

function parseReceiverReport(
  data: Uint8Array,
  body: number,
  end: number,
  count: number,
  stop: Stop,
): ReceiverReport | undefined {
  const bytes = 4 + count * REPORT_BLOCK_BYTES;
  if (!stop.need(data, body, bytes, end, () => `receiver report with ${count} report blocks`))
    return undefined;
  return {
    kind: 'rr',
    packetType: 201,
    ssrc: readU32(data, body),
    reports: parseReportBlocks(data, body + 4, count),
  };
}

function parseReportBlocks(data: Uint8Array, at: number, count: number): ReportBlock[] {
  const reports: ReportBlock[] = [];
  for (let i = 0, p = at; i < count; i++, p += REPORT_BLOCK_BYTES) {
    reports.push({
      ssrc: readU32(data, p),
      fractionLost: data[p + 4]!, // need() covered the blocks
      // 24-bit two's complement: shift the sign bit into bit 31, then back.
      cumulativeLost: ((readU32(data, p + 4) & 0xffffff) << 8) >> 8,
      highestSeq: readU32(data, p + 8),
      jitter: readU32(data, p + 12),
      lsr: readU32(data, p + 16),
      dlsr: readU32(data, p + 20),
    });
  }
  return reports;
}

/** §6.5: chunks of an SSRC then items (type, length, text) ended by a zero octet and padded to 32 bits. */
function parseSdes(
  data: Uint8Array,
  body: number,
  end: number,
  count: number,
  stop: Stop,
): SourceDescription | undefined {
  const chunks: SourceDescription['chunks'] = [];
  let p = body;
  for (let i = 0; i < count; i++) {
    if (!stop.need(data, p, 4, end, () => `SDES chunk ${i}`)) return undefined;
    const chunk: SourceDescription['chunks'][number] = { ssrc: readU32(data, p) };
    p += 4;
    for (;;) {
      // Tolerated: a last chunk that runs to the end of the packet without its end item.
      if (p >= end) break;
      const itemType = data[p]!;
      if (itemType === 0) {
        p = body + Math.ceil((p + 1 - body) / 4) * 4;
        break;
      }
      const item = (): string => `SDES item ${itemType} of SSRC ${formatSsrc(chunk.ssrc)}`;
      if (!stop.need(data, p, 2, end, item)) return undefined;
      const itemEnd = p + 2 + data[p + 1]!;
      if (!stop.need(data, p, itemEnd - p, end, item)) return undefined;
      if (itemType === SDES_CNAME) chunk.cname = text.decode(data.subarray(p + 2, itemEnd));
      p = itemEnd;
    }
    chunks.push(chunk);
  }
  return { kind: 'sdes', packetType: 202, chunks };
}

/** §6.6: the SSRCs leaving, then an optional length-prefixed reason. */
function parseBye(
  data: Uint8Array,
  body: number,
  end: number,
  count: number,
  stop: Stop,
): Goodbye | undefined {
  if (!stop.need(data, body, 4 * count, end, () => `BYE with ${count} SSRCs`)) return undefined;
  const ssrcs: number[] = [];
  for (let i = 0; i < count; i++) ssrcs.push(readU32(data, body + 4 * i));
  const reasonAt = body + 4 * count;
  if (reasonAt >= end) return { kind: 'bye', packetType: 203, ssrcs };
  const reasonLength = data[reasonAt]!; // reasonAt < end <= length
  if (!stop.need(data, reasonAt, 1 + reasonLength, end, () => 'BYE reason')) return undefined;
  const reason = text.decode(data.subarray(reasonAt + 1, reasonAt + 1 + reasonLength));
  return { kind: 'bye', packetType: 203, ssrcs, reason };
}
