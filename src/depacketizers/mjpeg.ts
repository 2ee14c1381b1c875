/**
 * RTP/JPEG depacketizer (RFC 2435): reassembles the scan data of a frame from
 * fragments whose offsets must be contiguous (§3.1.2), and rebuilds a complete
 * JPEG file around it (§3.1, Appendix B): tables from the in-band Quantization
 * Table header (Q ≥ 128) or computed from Q (Appendix A), standard Huffman
 * tables, DRI for types 64–127, and EOI.
 */
import { jpegHeaderLength, writeJpegHeader, type Rfc2435Frame } from '../codecs/jpeg-header.js';
import { quantizationTablesForQuality } from '../codecs/jpeg-tables.js';
import type { Track } from '../sdp/track.js';
import type {
  DepacketizedVideoFrame,
  Depacketizer,
  DepacketizerOptions,
  DepacketizerStats,
  MediaPacket,
} from './depacketizer.js';
import { FrameOutput, resolveMaxFrameBytes } from './frame-output.js';

const MAIN_HEADER_BYTES = 8;
const RESTART_HEADER_BYTES = 4;
const QUANTIZATION_HEADER_BYTES = 4;
const EOI = Uint8Array.of(0xff, 0xd9);

/** A frame being reassembled: the JPEG headers first, then scan data as it arrives. */
interface PartialFrame {
  data: Uint8Array;
  length: number;
  headerLength: number;
  timestamp: number;
  width: number;
  height: number;
}

/** What the first fragment of a frame says about the whole frame. */
interface FrameStart {
  frame: Rfc2435Frame;
  dataOffset: number;
}

/** §4.1: types 0/1, and 64/65 with restart markers, are the defined layouts. */
function baseTypeOf(type: number): 0 | 1 | undefined {
  const base = type & ~64;
  return base === 0 || base === 1 ? base : undefined;
}

export class MjpegDepacketizer implements Depacketizer<DepacketizedVideoFrame> {
  readonly media = 'video';
  readonly codec = 'jpeg';
  private readonly output = new FrameOutput<DepacketizedVideoFrame>();
  readonly stats: DepacketizerStats = this.output.stats;

  private readonly maxFrameBytes: number;
  private partial: PartialFrame | undefined;
  /** §3.1.8: tables for Q 128–254 are static and may be sent only once; Q 1–99 are computed once. */
  private readonly tablesByQuality = new Map<number, { tables: Uint8Array; precision: number }>();
  /** Size of the last frame, to size the next buffer in one allocation. */
  private expectedFrameBytes = 64 * 1024;

  constructor(_track: Track, options?: DepacketizerOptions) {
    this.maxFrameBytes = resolveMaxFrameBytes(options);
  }

  push(packet: MediaPacket): void {
    if (packet.lost > 0) {
      this.output.discontinuity = true;
      if (this.partial !== undefined) this.dropPartial();
    }
    const payload = packet.payload;
    const headerBytes = this.headerBytes(payload);
    if (headerBytes < 0) {
      this.rejectPacket();
      return;
    }
    const fragmentOffset = (payload[1]! << 16) | (payload[2]! << 8) | payload[3]!;
    let dataOffset = headerBytes;
    if (fragmentOffset === 0) {
      if (this.partial !== undefined) this.dropPartial(); // its last packet never came
      const start = this.readFrameStart(payload, headerBytes);
      if (start === undefined) {
        this.rejectPacket();
        return;
      }
      if (!this.startFrame(start.frame, packet.timestamp)) return;
      dataOffset = start.dataOffset;
    } else if (this.partial === undefined) {
      return; // the middle of a frame whose start was lost or came before we joined
    } else if (
      fragmentOffset !== this.partial.length - this.partial.headerLength ||
      packet.timestamp !== this.partial.timestamp
    ) {
      this.dropPartial(); // §3.1.2: a gap in the offsets is a lost fragment
      return;
    }
    if (!this.append(payload.subarray(dataOffset))) return;
    if (packet.marker) this.finishFrame(packet.receivedAt);
  }

  get bufferedBytes(): number {
    return this.partial?.data.length ?? 0;
  }

  pull(): DepacketizedVideoFrame | undefined {
    return this.output.pull();
  }

  reset(): void {
    this.partial = undefined;
    this.output.reset();
  }

  /** Bytes of the main (§3.1) and restart marker (§3.1.7) headers, or -1 when unusable. */
  private headerBytes(payload: Uint8Array): number {
    const type = payload[4];
    if (type === undefined || payload.length < MAIN_HEADER_BYTES || baseTypeOf(type) === undefined)
      return -1;
    const bytes = type >= 64 ? MAIN_HEADER_BYTES + RESTART_HEADER_BYTES : MAIN_HEADER_BYTES;
    return payload.length < bytes ? -1 : bytes;
  }

  /** Frame parameters from a first fragment, with the quantization tables (§3.1.8) resolved. */
  private readFrameStart(payload: Uint8Array, headerBytes: number): FrameStart | undefined {
    const type = payload[4]!;
    const quality = payload[5]!;
    const width = payload[6]! * 8;
    const height = payload[7]! * 8;
    // Q 0 and 100–127 are reserved; a zero size means "over 2040", which the header cannot say.
    if (width === 0 || height === 0 || quality === 0 || (quality >= 100 && quality < 128))
      return undefined;
    const restartInterval =
      type >= 64 ? (payload[MAIN_HEADER_BYTES]! << 8) | payload[MAIN_HEADER_BYTES + 1]! : 0;
    let at = headerBytes;
    let tables = this.tablesByQuality.get(quality);
    if (quality >= 128) {
      if (payload.length < at + QUANTIZATION_HEADER_BYTES) return undefined;
      const precision = payload[at + 1]!;
      const length = (payload[at + 2]! << 8) | payload[at + 3]!;
      at += QUANTIZATION_HEADER_BYTES;
      if (length > 0) {
        // Two tables (luma, chroma) for types 0/1; bit i of precision makes table i 16-bit.
        const lumaBytes = precision & 1 ? 128 : 64;
        const expected = lumaBytes + (precision & 2 ? 128 : 64);
        // ffmpeg sends one table when its JPEG has one for both (rtpenc_jpeg.c): chroma uses it too.
        const shared = length === lumaBytes;
        if ((length !== expected && !shared) || payload.length < at + length) return undefined;
        const data = payload.subarray(at, at + length);
        tables = shared
          ? { tables: Uint8Array.from([...data, ...data]), precision: (precision & 1) * 3 }
          : { tables: data.slice(), precision };
        if (quality < 255) this.tablesByQuality.set(quality, tables);
        at += length;
      } else if (quality === 255) {
        return undefined; // Q 255 tables may change every frame, so they must be in-band
      }
    } else if (tables === undefined) {
      tables = { tables: quantizationTablesForQuality(quality), precision: 0 };
      this.tablesByQuality.set(quality, tables);
    }
    if (tables === undefined) return undefined;
    const frame: Rfc2435Frame = {
      type: baseTypeOf(type)!,
      width,
      height,
      quantizationTables: tables.tables,
      precision: tables.precision,
      restartInterval,
    };
    return { frame, dataOffset: at };
  }

  /** False (counted) when even the headers do not fit the frame cap. */
  private startFrame(frame: Rfc2435Frame, timestamp: number): boolean {
    const headerLength = jpegHeaderLength(frame);
    if (headerLength + EOI.length > this.maxFrameBytes) {
      this.output.dropForCap();
      return false;
    }
    const data = new Uint8Array(
      Math.min(Math.max(this.expectedFrameBytes, headerLength * 2), this.maxFrameBytes),
    );
    writeJpegHeader(frame, data);
    this.partial = {
      data,
      length: headerLength,
      headerLength,
      timestamp,
      width: frame.width,
      height: frame.height,
    };
    return true;
  }

  /** Appends scan data, growing the buffer by doubling; false when the frame went over the cap. */
  private append(piece: Uint8Array): boolean {
    const partial = this.partial!;
    const needed = partial.length + piece.length + EOI.length;
    if (needed > this.maxFrameBytes) {
      this.partial = undefined;
      this.output.dropForCap();
      return false;
    }
    if (needed > partial.data.length) {
      const grown = new Uint8Array(
        Math.min(Math.max(needed, partial.data.length * 2), this.maxFrameBytes),
      );
      grown.set(partial.data.subarray(0, partial.length));
      partial.data = grown;
    }
    partial.data.set(piece, partial.length);
    partial.length += piece.length;
    return true;
  }

  private finishFrame(receivedAt: number): void {
    const partial = this.partial!;
    this.partial = undefined;
    const { data } = partial;
    // Some senders keep the EOI at the end of the scan data; add it only when missing.
    if (
      partial.length < partial.headerLength + 2 ||
      data[partial.length - 2] !== 0xff ||
      data[partial.length - 1] !== 0xd9
    ) {
      data.set(EOI, partial.length);
      partial.length += EOI.length;
    }
    this.expectedFrameBytes = partial.length + (partial.length >> 3);
    this.output.add({
      kind: 'video',
      codec: 'jpeg',
      data: data.subarray(0, partial.length),
      timestamp: partial.timestamp,
      keyframe: true,
      width: partial.width,
      height: partial.height,
      discontinuity: this.output.takeDiscontinuity(),
      receivedAt,
    });
  }

  /** A malformed packet inside a frame ruins the frame. */
  private rejectPacket(): void {
    this.stats.packetsInvalid++;
    if (this.partial !== undefined) this.dropPartial();
  }

  private dropPartial(): void {
    this.partial = undefined;
    this.output.dropForLoss();
  }
}
