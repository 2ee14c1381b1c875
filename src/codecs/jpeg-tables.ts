/**
 * The fixed tables RTP/JPEG (RFC 2435) relies on: the example quantization
 * tables scaled by Q (RFC 2435 Appendix A, from ITU-T T.81 Annex K.1) and the
 * typical Huffman tables every RFC 2435 frame is coded with (T.81 Annex K.3,
 * RFC 2435 Appendix B). Quantization tables are in zigzag order, as in DQT.
 */

/** A Huffman table as DHT carries it: code counts per length 1..16, then symbols. */
export interface HuffmanSpec {
  bits: Uint8Array;
  values: Uint8Array;
}

function bytes(hex: string): Uint8Array {
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = Number.parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return out;
}

/** T.81 table K.3 (luminance DC). */
export const STANDARD_LUMA_DC: HuffmanSpec = {
  bits: Uint8Array.of(0, 1, 5, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0),
  values: Uint8Array.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11),
};

/** T.81 table K.4 (chrominance DC). */
export const STANDARD_CHROMA_DC: HuffmanSpec = {
  bits: Uint8Array.of(0, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0),
  values: Uint8Array.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11),
};

/** T.81 table K.5 (luminance AC): all 162 run/size symbols. */
export const STANDARD_LUMA_AC: HuffmanSpec = {
  bits: Uint8Array.of(0, 2, 1, 3, 3, 2, 4, 3, 5, 5, 4, 4, 0, 0, 1, 0x7d),
  values: bytes(
    '01020300041105122131410613516107227114328191a1082342b1c11552d1f02433627282090a161718191a25262728292a3435363738393a' +
      '434445464748494a535455565758595a636465666768696a737475767778797a838485868788898a92939495969798999aa2a3a4a5a6a7a8a9aa' +
      'b2b3b4b5b6b7b8b9bac2c3c4c5c6c7c8c9cad2d3d4d5d6d7d8d9dae1e2e3e4e5e6e7e8e9eaf1f2f3f4f5f6f7f8f9fa',
  ),
};

/** T.81 table K.6 (chrominance AC): all 162 run/size symbols. */
export const STANDARD_CHROMA_AC: HuffmanSpec = {
  bits: Uint8Array.of(0, 2, 1, 2, 4, 4, 3, 4, 7, 5, 4, 4, 0, 1, 2, 0x77),
  values: bytes(
    '000102031104052131061241510761711322328108144291a1b1c109233352f0156272d10a162434e125f11718191a262728292a35363738393a' +
      '434445464748494a535455565758595a636465666768696a737475767778797a82838485868788898a92939495969798999aa2a3a4a5a6a7a8a9aa' +
      'b2b3b4b5b6b7b8b9bac2c3c4c5c6c7c8c9cad2d3d4d5d6d7d8d9dae2e3e4e5e6e7e8e9eaf2f3f4f5f6f7f8f9fa',
  ),
};

/** T.81 table K.1 in zigzag order (RFC 2435 Appendix A `jpeg_luma_quantizer`). */
const LUMA_QUANTIZER = Uint8Array.of(
  16,
  11,
  12,
  14,
  12,
  10,
  16,
  14,
  13,
  14,
  18,
  17,
  16,
  19,
  24,
  40,
  26,
  24,
  22,
  22,
  24,
  49,
  35,
  37,
  29,
  40,
  58,
  51,
  61,
  60,
  57,
  51,
  56,
  55,
  64,
  72,
  92,
  78,
  64,
  68,
  87,
  69,
  55,
  56,
  80,
  109,
  81,
  87,
  95,
  98,
  103,
  104,
  103,
  62,
  77,
  113,
  121,
  112,
  100,
  120,
  92,
  101,
  103,
  99,
);

/** T.81 table K.2 in zigzag order; everything after the first 15 entries is 99. */
const CHROMA_QUANTIZER = new Uint8Array(64).fill(99);
CHROMA_QUANTIZER.set([17, 18, 18, 24, 21, 24, 47, 26, 26, 47, 99, 66, 56, 66, 99]);

/**
 * The luma then chroma tables (64 bytes each) for Q 1..99, scaled as RFC 2435
 * Appendix A does. The appendix indexes its already-zigzagged tables through
 * zigzag[] again; like FFmpeg and GStreamer we use them as they are, which is
 * what senders do.
 */
export function quantizationTablesForQuality(quality: number): Uint8Array {
  const factor = Math.min(Math.max(quality, 1), 99);
  const scale = factor < 50 ? Math.floor(5000 / factor) : 200 - factor * 2;
  const tables = new Uint8Array(128);
  for (let i = 0; i < 64; i++) {
    tables[i] = Math.min(Math.max(Math.floor((LUMA_QUANTIZER[i]! * scale + 50) / 100), 1), 255);
    tables[64 + i] = Math.min(
      Math.max(Math.floor((CHROMA_QUANTIZER[i]! * scale + 50) / 100), 1),
      255,
    );
  }
  return tables;
}
