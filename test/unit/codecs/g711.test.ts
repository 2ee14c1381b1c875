import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeALaw, decodeMuLaw, encodeALaw, encodeMuLaw } from '../../../src/codecs/g711.js';

const fixture = (name: string): Buffer =>
  readFileSync(new URL(`../../fixtures/${name}`, import.meta.url));

/** The samples of a WAV's data chunk. */
function wavData(name: string): Buffer {
  const wav = fixture(name);
  const at = wav.indexOf('data');
  return wav.subarray(at + 8, at + 8 + wav.readUInt32LE(at + 4));
}

const allCodes = Uint8Array.from({ length: 256 }, (_, i) => i);

describe('G.711 A-law', () => {
  it('decodes each segment to the reconstruction values of G.711 table 1a', () => {
    // Positive codes: sign bit set, even bits inverted; mantissa 0 and 1 of segments 0..7.
    const code = (segment: number, mantissa: number): number =>
      (0x80 | (segment << 4) | mantissa) ^ 0x55;
    const starts = [...Array(8).keys()].map((s) => decodeALaw(Uint8Array.of(code(s, 0)))[0]);
    const steps = [...Array(8).keys()].map((s) =>
      decodeALaw(Uint8Array.of(code(s, 1), code(s, 0))).reduce((a, b) => a - b),
    );
    expect(starts).toEqual([8, 264, 528, 1056, 2112, 4224, 8448, 16896]);
    expect(steps).toEqual([16, 16, 32, 64, 128, 256, 512, 1024]);
    expect([...decodeALaw(Uint8Array.of(0xd5, 0x55, 0xaa, 0x2a))]).toEqual([8, -8, 32256, -32256]);
  });

  it('encodes every reconstruction value back to its code', () => {
    expect([...encodeALaw(decodeALaw(allCodes))]).toEqual([...allCodes]);
  });

  it("encodes the 8 kHz fixture exactly as ffmpeg's pcm_alaw did", () => {
    const pcm = wavData('pcm-8k-mono.wav');
    const samples = new Int16Array(pcm.buffer.slice(pcm.byteOffset, pcm.byteOffset + pcm.length));
    expect(Buffer.from(encodeALaw(samples)).equals(wavData('pcma-8k.wav'))).toBe(true);
  });
});

describe('G.711 µ-law', () => {
  it('decodes each segment to the reconstruction values of G.711 table 2a', () => {
    const code = (segment: number, mantissa: number): number => 0xff ^ ((segment << 4) | mantissa);
    const starts = [...Array(8).keys()].map((s) => decodeMuLaw(Uint8Array.of(code(s, 0)))[0]);
    const steps = [...Array(8).keys()].map((s) =>
      decodeMuLaw(Uint8Array.of(code(s, 1), code(s, 0))).reduce((a, b) => a - b),
    );
    expect(starts).toEqual([0, 132, 396, 924, 1980, 4092, 8316, 16764]);
    expect(steps).toEqual([8, 16, 32, 64, 128, 256, 512, 1024]);
    expect([...decodeMuLaw(Uint8Array.of(0xff, 0x7f, 0x80, 0x00))]).toEqual([0, 0, 32124, -32124]);
  });

  it('encodes every reconstruction value back to its code (both zeros become +0)', () => {
    const expected = [...allCodes].map((c) => (c === 0x7f ? 0xff : c));
    expect([...encodeMuLaw(decodeMuLaw(allCodes))]).toEqual(expected);
  });

  it("encodes the 8 kHz fixture exactly as ffmpeg's pcm_mulaw did", () => {
    const pcm = wavData('pcm-8k-mono.wav');
    const samples = new Int16Array(pcm.buffer.slice(pcm.byteOffset, pcm.byteOffset + pcm.length));
    expect(Buffer.from(encodeMuLaw(samples)).equals(wavData('pcmu-8k.wav'))).toBe(true);
  });
});

describe('G.711 quantization error', () => {
  it('stays within one segment step, keeping the sign', () => {
    fc.assert(
      fc.property(fc.integer({ min: -32768, max: 32767 }), (sample) => {
        for (const [encode, decode] of [
          [encodeALaw, decodeALaw],
          [encodeMuLaw, decodeMuLaw],
        ] as const) {
          const decoded = decode(encode(Int16Array.of(sample)))[0]!;
          // Segment 7 steps are 1024; clipping at the top loses up to ~650 more.
          expect(Math.abs(decoded - sample)).toBeLessThanOrEqual(
            Math.max(1024, Math.abs(sample) / 16),
          );
          if (Math.abs(sample) > 16) expect(Math.sign(decoded)).toBe(Math.sign(sample));
        }
      }),
      { numRuns: 500 },
    );
  });
});
