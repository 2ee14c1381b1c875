/**
 * StreamMuxConfig (ISO/IEC 14496-3 §1.7.3.1) as the hex of an MP4A-LATM fmtp
 * `config` (RFC 6416 §7.3): one program and layer, for the LATM and writer tests.
 */

export interface StreamMuxConfigFields {
  subframes?: number;
  program?: number;
  frameLengthType?: number;
  /** AudioSpecificConfig as a bit string; default AAC-LC 48 kHz stereo. */
  ascBits?: string;
  /** audioMuxVersion 1 states the config's length in bits (LatmGetValue), fill bits included. */
  audioMuxVersion?: 0 | 1;
}

const bitsOf = (value: number, count: number): string => value.toString(2).padStart(count, '0');

/** LatmGetValue() with one byte: 2 bits of byte count − 1, then the byte. */
const latmValue = (value: number): string => '00' + bitsOf(value, 8);

export function streamMuxConfig({
  subframes = 1,
  program = 0,
  frameLengthType = 0,
  ascBits = '00010' + '0011' + '0010' + '000',
  audioMuxVersion = 0,
}: StreamMuxConfigFields = {}): string {
  let config = ascBits;
  let header = '0';
  if (audioMuxVersion === 1) {
    // audioMuxVersionA 0, taraBufferFullness 0xff; the config padded to whole bytes by fill bits.
    config = ascBits.padEnd(Math.ceil(ascBits.length / 8) * 8, '0');
    header = '1' + '0' + latmValue(0xff);
  }
  const bits =
    header +
    '1' +
    bitsOf(subframes - 1, 6) +
    bitsOf(program, 4) +
    '000' +
    (audioMuxVersion === 1 ? latmValue(config.length) : '') +
    config +
    bitsOf(frameLengthType, 3) +
    '11111111' +
    '0' +
    '0';
  const bytes = bits.padEnd(Math.ceil(bits.length / 8) * 8, '0').match(/.{8}/g)!;
  return bytes.map((b) => Number.parseInt(b, 2).toString(16).padStart(2, '0')).join('');
}

/** The bit string of `bytes`' first `count` bits. */
export function bitString(bytes: Uint8Array, count: number): string {
  return [...bytes]
    .map((byte) => bitsOf(byte, 8))
    .join('')
    .slice(0, count);
}
