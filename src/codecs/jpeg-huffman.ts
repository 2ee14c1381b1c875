/**
 * Lossless Huffman re-coding of a baseline JPEG scan onto the typical tables of
 * ITU-T T.81 Annex K.3. RFC 2435 frames carry no DHT, so the receiver assumes
 * those tables (RFC 2435 Appendix B); encoders such as FFmpeg's mjpeg default
 * to optimised tables, whose scans are decoded here (T.81 §F.2.2) and written
 * again symbol for symbol with the same extra bits.
 */
import { RtspProtocolError } from '../errors.js';
import type { JpegImage } from './jpeg.js';
import {
  STANDARD_CHROMA_AC,
  STANDARD_CHROMA_DC,
  STANDARD_LUMA_AC,
  STANDARD_LUMA_DC,
  type HuffmanSpec,
} from './jpeg-tables.js';

/** Canonical code assignment (T.81 Annex C): `codes[symbol]`, `lengths[symbol]` (0 = absent). */
interface HuffmanEncoder {
  codes: Uint16Array;
  lengths: Uint8Array;
}

/** T.81 §F.2.2.3 decoding procedure tables, by code length 1..16. */
interface HuffmanDecoder {
  maxCode: Int32Array;
  valueOffset: Int32Array;
  values: Uint8Array;
}

function sameSpec(a: HuffmanSpec, b: HuffmanSpec): boolean {
  return (
    a.bits.every((n, i) => n === b.bits[i]) &&
    a.values.length === b.values.length &&
    a.values.every((v, i) => v === b.values[i])
  );
}

function forEachCode(
  spec: HuffmanSpec,
  visit: (length: number, code: number, index: number) => void,
): void {
  let code = 0;
  let index = 0;
  for (let length = 1; length <= 16; length++) {
    for (let n = spec.bits[length - 1]!; n > 0; n--) visit(length, code++, index++);
    code <<= 1;
  }
}

function encoderFor(spec: HuffmanSpec): HuffmanEncoder {
  const encoder = { codes: new Uint16Array(256), lengths: new Uint8Array(256) };
  forEachCode(spec, (length, code, index) => {
    const symbol = spec.values[index]!;
    encoder.codes[symbol] = code;
    encoder.lengths[symbol] = length;
  });
  return encoder;
}

function decoderFor(spec: HuffmanSpec): HuffmanDecoder {
  const maxCode = new Int32Array(17).fill(-1);
  const valueOffset = new Int32Array(17);
  forEachCode(spec, (length, code, index) => {
    if (maxCode[length] === -1) valueOffset[length] = index - code;
    maxCode[length] = code;
  });
  return { maxCode, valueOffset, values: spec.values };
}

const STANDARD = {
  luma: { dc: STANDARD_LUMA_DC, ac: STANDARD_LUMA_AC },
  chroma: { dc: STANDARD_CHROMA_DC, ac: STANDARD_CHROMA_AC },
};
const STANDARD_ENCODERS = {
  luma: { dc: encoderFor(STANDARD_LUMA_DC), ac: encoderFor(STANDARD_LUMA_AC) },
  chroma: { dc: encoderFor(STANDARD_CHROMA_DC), ac: encoderFor(STANDARD_CHROMA_AC) },
};

function tablesOf(image: JpegImage, component: number): { dc: HuffmanSpec; ac: HuffmanSpec } {
  const { dcTable, acTable } = image.components[component as 0 | 1 | 2];
  const dc = image.huffman[0][dcTable];
  const ac = image.huffman[1][acTable];
  if (dc === undefined || ac === undefined) {
    throw new RtspProtocolError(`JPEG: component ${component} uses an undefined Huffman table`, {});
  }
  return { dc, ac };
}

/** True when the scan is already coded with the tables an RFC 2435 receiver assumes. */
export function usesStandardHuffmanTables(image: JpegImage): boolean {
  return [0, 1, 2].every((component) => {
    const tables = tablesOf(image, component);
    const standard = component === 0 ? STANDARD.luma : STANDARD.chroma;
    return sameSpec(tables.dc, standard.dc) && sameSpec(tables.ac, standard.ac);
  });
}

/** Reads entropy-coded bits, removing the 0x00 after each 0xFF (T.81 §F.1.2.3). */
class ScanReader {
  position = 0;
  private bitBuffer = 0;
  private bitCount = 0;
  constructor(private readonly data: Uint8Array) {}

  bit(): number {
    if (this.bitCount === 0) {
      const byte = this.data[this.position];
      if (byte === undefined) throw this.error('scan data ends inside an MCU');
      if (byte === 0xff) {
        if (this.data[this.position + 1] !== 0) throw this.error('marker inside an MCU');
        this.position++;
      }
      this.position++;
      this.bitBuffer = byte;
      this.bitCount = 8;
    }
    this.bitCount--;
    return (this.bitBuffer >> this.bitCount) & 1;
  }

  bits(count: number): number {
    let value = 0;
    for (let i = 0; i < count; i++) value = (value << 1) | this.bit();
    return value;
  }

  decode(decoder: HuffmanDecoder): number {
    let code = 0;
    for (let length = 1; length <= 16; length++) {
      code = (code << 1) | this.bit();
      if (code <= decoder.maxCode[length]!)
        return decoder.values[decoder.valueOffset[length]! + code]!;
    }
    throw this.error('invalid Huffman code');
  }

  /** Drops the padding bits and expects RSTn next (T.81 §F.1.2.3). */
  restart(): void {
    this.bitCount = 0;
    const marker = this.data[this.position + 1];
    if (
      this.data[this.position] !== 0xff ||
      marker === undefined ||
      marker < 0xd0 ||
      marker > 0xd7
    ) {
      throw this.error('restart marker expected');
    }
    this.position += 2;
  }

  error(message: string): RtspProtocolError {
    return new RtspProtocolError(`JPEG scan: ${message} at scan byte ${this.position}`, {
      position: this.position,
    });
  }
}

/** Writes entropy-coded bits with 0xFF stuffing; `align` pads with 1-bits (T.81 §F.1.2.3). */
class ScanWriter {
  private out: Uint8Array;
  private length = 0;
  private bitBuffer = 0;
  private bitCount = 0;
  constructor(capacity: number) {
    this.out = new Uint8Array(Math.max(capacity, 64));
  }

  write(value: number, count: number): void {
    for (let i = count - 1; i >= 0; i--) {
      this.bitBuffer = (this.bitBuffer << 1) | ((value >> i) & 1);
      if (++this.bitCount === 8) this.flushByte();
    }
  }

  align(): void {
    while (this.bitCount !== 0) this.write(1, 1);
  }

  marker(code: number): void {
    this.byte(0xff);
    this.byte(code);
  }

  finish(): Uint8Array {
    this.align();
    return this.out.subarray(0, this.length);
  }

  private flushByte(): void {
    this.byte(this.bitBuffer);
    if (this.bitBuffer === 0xff) this.byte(0);
    this.bitBuffer = 0;
    this.bitCount = 0;
  }

  private byte(value: number): void {
    if (this.length === this.out.length) {
      const grown = new Uint8Array(this.out.length * 2);
      grown.set(this.out);
      this.out = grown;
    }
    this.out[this.length++] = value;
  }
}

interface ComponentCoders {
  blocks: number;
  dcIn: HuffmanDecoder;
  acIn: HuffmanDecoder;
  dcOut: HuffmanEncoder;
  acOut: HuffmanEncoder;
}

function emit(
  writer: ScanWriter,
  encoder: HuffmanEncoder,
  symbol: number,
  reader: ScanReader,
): void {
  const length = encoder.lengths[symbol]!;
  if (length === 0)
    throw reader.error(`symbol 0x${symbol.toString(16)} is not in the standard table`);
  writer.write(encoder.codes[symbol]!, length);
}

/** One 8×8 block: the DC difference, then AC run/size symbols up to EOB (T.81 §F.1.2). */
function recodeBlock(reader: ScanReader, writer: ScanWriter, coders: ComponentCoders): void {
  const dcSize = reader.decode(coders.dcIn);
  emit(writer, coders.dcOut, dcSize, reader);
  writer.write(reader.bits(dcSize), dcSize);
  for (let k = 1; k < 64;) {
    const runSize = reader.decode(coders.acIn);
    emit(writer, coders.acOut, runSize, reader);
    const size = runSize & 15;
    if (size === 0) {
      if (runSize !== 0xf0) return; // EOB
      k += 16; // ZRL
      continue;
    }
    writer.write(reader.bits(size), size);
    k += (runSize >> 4) + 1;
  }
}

/**
 * The scan re-coded with the T.81 Annex K tables (the same data when it already
 * uses them). Throws RtspProtocolError (scan byte position) on a corrupt scan.
 */
export function recodeWithStandardTables(image: JpegImage): Uint8Array {
  if (usesStandardHuffmanTables(image)) return image.scanData;
  const coders: ComponentCoders[] = image.components.map((component, i) => {
    const tables = tablesOf(image, i);
    const standard = i === 0 ? STANDARD_ENCODERS.luma : STANDARD_ENCODERS.chroma;
    return {
      blocks: component.horizontalSampling * component.verticalSampling,
      dcIn: decoderFor(tables.dc),
      acIn: decoderFor(tables.ac),
      dcOut: standard.dc,
      acOut: standard.ac,
    };
  });
  const luma = image.components[0];
  const mcus =
    Math.ceil(image.width / (8 * luma.horizontalSampling)) *
    Math.ceil(image.height / (8 * luma.verticalSampling));
  const reader = new ScanReader(image.scanData);
  const writer = new ScanWriter(image.scanData.length + (image.scanData.length >> 3));
  for (let mcu = 0; mcu < mcus; mcu++) {
    if (image.restartInterval > 0 && mcu > 0 && mcu % image.restartInterval === 0) {
      reader.restart();
      writer.align();
      writer.marker(0xd0 + ((mcu / image.restartInterval - 1) & 7));
    }
    for (const component of coders) {
      for (let block = 0; block < component.blocks; block++) recodeBlock(reader, writer, component);
    }
  }
  return writer.finish();
}
