import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  adtsHeader,
  buildAudioSpecificConfig,
  parseAudioSpecificConfig,
  parseHex,
  toHex,
} from '../../../src/codecs/aac-config.js';
import { RtspError, RtspProtocolError } from '../../../src/errors.js';

const hex = (text: string): Uint8Array => parseHex(text)!;

describe('parseAudioSpecificConfig', () => {
  it.each([
    [
      '1190',
      {
        objectType: 2,
        samplingFrequencyIndex: 3,
        sampleRate: 48000,
        channelConfiguration: 2,
        channels: 2,
        frameLength: 1024,
      },
    ],
    [
      '1210',
      {
        objectType: 2,
        samplingFrequencyIndex: 4,
        sampleRate: 44100,
        channelConfiguration: 2,
        channels: 2,
        frameLength: 1024,
      },
    ],
    [
      '1194',
      {
        objectType: 2,
        samplingFrequencyIndex: 3,
        sampleRate: 48000,
        channelConfiguration: 2,
        channels: 2,
        frameLength: 960,
      },
    ],
    [
      '1588',
      {
        objectType: 2,
        samplingFrequencyIndex: 11,
        sampleRate: 8000,
        channelConfiguration: 1,
        channels: 1,
        frameLength: 1024,
      },
    ],
    // Escaped object type 42 (31 + 6 bits): no GASpecificConfig, so 1024.
    [
      'f94640',
      {
        objectType: 42,
        samplingFrequencyIndex: 3,
        sampleRate: 48000,
        channelConfiguration: 2,
        channels: 2,
        frameLength: 1024,
      },
    ],
    // Explicit SBR (type 5) over AAC-LC at a 24 kHz core: the core is what ADTS describes.
    [
      '2b118800',
      {
        objectType: 2,
        samplingFrequencyIndex: 6,
        sampleRate: 24000,
        channelConfiguration: 2,
        channels: 2,
        frameLength: 1024,
      },
    ],
    // 7.1: channelConfiguration 7 is eight channels.
    [
      '11b8',
      {
        objectType: 2,
        samplingFrequencyIndex: 3,
        sampleRate: 48000,
        channelConfiguration: 7,
        channels: 8,
        frameLength: 1024,
      },
    ],
  ])('reads %s', (config, expected) => {
    expect(parseAudioSpecificConfig(hex(config))).toEqual(expected);
  });

  it('reads an explicit 24-bit sampling frequency (index 15)', () => {
    // 00010 1111 <22050 Hz in 24 bits> 0001 000
    const bits = '00010' + '1111' + (22050).toString(2).padStart(24, '0') + '0001' + '000';
    const bytes = Uint8Array.from(bits.padEnd(40, '0').match(/.{8}/g)!, (b) =>
      Number.parseInt(b, 2),
    );
    expect(parseAudioSpecificConfig(bytes)).toMatchObject({
      objectType: 2,
      samplingFrequencyIndex: 15,
      sampleRate: 22050,
      channels: 1,
    });
  });

  it('names the byte where a config is truncated or reserved', () => {
    expect(() => parseAudioSpecificConfig(hex('11'))).toThrow(RtspProtocolError);
    expect(() => parseAudioSpecificConfig(hex('11'))).toThrow(/truncated at bit 8/);
    expect(() => parseAudioSpecificConfig(hex('1690'))).toThrow(
      /reserved sampling frequency index 13/,
    );
    expect(() => parseAudioSpecificConfig(hex('0190'))).toThrow(/object type 0/);
  });

  it('random bytes only ever produce RtspProtocolError', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 8 }), (bytes) => {
        try {
          const config = parseAudioSpecificConfig(bytes);
          expect(config.objectType).toBeGreaterThan(0);
        } catch (error) {
          expect(error).toBeInstanceOf(RtspProtocolError);
        }
      }),
      { numRuns: 500 },
    );
  });
});

describe('buildAudioSpecificConfig', () => {
  it('writes the configs cameras and ffmpeg use', () => {
    expect(toHex(buildAudioSpecificConfig({ objectType: 2, sampleRate: 48000, channels: 2 }))).toBe(
      '1190',
    );
    expect(toHex(buildAudioSpecificConfig({ objectType: 2, sampleRate: 8000, channels: 1 }))).toBe(
      '1588',
    );
  });

  it('round-trips through parseAudioSpecificConfig', () => {
    const objectType = fc.oneof(
      fc.constantFrom(1, 2, 3, 4, 6, 7, 17, 19, 20, 21, 22, 23),
      fc.integer({ min: 32, max: 95 }),
    );
    const sampleRate = fc.oneof(
      fc.constantFrom(96000, 48000, 44100, 22050, 16000, 8000, 7350),
      fc.integer({ min: 1, max: 2 ** 24 - 1 }),
    );
    fc.assert(
      fc.property(
        objectType,
        sampleRate,
        fc.constantFrom(1, 2, 3, 4, 5, 6, 8),
        (type, rate, channels) => {
          const parsed = parseAudioSpecificConfig(
            buildAudioSpecificConfig({ objectType: type, sampleRate: rate, channels }),
          );
          expect(parsed).toMatchObject({
            objectType: type,
            sampleRate: rate,
            channels,
            frameLength: 1024,
          });
        },
      ),
      { numRuns: 200 },
    );
  });

  it('rejects what a config cannot say', () => {
    expect(() =>
      buildAudioSpecificConfig({ objectType: 2, sampleRate: 48000, channels: 7 }),
    ).toThrow(/7 channels/);
    expect(() =>
      buildAudioSpecificConfig({ objectType: 0, sampleRate: 48000, channels: 2 }),
    ).toThrow(RtspError);
  });
});

describe('adtsHeader', () => {
  it('writes the 7-byte header of ISO 14496-3 §1.A.2 (no CRC)', () => {
    const config = parseAudioSpecificConfig(hex('1190'));
    // AAC-LC (profile 1), 48 kHz (index 3), stereo, frame_length 107, fullness 0x7FF, one raw block.
    expect(toHex(adtsHeader(config, 100))).toBe('fff14c800d7ffc');
  });

  it('refuses what ADTS cannot describe', () => {
    expect(() => adtsHeader(parseAudioSpecificConfig(hex('1190')), 8185)).toThrow(
      /13-bit frame_length/,
    );
    expect(() => adtsHeader(parseAudioSpecificConfig(hex('f94640')), 10)).toThrow(/object type 42/);
  });
});

describe('parseHex', () => {
  it('accepts either case and refuses odd lengths or non-hex', () => {
    expect([...parseHex('0aFf')!]).toEqual([0x0a, 0xff]);
    expect(parseHex('abc')).toBeUndefined();
    expect(parseHex('zz')).toBeUndefined();
    expect(parseHex('')?.length).toBe(0);
  });
});
