/**
 * Baseline JPEG (ITU-T T.81) marker parser: what RTP/JPEG (RFC 2435 §3.1)
 * needs from a JPEG file to send it — size, chroma subsampling type,
 * quantization tables, restart interval, Huffman tables and the scan data.
 * Used on files the server loads, not on wire data.
 */
import { ErrorCodes, RtspError, RtspProtocolError } from '../errors.js';
import type { HuffmanSpec } from './jpeg-tables.js';

export const JPEG_MARKER = {
  SOI: 0xd8,
  EOI: 0xd9,
  SOF0: 0xc0,
  SOF1: 0xc1,
  DHT: 0xc4,
  SOS: 0xda,
  DQT: 0xdb,
  DRI: 0xdd,
} as const;

export interface JpegComponent {
  id: number;
  horizontalSampling: number;
  verticalSampling: number;
  quantizationTable: number;
  /** DC and AC Huffman table ids from SOS. */
  dcTable: number;
  acTable: number;
}

export interface JpegImage {
  width: number;
  height: number;
  /** RFC 2435 §4.1 type: 0 = 4:2:2 (luma 2×1), 1 = 4:2:0 (luma 2×2). */
  type: 0 | 1;
  /** Luma then chroma quantization table, 64 bytes each, zigzag order (8-bit precision). */
  quantizationTables: Uint8Array;
  /** MCUs per restart interval; 0 without DRI. */
  restartInterval: number;
  /** Y, Cb, Cr in scan order. */
  components: readonly [JpegComponent, JpegComponent, JpegComponent];
  /** Huffman tables by class (0 = DC, 1 = AC) and id: `huffman[class][id]`. */
  huffman: readonly [(HuffmanSpec | undefined)[], (HuffmanSpec | undefined)[]];
  /** Entropy-coded data after the SOS header, up to (not including) EOI. */
  scanData: Uint8Array;
}

function malformed(message: string, position: number): RtspProtocolError {
  return new RtspProtocolError(`JPEG: ${message} at byte ${position}`, { position });
}

function unsupported(message: string): RtspError {
  return new RtspError(
    `JPEG cannot be sent as RTP/JPEG (RFC 2435): ${message}`,
    ErrorCodes.ERR_RTSP_UNSUPPORTED,
  );
}

interface FrameHeader {
  width: number;
  height: number;
  components: {
    id: number;
    horizontalSampling: number;
    verticalSampling: number;
    quantizationTable: number;
  }[];
}

function readFrameHeader(segment: Uint8Array, position: number): FrameHeader {
  if (segment.length < 6) throw malformed('short SOF', position);
  if (segment[0] !== 8) throw unsupported(`${segment[0]}-bit samples (RFC 2435 carries 8-bit)`);
  const height = (segment[1]! << 8) | segment[2]!;
  const width = (segment[3]! << 8) | segment[4]!;
  const count = segment[5]!;
  if (segment.length < 6 + 3 * count) throw malformed('short SOF component list', position);
  const components = [];
  for (let i = 0; i < count; i++) {
    const at = 6 + 3 * i;
    components.push({
      id: segment[at]!,
      horizontalSampling: segment[at + 1]! >> 4,
      verticalSampling: segment[at + 1]! & 15,
      quantizationTable: segment[at + 2]!,
    });
  }
  return { width, height, components };
}

function readQuantizationTables(
  segment: Uint8Array,
  position: number,
  tables: (Uint8Array | undefined)[],
): void {
  for (let at = 0; at < segment.length;) {
    const precision = segment[at]! >> 4;
    const id = segment[at]! & 15;
    if (precision !== 0) throw unsupported('16-bit quantization tables');
    if (id > 3 || at + 65 > segment.length) throw malformed('bad DQT table', position + at);
    tables[id] = segment.subarray(at + 1, at + 65);
    at += 65;
  }
}

function readHuffmanTables(
  segment: Uint8Array,
  position: number,
  huffman: JpegImage['huffman'],
): void {
  for (let at = 0; at < segment.length;) {
    const tableClass = segment[at]! >> 4;
    const id = segment[at]! & 15;
    if (tableClass > 1 || id > 3 || at + 17 > segment.length)
      throw malformed('bad DHT table', position + at);
    const bits = segment.subarray(at + 1, at + 17);
    let count = 0;
    for (const n of bits) count += n;
    if (at + 17 + count > segment.length)
      throw malformed('DHT symbols past the segment end', position + at);
    huffman[tableClass as 0 | 1][id] = { bits, values: segment.subarray(at + 17, at + 17 + count) };
    at += 17 + count;
  }
}

/** Offset of EOI after `from`; entropy data stuffs every 0xFF, so the first FF D9 is it. */
function findEndOfImage(bytes: Uint8Array, from: number): number {
  for (
    let at = bytes.indexOf(0xff, from);
    at >= 0 && at + 1 < bytes.length;
    at = bytes.indexOf(0xff, at + 1)
  ) {
    if (bytes[at + 1] === JPEG_MARKER.EOI) return at;
  }
  return bytes.length;
}

/**
 * Parses a baseline JPEG. Throws RtspProtocolError (with the byte position) when
 * malformed, RtspError ERR_RTSP_UNSUPPORTED when RFC 2435 cannot carry it
 * (progressive, 12-bit, not YCbCr 4:2:0/4:2:2, 16-bit tables).
 */
export function parseJpeg(bytes: Uint8Array): JpegImage {
  if (bytes[0] !== 0xff || bytes[1] !== JPEG_MARKER.SOI) throw malformed('no SOI', 0);
  const quantization: (Uint8Array | undefined)[] = [];
  const huffman: JpegImage['huffman'] = [[], []];
  let frame: FrameHeader | undefined;
  let restartInterval = 0;
  let at = 2;
  for (;;) {
    if (at + 4 > bytes.length) throw malformed('no SOS before the end', at);
    if (bytes[at] !== 0xff)
      throw malformed(`expected a marker, found 0x${bytes[at]!.toString(16)}`, at);
    const marker = bytes[at + 1]!;
    if (marker === 0xff) {
      at++; // fill byte (T.81 §B.1.1.2)
      continue;
    }
    const length = (bytes[at + 2]! << 8) | bytes[at + 3]!;
    if (length < 2 || at + 2 + length > bytes.length)
      throw malformed(`segment 0x${marker.toString(16)} overruns`, at);
    const segment = bytes.subarray(at + 4, at + 2 + length);
    const position = at + 4;
    switch (marker) {
      case JPEG_MARKER.SOF0:
      case JPEG_MARKER.SOF1:
        frame = readFrameHeader(segment, position);
        break;
      case JPEG_MARKER.DQT:
        readQuantizationTables(segment, position, quantization);
        break;
      case JPEG_MARKER.DHT:
        readHuffmanTables(segment, position, huffman);
        break;
      case JPEG_MARKER.DRI:
        if (segment.length < 2) throw malformed('short DRI', position);
        restartInterval = (segment[0]! << 8) | segment[1]!;
        break;
      case JPEG_MARKER.SOS: {
        if (frame === undefined) throw malformed('SOS before SOF', at);
        const scanStart = at + 2 + length;
        const scanData = bytes.subarray(scanStart, findEndOfImage(bytes, scanStart));
        return describeImage(
          frame,
          segment,
          position,
          quantization,
          huffman,
          restartInterval,
          scanData,
        );
      }
      default:
        // SOF2/3/5..15 are progressive, lossless, hierarchical or arithmetic: not baseline.
        if (
          marker >= 0xc2 &&
          marker <= 0xcf &&
          marker !== JPEG_MARKER.DHT &&
          marker !== 0xc8 &&
          marker !== 0xcc
        ) {
          throw unsupported(`SOF marker 0x${marker.toString(16)} (only baseline sequential DCT)`);
        }
      // APPn, COM and the rest carry nothing RTP/JPEG sends.
    }
    at += 2 + length;
  }
}

/** RFC 2435 §4.1: type 0 has luma sampled 2×1, type 1 2×2; chroma is always 1×1. */
function rfc2435Type(y: FrameHeader['components'][number]): 0 | 1 | undefined {
  if (y.horizontalSampling !== 2) return undefined;
  if (y.verticalSampling === 1) return 0;
  return y.verticalSampling === 2 ? 1 : undefined;
}

function describeImage(
  frame: FrameHeader,
  sos: Uint8Array,
  position: number,
  quantization: (Uint8Array | undefined)[],
  huffman: JpegImage['huffman'],
  restartInterval: number,
  scanData: Uint8Array,
): JpegImage {
  const [y, cb, cr] = frame.components;
  if (frame.components.length !== 3 || y === undefined || cb === undefined || cr === undefined) {
    throw unsupported(`${frame.components.length} components (RFC 2435 carries YCbCr)`);
  }
  const type = rfc2435Type(y);
  const chromaFull = [cb, cr].every((c) => c.horizontalSampling === 1 && c.verticalSampling === 1);
  if (type === undefined || !chromaFull) {
    const sampling = frame.components
      .map((c) => `${c.horizontalSampling}x${c.verticalSampling}`)
      .join(',');
    throw unsupported(`sampling ${sampling} (RFC 2435 types need luma 2x1 or 2x2 and chroma 1x1)`);
  }
  if (cb.quantizationTable !== cr.quantizationTable)
    throw unsupported('Cb and Cr use different quantization tables');
  if (frame.width > 2040 || frame.height > 2040 || frame.width === 0 || frame.height === 0) {
    throw unsupported(`size ${frame.width}x${frame.height} (RFC 2435 carries 1..2040 pixels)`);
  }
  if (sos.length < 1 + 2 * 3 + 3 || sos[0] !== 3)
    throw unsupported('the scan does not interleave all three components');
  const scanComponent = (
    component: FrameHeader['components'][number],
    i: number,
  ): JpegComponent => {
    if (sos[1 + 2 * i] !== component.id)
      throw malformed('SOS components not in frame order', position + 1 + 2 * i);
    const tables = sos[2 + 2 * i]!;
    return { ...component, dcTable: tables >> 4, acTable: tables & 15 };
  };
  const tables = new Uint8Array(128);
  for (const [slot, component] of [y, cb].entries()) {
    const table = quantization[component.quantizationTable];
    if (table === undefined)
      throw malformed(`no DQT table ${component.quantizationTable}`, position);
    tables.set(table, 64 * slot);
  }
  return {
    width: frame.width,
    height: frame.height,
    type,
    quantizationTables: tables,
    restartInterval,
    components: [scanComponent(y, 0), scanComponent(cb, 1), scanComponent(cr, 2)],
    huffman,
    scanData,
  };
}
