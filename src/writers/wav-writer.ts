/**
 * G.711 in WAV (RIFF WAVE, Microsoft WAVEFORMATEX): format tag 6 A-law or
 * 7 µ-law, 8 bits a sample, with the 'fact' chunk non-PCM formats carry.
 * The size fields are rewritten every `headerUpdateMs` of audio and at
 * close, so a killed process still leaves a valid file missing at most that
 * much. On a stream (no seeking) the sizes say "unknown" (0xFFFFFFFF), which
 * ffmpeg and sox read to the end.
 */
import type { AudioFrame } from '../events/types.js';
import { codecMismatchError, writerClosedError, type FrameWriter } from './frame-writer.js';
import { createSink, type ByteSink, type OpenSinkOptions, type SinkTarget } from './sink.js';

export interface WavWriterOptions extends OpenSinkOptions {
  codec: 'pcma' | 'pcmu';
  /** Default 8000 (RFC 3551 §4.5.14). */
  sampleRate?: number;
  channels?: number;
  /** How much audio may go unaccounted in the header if the process dies. Default 1000 ms. */
  headerUpdateMs?: number;
}

const FORMAT_TAG = { pcma: 6, pcmu: 7 } as const;
const HEADER_BYTES = 58;
/** Offsets of the fields patched as the file grows. */
const RIFF_SIZE_AT = 4;
const FACT_SAMPLES_AT = 46;
const DATA_SIZE_AT = 54;
const UNKNOWN_SIZE = 0xffffffff;
/** RIFF sizes are 32-bit: past this the header stops growing and says what fits. */
const MAX_DATA_BYTES = UNKNOWN_SIZE - HEADER_BYTES;

export class WavWriter implements FrameWriter<AudioFrame> {
  framesWritten = 0;
  readonly framesSkipped = 0;
  private readonly sink: ByteSink;
  private readonly codec: 'pcma' | 'pcmu';
  private readonly channels: number;
  private readonly updateEveryBytes: number;
  private readonly header: Uint8Array;
  private dataBytes = 0;
  private bytesAtLastUpdate = 0;
  private closed = false;

  constructor(target: SinkTarget, options: WavWriterOptions) {
    this.sink = createSink(target, options);
    this.codec = options.codec;
    const sampleRate = options.sampleRate ?? 8000;
    this.channels = options.channels ?? 1;
    this.updateEveryBytes = Math.max(
      1,
      Math.round(((options.headerUpdateMs ?? 1000) / 1000) * sampleRate * this.channels),
    );
    this.header = wavHeader(FORMAT_TAG[this.codec], sampleRate, this.channels);
  }

  async write(frame: AudioFrame): Promise<void> {
    if (this.closed) throw writerClosedError('WavWriter');
    if (frame.codec !== this.codec) throw codecMismatchError('WavWriter', this.codec, frame.codec);
    if (this.sink.position === 0) {
      if (!this.sink.seekable) setSizes(this.header, UNKNOWN_SIZE, this.channels);
      await this.sink.write(this.header);
    }
    await this.sink.write(frame.data);
    this.dataBytes += frame.data.length;
    this.framesWritten++;
    if (this.dataBytes - this.bytesAtLastUpdate >= this.updateEveryBytes) await this.updateSizes();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    try {
      if (this.sink.position === 0) await this.sink.write(this.header);
      else await this.updateSizes();
    } finally {
      await this.sink.close();
    }
  }

  private async updateSizes(): Promise<void> {
    this.bytesAtLastUpdate = this.dataBytes;
    if (!this.sink.seekable) return;
    setSizes(this.header, Math.min(this.dataBytes, MAX_DATA_BYTES), this.channels);
    await this.sink.overwrite(0, this.header);
  }
}

function wavHeader(formatTag: number, sampleRate: number, channels: number): Uint8Array {
  const header = new Uint8Array(HEADER_BYTES);
  const view = new DataView(header.buffer);
  const ascii = (at: number, text: string): void => header.set(Buffer.from(text, 'latin1'), at);
  ascii(0, 'RIFF');
  ascii(8, 'WAVE');
  ascii(12, 'fmt ');
  view.setUint32(16, 18, true); // WAVEFORMATEX with cbSize
  view.setUint16(20, formatTag, true);
  view.setUint16(22, channels, true);
  view.setUint32(24, sampleRate, true);
  view.setUint32(28, sampleRate * channels, true); // bytes per second
  view.setUint16(32, channels, true); // block align
  view.setUint16(34, 8, true); // bits per sample
  view.setUint16(36, 0, true); // cbSize
  ascii(38, 'fact');
  view.setUint32(42, 4, true);
  ascii(50, 'data');
  setSizes(header, 0, channels);
  return header;
}

function setSizes(header: Uint8Array, dataBytes: number, channels: number): void {
  const view = new DataView(header.buffer, header.byteOffset);
  const unknown = dataBytes === UNKNOWN_SIZE;
  view.setUint32(RIFF_SIZE_AT, unknown ? UNKNOWN_SIZE : HEADER_BYTES - 8 + dataBytes, true);
  view.setUint32(FACT_SAMPLES_AT, unknown ? UNKNOWN_SIZE : Math.floor(dataBytes / channels), true);
  view.setUint32(DATA_SIZE_AT, dataBytes, true);
}
