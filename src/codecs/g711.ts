/**
 * ITU-T G.711 A-law and µ-law companding of 16-bit linear PCM.
 *
 * Decoding uses the reconstruction values of G.711 tables 1a/2a. Encoding picks,
 * for each sample, the code whose reconstruction value is nearest (ties go to the
 * smaller magnitude), on the 14-bit grid FFmpeg's pcm_alaw/pcm_mulaw encoders use,
 * so a WAV served by rtspkit is byte-identical to `ffmpeg -c:a pcm_alaw`.
 */

const SIGN_BIT = 0x80;
const SEGMENT_MASK = 0x70;
const SEGMENT_SHIFT = 4;
const MANTISSA_MASK = 0x0f;
/** µ-law bias (G.711 §2, table 2a: 33 in 14-bit units, 0x84 at 16 bits). */
const MU_LAW_BIAS = 0x84;
/** A-law codes have their even bits inverted on the line (G.711 §1, table 1a). */
const A_LAW_EVEN_BITS = 0x55;

function aLawToLinear(code: number): number {
  const a = code ^ A_LAW_EVEN_BITS;
  const segment = (a & SEGMENT_MASK) >> SEGMENT_SHIFT;
  // Segments 0 and 1 share a step; each later segment doubles it.
  let magnitude = ((a & MANTISSA_MASK) << 4) + (segment === 0 ? 8 : 0x108);
  if (segment > 1) magnitude <<= segment - 1;
  return (a & SIGN_BIT) !== 0 ? magnitude : -magnitude;
}

function muLawToLinear(code: number): number {
  const u = ~code & 0xff;
  const magnitude =
    (((u & MANTISSA_MASK) << 3) + MU_LAW_BIAS) << ((u & SEGMENT_MASK) >> SEGMENT_SHIFT);
  return (u & SIGN_BIT) !== 0 ? MU_LAW_BIAS - magnitude : magnitude - MU_LAW_BIAS;
}

function decodeTable(toLinear: (code: number) => number): Int16Array {
  const table = new Int16Array(256);
  for (let code = 0; code < 256; code++) table[code] = toLinear(code);
  return table;
}

/**
 * Encoder table indexed by the 14-bit sample (`(pcm + 32768) >> 2`). Built from
 * the decoder: the boundary between magnitude codes i and i+1 is the midpoint of
 * their reconstruction values. `positiveZero` is the code decoding to the
 * smallest positive value (0xD5 for A-law, 0xFF for µ-law).
 */
function encodeTable(decode: Int16Array, positiveZero: number): Uint8Array {
  const half = 8192;
  const table = new Uint8Array(2 * half);
  const negativeZero = positiveZero ^ SIGN_BIT;
  table[half] = positiveZero;
  let step = 1;
  for (let magnitude = 0; magnitude < 127; magnitude++) {
    const low = decode[magnitude ^ positiveZero]!;
    const high = decode[(magnitude + 1) ^ positiveZero]!;
    const boundary = (low + high + 4) >> 3;
    for (; step < boundary; step++) {
      table[half - step] = magnitude ^ negativeZero;
      table[half + step] = magnitude ^ positiveZero;
    }
  }
  for (; step < half; step++) {
    table[half - step] = 127 ^ negativeZero;
    table[half + step] = 127 ^ positiveZero;
  }
  table[0] = table[1]!;
  return table;
}

const A_LAW_DECODE = decodeTable(aLawToLinear);
const MU_LAW_DECODE = decodeTable(muLawToLinear);
const A_LAW_ENCODE = encodeTable(A_LAW_DECODE, 0xd5);
const MU_LAW_ENCODE = encodeTable(MU_LAW_DECODE, 0xff);

function encodeWith(table: Uint8Array, pcm: Int16Array): Uint8Array {
  const out = new Uint8Array(pcm.length);
  for (let i = 0; i < pcm.length; i++) out[i] = table[(pcm[i]! + 32768) >> 2]!;
  return out;
}

function decodeWith(table: Int16Array, encoded: Uint8Array): Int16Array {
  const out = new Int16Array(encoded.length);
  for (let i = 0; i < encoded.length; i++) out[i] = table[encoded[i]!]!;
  return out;
}

export function encodeALaw(pcm: Int16Array): Uint8Array {
  return encodeWith(A_LAW_ENCODE, pcm);
}

export function decodeALaw(encoded: Uint8Array): Int16Array {
  return decodeWith(A_LAW_DECODE, encoded);
}

export function encodeMuLaw(pcm: Int16Array): Uint8Array {
  return encodeWith(MU_LAW_ENCODE, pcm);
}

export function decodeMuLaw(encoded: Uint8Array): Int16Array {
  return decodeWith(MU_LAW_DECODE, encoded);
}
