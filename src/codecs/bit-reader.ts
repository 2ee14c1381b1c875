/**
 * Bit-level reading of H.264/H.265 RBSPs: fixed-width fields and Exp-Golomb
 * codes (H.264 §9.1, H.265 §9.2), after emulation prevention bytes are removed.
 */
import { RtspProtocolError } from '../errors.js';

/** Exp-Golomb codes longer than this do not occur in parameter sets (values fit in 32 bits). */
const MAX_EXP_GOLOMB_LEADING_ZEROS = 31;

/**
 * The RBSP of a NAL unit: every `00 00 03` loses its `03` (H.264 §7.4.1,
 * H.265 §7.4.2). Returns the input itself when it has no emulation prevention byte.
 */
export function removeEmulationPrevention(nal: Uint8Array): Uint8Array {
  let firstEscape = -1;
  for (let i = 2; i < nal.length; i++) {
    if (nal[i] === 3 && nal[i - 1] === 0 && nal[i - 2] === 0) {
      firstEscape = i;
      break;
    }
  }
  if (firstEscape < 0) return nal;
  const rbsp = new Uint8Array(nal.length - 1);
  rbsp.set(nal.subarray(0, firstEscape));
  let written = firstEscape;
  let zeros = 0;
  for (let i = firstEscape + 1; i < nal.length; i++) {
    const byte = nal[i]!;
    if (zeros >= 2 && byte === 3) {
      zeros = 0;
      continue;
    }
    zeros = byte === 0 ? zeros + 1 : 0;
    rbsp[written++] = byte;
  }
  return rbsp.subarray(0, written);
}

/** Reads bits MSB first; running past the end throws `RtspProtocolError` with the bit position. */
export class BitReader {
  private bitPosition = 0;

  constructor(
    private readonly bytes: Uint8Array,
    /** Names the structure in error messages, e.g. `H.264 SPS`. */
    private readonly what: string,
  ) {}

  get position(): number {
    return this.bitPosition;
  }

  readBit(): number {
    const byte = this.bytes[this.bitPosition >> 3];
    if (byte === undefined) {
      throw new RtspProtocolError(`${this.what} truncated at bit ${this.bitPosition}`, {
        position: this.bitPosition >> 3,
      });
    }
    const bit = (byte >> (7 - (this.bitPosition & 7))) & 1;
    this.bitPosition++;
    return bit;
  }

  /** An unsigned field of up to 32 bits (u(n)). */
  readBits(count: number): number {
    let value = 0;
    for (let i = 0; i < count; i++) value = value * 2 + this.readBit();
    return value;
  }

  skipBits(count: number): void {
    if (this.bitPosition + count > this.bytes.length * 8) {
      throw new RtspProtocolError(
        `${this.what} truncated: ${count} bits to skip at bit ${this.bitPosition}`,
        { position: this.bitPosition >> 3 },
      );
    }
    this.bitPosition += count;
  }

  /** ue(v): unsigned Exp-Golomb (H.264 §9.1). */
  readUe(): number {
    const start = this.bitPosition;
    let leadingZeros = 0;
    while (this.readBit() === 0) {
      if (++leadingZeros > MAX_EXP_GOLOMB_LEADING_ZEROS) {
        throw new RtspProtocolError(`${this.what}: Exp-Golomb code too long at bit ${start}`, {
          position: start >> 3,
        });
      }
    }
    return 2 ** leadingZeros - 1 + this.readBits(leadingZeros);
  }

  /** se(v): signed Exp-Golomb (H.264 §9.1.1): 1, -1, 2, -2, ... */
  readSe(): number {
    const code = this.readUe();
    return code % 2 === 1 ? (code + 1) / 2 : 0 - code / 2; // 0 - 0 is +0, unlike -(0)
  }
}
