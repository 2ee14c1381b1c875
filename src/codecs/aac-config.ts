/**
 * MPEG-4 Audio configuration: AudioSpecificConfig (ISO/IEC 14496-3 §1.6.2.1)
 * as carried in SDP `config=` (RFC 3640 §4.1, RFC 6416 §7.3), and the ADTS
 * header (ISO/IEC 14496-3 §1.A.2) that makes raw access units playable.
 */
import { ErrorCodes, RtspError, RtspProtocolError } from '../errors.js';
import { BitReader } from './bit-reader.js';

export interface AudioSpecificConfig {
  objectType: number;
  samplingFrequencyIndex: number;
  sampleRate: number;
  channelConfiguration: number;
  /** Channels implied by channelConfiguration; 0 when a program config element defines them. */
  channels: number;
  frameLength: 1024 | 960;
}

/** ISO/IEC 14496-3 table 1.16; index 15 means an explicit 24-bit frequency follows. */
const SAMPLING_FREQUENCIES = [
  96000, 88200, 64000, 48000, 44100, 32000, 24000, 22050, 16000, 12000, 11025, 8000, 7350,
];
const EXPLICIT_FREQUENCY_INDEX = 15;
const ESCAPE_OBJECT_TYPE = 31;
/** SBR (5) and PS (29) with explicit hierarchical signalling wrap a core object type (§1.6.2.1). */
const SBR_OBJECT_TYPE = 5;
const PS_OBJECT_TYPE = 29;
/** Object types whose config is a GASpecificConfig, which starts with frameLengthFlag (§4.4.1). */
const GENERAL_AUDIO_OBJECT_TYPES = new Set([1, 2, 3, 4, 6, 7, 17, 19, 20, 21, 22, 23]);
/** channelConfiguration 7 is 7.1: eight channels (table 1.19). */
const CHANNELS_BY_CONFIGURATION = [0, 1, 2, 3, 4, 5, 6, 8];

function readObjectType(reader: BitReader): number {
  const objectType = reader.readBits(5);
  return objectType === ESCAPE_OBJECT_TYPE ? 32 + reader.readBits(6) : objectType;
}

function readSamplingFrequency(reader: BitReader): { index: number; rate: number } {
  const start = reader.position;
  const index = reader.readBits(4);
  const rate =
    index === EXPLICIT_FREQUENCY_INDEX ? reader.readBits(24) : SAMPLING_FREQUENCIES[index];
  if (rate === undefined || rate === 0) {
    const what =
      rate === 0 ? 'explicit sampling frequency 0' : `reserved sampling frequency index ${index}`;
    throw new RtspProtocolError(`AudioSpecificConfig: ${what}`, { position: start >> 3 });
  }
  return { index, rate };
}

/** Object types with an epConfig after their specific config (§1.6.2.1). */
const ERROR_RESILIENT_OBJECT_TYPES = new Set([17, 19, 20, 21, 22, 23, 24, 25, 26, 27]);

/**
 * GASpecificConfig (§4.4.1), read whole so that LATM finds what follows it;
 * returns frameLengthFlag. A program config element (channelConfiguration 0)
 * is not parsed: reading stops before it.
 */
function readGaSpecificConfig(
  reader: BitReader,
  objectType: number,
  channelConfiguration: number,
): boolean {
  const frameLengthFlag = reader.readBits(1) === 1;
  if (reader.readBits(1) === 1) reader.skipBits(14); // dependsOnCoreCoder: coreCoderDelay
  const extensionFlag = reader.readBits(1) === 1;
  if (channelConfiguration === 0) return frameLengthFlag;
  if (objectType === 6 || objectType === 20) reader.skipBits(3); // layerNr
  if (extensionFlag) {
    if (objectType === 22) reader.skipBits(5 + 11); // numOfSubFrame, layer_length
    if (objectType === 17 || objectType === 19 || objectType === 20 || objectType === 23)
      reader.skipBits(3);
    reader.skipBits(1); // extensionFlag3
  }
  if (ERROR_RESILIENT_OBJECT_TYPES.has(objectType) && reader.readBits(2) === 3) reader.skipBits(1); // epConfig, directMapping
  return frameLengthFlag;
}

/** Reads an AudioSpecificConfig at the reader's position (LATM embeds one mid-byte). */
export function readAudioSpecificConfig(reader: BitReader): AudioSpecificConfig {
  const start = reader.position;
  let objectType = readObjectType(reader);
  const frequency = readSamplingFrequency(reader);
  const channelConfiguration = reader.readBits(4);
  if (objectType === SBR_OBJECT_TYPE || objectType === PS_OBJECT_TYPE) {
    // The core codec runs at the signalled rate; the SBR output rate is what follows.
    readSamplingFrequency(reader);
    objectType = readObjectType(reader);
  }
  if (objectType === 0) {
    throw new RtspProtocolError('AudioSpecificConfig: object type 0 (null)', {
      position: start >> 3,
    });
  }
  const frameLength =
    GENERAL_AUDIO_OBJECT_TYPES.has(objectType) &&
    readGaSpecificConfig(reader, objectType, channelConfiguration)
      ? 960
      : 1024;
  return {
    objectType,
    samplingFrequencyIndex: frequency.index,
    sampleRate: frequency.rate,
    channelConfiguration,
    channels: CHANNELS_BY_CONFIGURATION[channelConfiguration] ?? 0,
    frameLength,
  };
}

/** Throws RtspProtocolError (with the byte position) on a malformed config. */
export function parseAudioSpecificConfig(bytes: Uint8Array): AudioSpecificConfig {
  return readAudioSpecificConfig(new BitReader(bytes, 'AudioSpecificConfig'));
}

/** MSB-first bit writer for the few fixed-size headers built here. */
class BitWriter {
  private readonly bytes: Uint8Array;
  private bitPosition = 0;
  constructor(byteLength: number) {
    this.bytes = new Uint8Array(byteLength);
  }
  write(value: number, count: number): void {
    for (let bit = count - 1; bit >= 0; bit--) {
      if (Math.floor(value / 2 ** bit) % 2 === 1) {
        this.bytes[this.bitPosition >> 3]! |= 0x80 >> (this.bitPosition & 7);
      }
      this.bitPosition++;
    }
  }
  finish(): Uint8Array {
    return this.bytes.subarray(0, (this.bitPosition + 7) >> 3);
  }
}

function invalidArgument(message: string): RtspError {
  return new RtspError(message, ErrorCodes.ERR_RTSP_INVALID_ARGUMENT);
}

/** AudioSpecificConfig with a GASpecificConfig of all-zero flags (1024-sample frames). */
export function buildAudioSpecificConfig(config: {
  objectType: number;
  sampleRate: number;
  channels: number;
}): Uint8Array {
  const { objectType, sampleRate, channels } = config;
  if (!Number.isInteger(objectType) || objectType < 1 || objectType > 95) {
    throw invalidArgument(`AudioSpecificConfig: object type ${objectType} is not 1..95`);
  }
  if (!Number.isInteger(sampleRate) || sampleRate < 1 || sampleRate >= 2 ** 24) {
    throw invalidArgument(`AudioSpecificConfig: sample rate ${sampleRate} is not representable`);
  }
  const channelConfiguration = CHANNELS_BY_CONFIGURATION.indexOf(channels);
  if (channelConfiguration < 1) {
    throw invalidArgument(`AudioSpecificConfig: ${channels} channels has no channelConfiguration`);
  }
  const writer = new BitWriter(8);
  if (objectType >= ESCAPE_OBJECT_TYPE) {
    writer.write(ESCAPE_OBJECT_TYPE, 5);
    writer.write(objectType - 32, 6);
  } else {
    writer.write(objectType, 5);
  }
  const index = SAMPLING_FREQUENCIES.indexOf(sampleRate);
  if (index >= 0) {
    writer.write(index, 4);
  } else {
    writer.write(EXPLICIT_FREQUENCY_INDEX, 4);
    writer.write(sampleRate, 24);
  }
  writer.write(channelConfiguration, 4);
  if (GENERAL_AUDIO_OBJECT_TYPES.has(objectType)) {
    writer.write(0, 3); // frameLengthFlag, dependsOnCoreCoder, extensionFlag
    if (objectType === 6 || objectType === 20) writer.write(0, 3); // layerNr
    if (ERROR_RESILIENT_OBJECT_TYPES.has(objectType)) writer.write(0, 2); // epConfig
  }
  return writer.finish();
}

export const ADTS_HEADER_BYTES = 7;
/** frame_length is 13 bits and counts the header too. */
export const MAX_ADTS_ACCESS_UNIT_BYTES = 0x1fff - ADTS_HEADER_BYTES;

/**
 * 7-byte ADTS header without CRC. ADTS can only say AAC Main/LC/SSR/LTP (2-bit
 * profile = objectType − 1) at a table sampling rate, and frames up to 8191 bytes.
 */
export function adtsHeader(config: AudioSpecificConfig, accessUnitLength: number): Uint8Array {
  if (config.objectType < 1 || config.objectType > 4) {
    throw new RtspError(
      `ADTS cannot carry AAC object type ${config.objectType}`,
      ErrorCodes.ERR_RTSP_UNSUPPORTED,
    );
  }
  if (config.samplingFrequencyIndex >= SAMPLING_FREQUENCIES.length) {
    throw new RtspError(
      `ADTS cannot carry an explicit sample rate (${config.sampleRate} Hz)`,
      ErrorCodes.ERR_RTSP_UNSUPPORTED,
    );
  }
  if (
    !Number.isInteger(accessUnitLength) ||
    accessUnitLength < 0 ||
    accessUnitLength > MAX_ADTS_ACCESS_UNIT_BYTES
  ) {
    throw invalidArgument(
      `ADTS: access unit of ${accessUnitLength} bytes does not fit a 13-bit frame_length`,
    );
  }
  const writer = new BitWriter(ADTS_HEADER_BYTES);
  writer.write(0xfff, 12); // syncword
  writer.write(0, 1); // ID: MPEG-4
  writer.write(0, 2); // layer
  writer.write(1, 1); // protection_absent: no CRC
  writer.write(config.objectType - 1, 2); // profile
  writer.write(config.samplingFrequencyIndex, 4);
  writer.write(0, 1); // private_bit
  writer.write(config.channelConfiguration & 7, 3);
  writer.write(0, 4); // original_copy, home, copyright_identification_bit, copyright_identification_start
  writer.write(accessUnitLength + ADTS_HEADER_BYTES, 13);
  writer.write(0x7ff, 11); // adts_buffer_fullness: variable bit rate
  writer.write(0, 2); // number_of_raw_data_blocks_in_frame − 1
  return writer.finish();
}

/** Hex as written in SDP fmtp (either case); undefined when not whole bytes of hex digits. */
export function parseHex(hex: string): Uint8Array | undefined {
  if (hex.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(hex)) return undefined;
  const bytes = new Uint8Array(hex.length / 2);
  for (let i = 0; i < bytes.length; i++)
    bytes[i] = Number.parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return bytes;
}

export function toHex(bytes: Uint8Array): string {
  let hex = '';
  for (const byte of bytes) hex += byte.toString(16).padStart(2, '0');
  return hex;
}
