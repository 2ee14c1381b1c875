/**
 * The codec configuration parsers, chosen by the first input byte: AAC
 * AudioSpecificConfig (fmtp config), H.264 and H.265 SPS (sprop or in-band,
 * for the frame size), sprop-parameter-sets, and the baseline JPEG reader the
 * file server packetizes with. The SPS readers never throw; the others throw
 * only RtspError. What they return must be a size or rate a frame can have.
 */
import { parseAudioSpecificConfig } from '../../../src/codecs/aac-config.js';
import { parseH264Sps } from '../../../src/codecs/h264-sps.js';
import { parseH265Sps } from '../../../src/codecs/h265-sps.js';
import { parseSpropParameterSets } from '../../../src/codecs/h26x-params.js';
import { packetizeJpeg } from '../../../src/packetizers/mjpeg.js';
import { bucket, expectedErrorFeature, inputText, invariant, type FuzzTarget } from '../target.js';

const MAX_DIMENSION = 65536;

function checkSize(codec: string, info: { width: number; height: number } | undefined): string {
  if (info === undefined) return 'none';
  const { width, height } = info;
  const inRange = (value: number) => Number.isInteger(value) && value > 0 && value <= MAX_DIMENSION;
  invariant(inRange(width) && inRange(height), () => `${codec} SPS gives ${width}x${height}`);
  return `${bucket(width)}x${bucket(height)}`;
}

const PARSERS: readonly [name: string, run: (data: Uint8Array) => string][] = [
  [
    'audio-specific-config',
    (data) => {
      const config = parseAudioSpecificConfig(data);
      invariant(
        config.sampleRate > 0 && Number.isInteger(config.sampleRate),
        () => `AudioSpecificConfig sample rate ${config.sampleRate}`,
      );
      invariant(
        config.frameLength === 960 || config.frameLength === 1024,
        () => `AudioSpecificConfig frame length ${config.frameLength}`,
      );
      invariant(
        config.channels >= 0 && config.channels <= 24,
        () => `AudioSpecificConfig channels ${config.channels}`,
      );
      return `${config.objectType}:${config.samplingFrequencyIndex}:${config.channelConfiguration}`;
    },
  ],
  ['h264-sps', (data) => checkSize('H.264', parseH264Sps(data))],
  ['h265-sps', (data) => checkSize('H.265', parseH265Sps(data))],
  [
    'sprop-parameter-sets',
    (data) => {
      const nalUnits = parseSpropParameterSets(inputText(data));
      invariant(
        nalUnits.every((nal) => nal.length > 0),
        () => 'empty NAL unit from sprop-parameter-sets',
      );
      return `${bucket(nalUnits.length)}`;
    },
  ],
  [
    'jpeg',
    (data) => {
      const payloads = packetizeJpeg(data, 1400);
      invariant(
        payloads.length > 0 && payloads.at(-1)!.marker,
        () => 'JPEG packetized without a last packet marked',
      );
      return `${bucket(payloads.length)}`;
    },
  ],
];

export const codecConfigTarget: FuzzTarget = {
  name: 'codec-config',
  inputFormat: `byte 0 modulo ${PARSERS.length} picks the parser (${PARSERS.map(([name]) => name).join(', ')}); the rest is its input`,
  maxInputBytes: 64 * 1024,
  controlBytes: 1,
  dictionary: [
    Uint8Array.of(0x00, 0x00, 0x03),
    Uint8Array.of(0x67, 0x64),
    Uint8Array.of(0x42, 0x01),
    Uint8Array.of(0xff, 0xd8),
    Uint8Array.of(0xff, 0xc0),
    Uint8Array.of(0xff, 0xda),
    Uint8Array.of(0xff, 0xdd, 0x00, 0x04),
    ',',
  ],
  execute(input) {
    const [name, run] = PARSERS[(input[0] ?? 0) % PARSERS.length]!; // modulo the length
    try {
      return [`${name}:${run(input.subarray(1))}`];
    } catch (error) {
      return [expectedErrorFeature(error, name)];
    }
  },
};
