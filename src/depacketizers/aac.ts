/**
 * RFC 3640 (mpeg4-generic) AAC depacketizer: AU-header section (§3.2.1),
 * several access units per packet (§3.2.3.1) and one access unit fragmented
 * over packets (§3.2.3.2), in AAC-hbr, AAC-lbr or any explicit fmtp layout.
 * Interleaving (non-zero AU-Index) is not supported; such packets are counted.
 */
import {
  MAX_ADTS_ACCESS_UNIT_BYTES,
  parseAudioSpecificConfig,
  type AudioSpecificConfig,
} from '../codecs/aac-config.js';
import type { Track } from '../sdp/track.js';
import {
  aacStream,
  addAccessUnit,
  readFmtpConfig,
  requireSetup,
  type AacStream,
} from './aac-stream.js';
import type {
  DepacketizedAudioFrame,
  Depacketizer,
  DepacketizerOptions,
  DepacketizerStats,
  MediaPacket,
} from './depacketizer.js';
import { FrameOutput } from './frame-output.js';

/** Largest AU kept: 8 KiB less an ADTS header, so every AU can be written as ADTS. */
export const MAX_AAC_ACCESS_UNIT_BYTES = MAX_ADTS_ACCESS_UNIT_BYTES;

/** Bit lengths of the AU-header fields (RFC 3640 §4.1 fmtp parameters). */
interface AuHeaderLayout {
  sizeLength: number;
  indexLength: number;
  indexDeltaLength: number;
  ctsDeltaLength: number;
  dtsDeltaLength: number;
  randomAccessIndication: boolean;
  streamStateIndication: number;
  auxiliaryDataSizeLength: number;
  /** Bytes of every AU when sizeLength is 0. */
  constantSize: number;
}

/** §3.3.5 and §3.3.6: what AAC-lbr/AAC-hbr mean, for cameras that send only `mode=`. */
const MODE_DEFAULTS: Record<string, Partial<AuHeaderLayout>> = {
  'aac-hbr': { sizeLength: 13, indexLength: 3, indexDeltaLength: 3 },
  'aac-lbr': { sizeLength: 6, indexLength: 2, indexDeltaLength: 2 },
};

interface AacSetup {
  layout: AuHeaderLayout;
  stream: AacStream;
}

/** Field lengths above 31 bits are not meaningful and would break 32-bit arithmetic. */
function fmtpInteger(track: Track, key: string, max: number): number | string | undefined {
  const text = track.fmtp[key];
  if (text === undefined) return undefined;
  const value = /^\s*\d+\s*$/.test(text) ? Number(text) : Number.NaN;
  return Number.isSafeInteger(value) && value <= max
    ? value
    : `fmtp ${key}=${text} is not an integer in 0..${max}`;
}

function readSetup(track: Track): AacSetup | string {
  const config = readFmtpConfig(track, 'mpeg4-generic', parseAudioSpecificConfig);
  if (typeof config === 'string') return config;
  const defaults = MODE_DEFAULTS[(track.fmtp['mode'] ?? '').toLowerCase()] ?? {};
  const fields: [keyof AuHeaderLayout, string, number][] = [
    ['sizeLength', 'sizelength', 31],
    ['indexLength', 'indexlength', 31],
    ['indexDeltaLength', 'indexdeltalength', 31],
    ['ctsDeltaLength', 'ctsdeltalength', 31],
    ['dtsDeltaLength', 'dtsdeltalength', 31],
    ['streamStateIndication', 'streamstateindication', 31],
    ['auxiliaryDataSizeLength', 'auxiliarydatasizelength', 31],
    ['constantSize', 'constantsize', MAX_AAC_ACCESS_UNIT_BYTES],
  ];
  const explicit =
    track.fmtp['sizelength'] !== undefined || track.fmtp['constantsize'] !== undefined;
  const layout: AuHeaderLayout = {
    sizeLength: 0,
    indexLength: 0,
    indexDeltaLength: 0,
    ctsDeltaLength: 0,
    dtsDeltaLength: 0,
    randomAccessIndication: false,
    streamStateIndication: 0,
    auxiliaryDataSizeLength: 0,
    constantSize: 0,
    ...(explicit ? {} : defaults),
  };
  for (const [field, key, max] of fields) {
    const value = fmtpInteger(track, key, max);
    if (typeof value === 'string') return value;
    if (value !== undefined) (layout[field] as number) = value;
  }
  const rap = fmtpInteger(track, 'randomaccessindication', 1);
  if (typeof rap === 'string') return rap;
  layout.randomAccessIndication = rap === 1;
  if (layout.sizeLength === 0 && layout.constantSize === 0)
    return 'fmtp has neither sizelength nor constantsize';
  const constantDuration = fmtpInteger(track, 'constantduration', 0xffff);
  if (typeof constantDuration === 'string') return constantDuration;
  const stream = aacStream(track, config, constantDuration);
  return typeof stream === 'string' ? stream : { layout, stream };
}

/** Reads `count` bits MSB-first from `bytes` at `bitOffset` (caller checks bounds). */
function bitsAt(bytes: Uint8Array, bitOffset: number, count: number): number {
  let value = 0;
  for (let i = 0; i < count; i++) {
    const bit = bitOffset + i;
    value = value * 2 + ((bytes[bit >> 3]! >> (7 - (bit & 7))) & 1);
  }
  return value;
}

/** An AU being reassembled from fragments (§3.2.3.2). */
interface PartialAccessUnit {
  data: Uint8Array;
  filled: number;
  timestamp: number;
  /** Started right after a loss: it may be the middle of an AU whose start was lost. */
  afterLoss: boolean;
}

export class AacDepacketizer implements Depacketizer<DepacketizedAudioFrame> {
  readonly media = 'audio';
  readonly codec = 'aac';
  private readonly output = new FrameOutput<DepacketizedAudioFrame>();
  readonly stats: DepacketizerStats = this.output.stats;

  /** The stream's AudioSpecificConfig (from fmtp `config`), e.g. for an ADTS or MP4 writer. */
  readonly audioConfig: AudioSpecificConfig;
  private readonly layout: AuHeaderLayout;
  private readonly hasAuHeaders: boolean;
  private readonly stream: AacStream;
  /** AU sizes of the packet being parsed; reused to avoid an allocation per packet. */
  private readonly sizes: number[] = [];
  private partial: PartialAccessUnit | undefined;
  /** Fragments of an AU already dropped (too large, broken) are skipped up to the marker. */
  private skippingToMarker = false;

  /** Why the track cannot be depacketized (for the registry at SETUP), or undefined. */
  static validate(track: Track): string | undefined {
    const setup = readSetup(track);
    return typeof setup === 'string' ? setup : undefined;
  }

  /** Throws ERR_RTSP_UNSUPPORTED when `validate(track)` gives a reason. */
  constructor(track: Track, _options?: DepacketizerOptions) {
    const { layout, stream } = requireSetup(track, 'mpeg4-generic', readSetup(track));
    this.layout = layout;
    // §3.2.1: with every AU-header field of length 0 there is no AU-header section at all.
    this.hasAuHeaders =
      layout.sizeLength + layout.indexLength + layout.indexDeltaLength + layout.ctsDeltaLength >
        0 ||
      layout.dtsDeltaLength + layout.streamStateIndication > 0 ||
      layout.randomAccessIndication;
    this.stream = stream;
    this.audioConfig = stream.config;
  }

  push(packet: MediaPacket): void {
    if (packet.lost > 0) {
      this.output.discontinuity = true;
      if (this.partial !== undefined) this.dropPartial();
      this.skippingToMarker = false;
    }
    const dataOffset = this.readAuHeaders(packet.payload);
    if (dataOffset < 0) {
      this.stats.packetsInvalid++;
      this.abandonAccessUnit(packet.marker);
      return;
    }
    if (this.partial !== undefined) {
      this.continueFragment(packet, dataOffset);
    } else if (this.skippingToMarker) {
      if (packet.marker) this.skippingToMarker = false;
    } else {
      this.emitAccessUnits(packet, dataOffset);
    }
  }

  get bufferedBytes(): number {
    return this.partial?.data.length ?? 0;
  }

  pull(): DepacketizedAudioFrame | undefined {
    return this.output.pull();
  }

  reset(): void {
    this.partial = undefined;
    this.skippingToMarker = false;
    this.output.reset();
  }

  /**
   * Fills `this.sizes` from the AU-header section and returns the byte offset
   * of the first AU, or -1 when the headers are malformed or describe more
   * data than the packet holds without being a single fragment.
   */
  private readAuHeaders(payload: Uint8Array): number {
    const layout = this.layout;
    const sizes = this.sizes;
    sizes.length = 0;
    let offset = 0;
    const hasHeaders = this.hasAuHeaders;
    if (hasHeaders) {
      if (payload.length < 2) return -1;
      const headerBits = (payload[0]! << 8) | payload[1]!;
      offset = 2 + ((headerBits + 7) >> 3);
      if (offset > payload.length) return -1;
      let bit = 16;
      const end = 16 + headerBits;
      while (bit < end) {
        const start = bit;
        if (bit + layout.sizeLength > end) return -1;
        const size =
          layout.sizeLength > 0 ? bitsAt(payload, bit, layout.sizeLength) : layout.constantSize;
        bit += layout.sizeLength;
        const indexLength = sizes.length === 0 ? layout.indexLength : layout.indexDeltaLength;
        if (bit + indexLength > end) return -1;
        if (bitsAt(payload, bit, indexLength) !== 0) return -1; // interleaving
        bit += indexLength;
        bit = this.skipTimingFields(payload, bit, end);
        if (bit < 0 || bit > end || start === bit) return -1;
        sizes.push(size);
      }
    }
    if (layout.auxiliaryDataSizeLength > 0) {
      // §3.2.2: auxiliary data is skipped (its size is in bits, then padded to a byte).
      if ((offset << 3) + layout.auxiliaryDataSizeLength > payload.length << 3) return -1;
      const auxBits = bitsAt(payload, offset << 3, layout.auxiliaryDataSizeLength);
      offset += (layout.auxiliaryDataSizeLength + auxBits + 7) >> 3;
      if (offset > payload.length) return -1;
    }
    if (!hasHeaders) {
      // §3.2.1: no AU headers; the data section is AUs of `constantsize` bytes.
      for (let at = offset; at < payload.length; at += layout.constantSize)
        sizes.push(layout.constantSize);
    }
    if (sizes.length === 0) return -1;
    let total = 0;
    for (const size of sizes) total += size;
    const available = payload.length - offset;
    // Only a lone AU may be larger than the packet: it is then a fragment.
    return total <= available || sizes.length === 1 ? offset : -1;
  }

  /** Skips CTS/DTS deltas, the RAP flag and stream state (§3.2.1.1); AAC has CTS = DTS. */
  private skipTimingFields(payload: Uint8Array, bit: number, end: number): number {
    const layout = this.layout;
    if (layout.ctsDeltaLength > 0) {
      if (bit >= end) return -1;
      bit += 1 + (bitsAt(payload, bit, 1) === 1 ? layout.ctsDeltaLength : 0);
    }
    if (layout.dtsDeltaLength > 0) {
      if (bit >= end) return -1;
      bit += 1 + (bitsAt(payload, bit, 1) === 1 ? layout.dtsDeltaLength : 0);
    }
    if (layout.randomAccessIndication) bit += 1;
    return bit + layout.streamStateIndication;
  }

  private emitAccessUnits(packet: MediaPacket, dataOffset: number): void {
    const payload = packet.payload;
    const first = this.sizes[0]!;
    if (this.sizes.length === 1 && first > payload.length - dataOffset) {
      this.startFragment(packet, dataOffset, first);
      return;
    }
    let offset = dataOffset;
    for (let i = 0; i < this.sizes.length; i++) {
      const size = this.sizes[i]!;
      const timestamp = packet.timestamp + i * this.stream.ticksPerAccessUnit;
      if (size > MAX_AAC_ACCESS_UNIT_BYTES) {
        this.output.dropForCap();
      } else if (size > 0) {
        this.emit(payload.subarray(offset, offset + size), timestamp, packet.receivedAt);
      }
      offset += size;
    }
  }

  private startFragment(packet: MediaPacket, dataOffset: number, size: number): void {
    if (size > MAX_AAC_ACCESS_UNIT_BYTES) {
      this.output.dropForCap();
      this.skippingToMarker = !packet.marker;
      return;
    }
    if (packet.marker) {
      // The tail of an AU whose start was lost; without a loss, a malformed packet.
      if (!this.output.discontinuity) this.stats.packetsInvalid++;
      return;
    }
    const data = new Uint8Array(size);
    const piece = packet.payload.subarray(dataOffset);
    data.set(piece);
    this.partial = {
      data,
      filled: piece.length,
      timestamp: packet.timestamp,
      afterLoss: this.output.discontinuity,
    };
  }

  private continueFragment(packet: MediaPacket, dataOffset: number): void {
    const partial = this.partial!;
    const piece = packet.payload.subarray(dataOffset);
    const fits = partial.filled + piece.length <= partial.data.length;
    // §3.2.3.2: every fragment repeats the whole AU's size and carries its timestamp.
    if (
      this.sizes.length !== 1 ||
      this.sizes[0] !== partial.data.length ||
      packet.timestamp !== partial.timestamp ||
      !fits
    ) {
      this.stats.packetsInvalid++;
      this.dropPartial();
      this.skippingToMarker = !packet.marker;
      return;
    }
    partial.data.set(piece, partial.filled);
    partial.filled += piece.length;
    if (partial.filled === partial.data.length) {
      this.partial = undefined;
      this.emit(partial.data, partial.timestamp, packet.receivedAt);
    } else if (packet.marker) {
      if (!partial.afterLoss) this.stats.packetsInvalid++;
      this.dropPartial();
    }
  }

  /** A malformed packet in the middle of a fragmented AU ruins the AU. */
  private abandonAccessUnit(marker: boolean): void {
    if (this.partial !== undefined) {
      this.dropPartial();
      this.skippingToMarker = !marker;
    }
  }

  private dropPartial(): void {
    this.partial = undefined;
    this.output.dropForLoss();
  }

  private emit(data: Uint8Array, timestamp: number, receivedAt: number): void {
    addAccessUnit(this.output, this.stream, data, timestamp, receivedAt);
  }
}
