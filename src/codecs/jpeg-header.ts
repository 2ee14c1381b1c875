/**
 * The JPEG headers an RTP/JPEG receiver puts in front of the scan data
 * (RFC 2435 §3.1 and Appendix B): SOI, DQT, SOF0, DHT (T.81 Annex K tables),
 * DRI for types 64–127, and SOS for the three interleaved YCbCr components.
 */
import { JPEG_MARKER } from './jpeg.js';
import {
  STANDARD_CHROMA_AC,
  STANDARD_CHROMA_DC,
  STANDARD_LUMA_AC,
  STANDARD_LUMA_DC,
  type HuffmanSpec,
} from './jpeg-tables.js';

export interface Rfc2435Frame {
  /** 0 = 4:2:2, 1 = 4:2:0 (the type with the restart bit 64 cleared). */
  type: 0 | 1;
  width: number;
  height: number;
  /** Luma then chroma table, zigzag order; 64 bytes each, or 128 when 16-bit. */
  quantizationTables: Uint8Array;
  /** RFC 2435 §3.1.8 Precision: bit 0 luma, bit 1 chroma table is 16-bit. */
  precision: number;
  /** MCUs per restart interval; 0 for none. */
  restartInterval: number;
}

const HUFFMAN_TABLES: readonly { classAndId: number; spec: HuffmanSpec }[] = [
  { classAndId: 0x00, spec: STANDARD_LUMA_DC },
  { classAndId: 0x10, spec: STANDARD_LUMA_AC },
  { classAndId: 0x01, spec: STANDARD_CHROMA_DC },
  { classAndId: 0x11, spec: STANDARD_CHROMA_AC },
];
const DHT_BODY_BYTES = HUFFMAN_TABLES.reduce(
  (sum, table) => sum + 17 + table.spec.values.length,
  0,
);
const SOF0_BODY_BYTES = 6 + 3 * 3;
const SOS_BODY_BYTES = 1 + 3 * 2 + 3;

function quantizationTableBytes(precision: number, table: 0 | 1): number {
  return (precision >> table) & 1 ? 128 : 64;
}

/** Bytes `writeJpegHeader` writes for this frame. */
export function jpegHeaderLength(frame: Rfc2435Frame): number {
  const dqt =
    4 + 2 + quantizationTableBytes(frame.precision, 0) + quantizationTableBytes(frame.precision, 1);
  const dri = frame.restartInterval > 0 ? 6 : 0;
  return 2 + dqt + 4 + SOF0_BODY_BYTES + 4 + DHT_BODY_BYTES + dri + 4 + SOS_BODY_BYTES;
}

/** Writes SOI … SOS into `out` from offset 0; returns the bytes written. */
export function writeJpegHeader(frame: Rfc2435Frame, out: Uint8Array): number {
  let at = 0;
  const byte = (value: number): void => {
    out[at++] = value;
  };
  const u16 = (value: number): void => {
    byte(value >> 8);
    byte(value & 0xff);
  };
  const segment = (marker: number, bodyBytes: number): void => {
    byte(0xff);
    byte(marker);
    u16(bodyBytes + 2);
  };
  byte(0xff);
  byte(JPEG_MARKER.SOI);

  const lumaBytes = quantizationTableBytes(frame.precision, 0);
  const chromaBytes = quantizationTableBytes(frame.precision, 1);
  segment(JPEG_MARKER.DQT, 2 + lumaBytes + chromaBytes);
  byte((lumaBytes === 128 ? 0x10 : 0) | 0);
  out.set(frame.quantizationTables.subarray(0, lumaBytes), at);
  at += lumaBytes;
  byte((chromaBytes === 128 ? 0x10 : 0) | 1);
  out.set(frame.quantizationTables.subarray(lumaBytes, lumaBytes + chromaBytes), at);
  at += chromaBytes;

  segment(JPEG_MARKER.SOF0, SOF0_BODY_BYTES);
  byte(8);
  u16(frame.height);
  u16(frame.width);
  byte(3);
  for (const [id, sampling, table] of [
    [1, frame.type === 0 ? 0x21 : 0x22, 0],
    [2, 0x11, 1],
    [3, 0x11, 1],
  ] as const) {
    byte(id);
    byte(sampling);
    byte(table);
  }

  segment(JPEG_MARKER.DHT, DHT_BODY_BYTES);
  for (const { classAndId, spec } of HUFFMAN_TABLES) {
    byte(classAndId);
    out.set(spec.bits, at);
    at += 16;
    out.set(spec.values, at);
    at += spec.values.length;
  }

  if (frame.restartInterval > 0) {
    segment(JPEG_MARKER.DRI, 2);
    u16(frame.restartInterval);
  }

  segment(JPEG_MARKER.SOS, SOS_BODY_BYTES);
  byte(3);
  for (const [id, tables] of [
    [1, 0x00],
    [2, 0x11],
    [3, 0x11],
  ] as const) {
    byte(id);
    byte(tables);
  }
  byte(0); // Ss
  byte(63); // Se
  byte(0); // Ah/Al
  return at;
}
