/**
 * RFC 6416 §6 MP4A-LATM depacketizer, for out-of-band configuration
 * (`cpresent=0`, StreamMuxConfig in fmtp `config`, ISO/IEC 14496-3 §1.7.3).
 * An AudioMuxElement may span packets up to the marker (§6.1); it holds
 * numSubFrames + 1 subframes, each a PayloadLengthInfo (0xFF runs) then one AU.
 * Only one program with one layer and frameLengthType 0 is supported, which is
 * what cameras and encoders send.
 */
import { BitReader } from '../codecs/bit-reader.js';
import { readAudioSpecificConfig, type AudioSpecificConfig } from '../codecs/aac-config.js';
import type { Track } from '../sdp/track.js';
import { MAX_AAC_ACCESS_UNIT_BYTES } from './aac.js';
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

/** An AudioMuxElement holds at most 64 subframes of at most one capped AU each. */
const MAX_MUX_ELEMENT_BYTES = 64 * (MAX_AAC_ACCESS_UNIT_BYTES + 33);

interface StreamMuxConfig {
  subframes: number;
  otherDataPresent: boolean;
  config: AudioSpecificConfig;
  /** The AudioSpecificConfig's bits, which start mid-byte here, realigned to bytes. */
  configBytes: Uint8Array;
}

/** LatmGetValue() (§1.7.3.1): 2 bits of byte count − 1, then that many bytes. */
function readLatmValue(reader: BitReader): number {
  const bytes = reader.readBits(2) + 1;
  return reader.readBits(8 * bytes);
}

/** StreamMuxConfig (§1.7.3.1), or why it is not supported. */
function readStreamMuxConfig(bytes: Uint8Array): StreamMuxConfig | string {
  const reader = new BitReader(bytes, 'StreamMuxConfig');
  const audioMuxVersion = reader.readBits(1);
  if (audioMuxVersion === 1 && reader.readBits(1) === 1) return 'audioMuxVersionA 1 is reserved';
  if (audioMuxVersion === 1) readLatmValue(reader); // taraBufferFullness
  reader.readBits(1); // allStreamsSameTimeFraming: irrelevant with one layer
  const subframes = reader.readBits(6) + 1;
  if (reader.readBits(4) !== 0) return 'more than one program';
  if (reader.readBits(3) !== 0) return 'more than one layer';
  let config: AudioSpecificConfig;
  let configStart = reader.position;
  if (audioMuxVersion === 0) {
    config = readAudioSpecificConfig(reader);
  } else {
    const configBits = readLatmValue(reader);
    configStart = reader.position;
    config = readAudioSpecificConfig(reader);
    reader.skipBits(configBits - (reader.position - configStart)); // fill bits
  }
  const configBytes = copyBits(bytes, configStart, reader.position);
  if (config.channelConfiguration === 0) return 'a program config element (channelConfiguration 0)';
  const frameLengthType = reader.readBits(3);
  if (frameLengthType !== 0) return `frameLengthType ${frameLengthType} (only 0, variable length)`;
  reader.readBits(8); // latmBufferFullness
  const otherDataPresent = reader.readBits(1) === 1;
  return { subframes, otherDataPresent, config, configBytes };
}

/** Bits [start, end) of `bytes` as bytes of their own, zero-padded at the end. */
function copyBits(bytes: Uint8Array, start: number, end: number): Uint8Array {
  const reader = new BitReader(bytes, 'StreamMuxConfig');
  reader.skipBits(start);
  const copy = new Uint8Array(Math.ceil((end - start) / 8));
  for (let i = 0; i < copy.length; i++) {
    const bits = Math.min(8, end - start - 8 * i);
    copy[i] = reader.readBits(bits) << (8 - bits);
  }
  return copy;
}

/**
 * The AudioSpecificConfig inside an MP4A-LATM track's fmtp `config`
 * (StreamMuxConfig, RFC 6416 §7.3) as bytes, what an MP4 `esds` or an ADTS
 * header is built from; or why this depacketizer could not read the track.
 */
export function latmAudioSpecificConfig(track: Pick<Track, 'fmtp'>): Uint8Array | string {
  const mux = readMuxConfig(track);
  return typeof mux === 'string' ? mux : mux.configBytes;
}

function readMuxConfig(track: Pick<Track, 'fmtp'>): StreamMuxConfig | string {
  const cpresent = track.fmtp['cpresent'];
  if (cpresent !== undefined && cpresent.trim() !== '0')
    return `in-band StreamMuxConfig (cpresent=${cpresent})`;
  return readFmtpConfig(track, 'MP4A-LATM', readStreamMuxConfig);
}

interface LatmSetup {
  mux: StreamMuxConfig;
  stream: AacStream;
}

function readSetup(track: Track): LatmSetup | string {
  const mux = readMuxConfig(track);
  if (typeof mux === 'string') return mux;
  const stream = aacStream(track, mux.config);
  return typeof stream === 'string' ? stream : { mux, stream };
}

export class LatmDepacketizer implements Depacketizer<DepacketizedAudioFrame> {
  readonly media = 'audio';
  readonly codec = 'aac';
  private readonly output = new FrameOutput<DepacketizedAudioFrame>();
  readonly stats: DepacketizerStats = this.output.stats;

  /**
   * The AudioSpecificConfig inside the StreamMuxConfig: what an ADTS or MP4
   * writer needs, since fmtp `config` is not an AudioSpecificConfig here.
   */
  readonly audioConfig: AudioSpecificConfig;
  private readonly mux: StreamMuxConfig;
  private readonly stream: AacStream;
  /** Subframe positions of the element being read; reused to avoid allocating per packet. */
  private readonly subframeStarts: number[] = [];
  private readonly subframeLengths: number[] = [];
  /** Fragments of an AudioMuxElement before its marker; empty when none is pending. */
  private pending = new Uint8Array(0);
  private pendingLength = 0;
  private pendingTimestamp = 0;
  private skippingToMarker = false;

  /** Why the track cannot be depacketized (for the registry at SETUP), or undefined. */
  static validate(track: Track): string | undefined {
    const setup = readSetup(track);
    return typeof setup === 'string' ? setup : undefined;
  }

  /** Throws ERR_RTSP_UNSUPPORTED when `validate(track)` gives a reason. */
  constructor(track: Track, _options?: DepacketizerOptions) {
    const { mux, stream } = requireSetup(track, 'MP4A-LATM', readSetup(track));
    this.mux = mux;
    this.stream = stream;
    this.audioConfig = mux.config;
  }

  push(packet: MediaPacket): void {
    if (packet.lost > 0) {
      this.output.discontinuity = true;
      if (this.pendingLength > 0) this.dropPending();
      this.skippingToMarker = false;
    }
    if (this.skippingToMarker) {
      this.skippingToMarker = !packet.marker;
      return;
    }
    if (this.pendingLength > 0 && packet.timestamp !== this.pendingTimestamp) {
      this.dropPending(); // the element's marker packet never came
    }
    if (this.pendingLength === 0 && packet.marker) {
      this.readElement(packet.payload, packet.timestamp, packet.receivedAt); // the usual case: no copy
      return;
    }
    if (!this.appendFragment(packet)) return;
    if (packet.marker) {
      // Frames view the buffer, so the next element gets a new one.
      const element = this.pending.subarray(0, this.pendingLength);
      this.pending = new Uint8Array(0);
      this.pendingLength = 0;
      this.readElement(element, this.pendingTimestamp, packet.receivedAt);
    }
  }

  /** The buffer reassembling an element split over packets. */
  get bufferedBytes(): number {
    return this.pending.length;
  }

  pull(): DepacketizedAudioFrame | undefined {
    return this.output.pull();
  }

  reset(): void {
    this.pendingLength = 0;
    this.skippingToMarker = false;
    this.output.reset();
  }

  private appendFragment(packet: MediaPacket): boolean {
    const needed = this.pendingLength + packet.payload.length;
    if (needed > MAX_MUX_ELEMENT_BYTES) {
      this.pendingLength = 0;
      this.output.dropForCap();
      this.skippingToMarker = !packet.marker;
      return false;
    }
    if (this.pendingLength === 0) this.pendingTimestamp = packet.timestamp;
    if (needed > this.pending.length) {
      const grown = new Uint8Array(
        Math.min(Math.max(needed, 2 * this.pending.length), MAX_MUX_ELEMENT_BYTES),
      );
      grown.set(this.pending.subarray(0, this.pendingLength));
      this.pending = grown;
    }
    this.pending.set(packet.payload, this.pendingLength);
    this.pendingLength = needed;
    return true;
  }

  /**
   * Splits an AudioMuxElement into its subframes (§1.7.3.2). The lengths must
   * account for every byte unless other data follows, which is how the tail of
   * an element whose start was lost is told apart from a whole one.
   */
  private readElement(element: Uint8Array, timestamp: number, receivedAt: number): void {
    const starts = this.subframeStarts;
    const lengths = this.subframeLengths;
    starts.length = 0;
    lengths.length = 0;
    let at = 0;
    for (let subframe = 0; subframe < this.mux.subframes; subframe++) {
      let length = 0;
      let byte: number | undefined;
      do {
        byte = element[at++];
        length += byte ?? 0;
      } while (byte === 255);
      if (byte === undefined || at + length > element.length) {
        this.rejectElement();
        return;
      }
      starts.push(at);
      lengths.push(length);
      at += length;
    }
    if (at !== element.length && !this.mux.otherDataPresent) {
      this.rejectElement();
      return;
    }
    for (let i = 0; i < starts.length; i++) {
      const start = starts[i]!;
      const length = lengths[i]!;
      if (length > MAX_AAC_ACCESS_UNIT_BYTES) {
        this.output.dropForCap();
      } else if (length > 0) {
        addAccessUnit(
          this.output,
          this.stream,
          element.subarray(start, start + length),
          timestamp + i * this.stream.ticksPerAccessUnit,
          receivedAt,
        );
      }
    }
  }

  /** Malformed, or (right after a loss) the tail of an element whose start was lost. */
  private rejectElement(): void {
    if (this.output.discontinuity) this.stats.framesDroppedLoss++;
    else this.stats.packetsInvalid++;
  }

  private dropPending(): void {
    this.pendingLength = 0;
    this.output.dropForLoss();
  }
}
