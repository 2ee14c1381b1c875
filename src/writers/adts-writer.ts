/**
 * AAC in ADTS (ISO/IEC 14496-3 §1.A.2): each raw access unit gets a 7-byte
 * header built from the stream's AudioSpecificConfig (SDP `config=`), which is
 * what players need to decode a bare .aac file.
 */
import {
  adtsHeader,
  MAX_ADTS_ACCESS_UNIT_BYTES,
  parseAudioSpecificConfig,
  parseHex,
  type AudioSpecificConfig,
} from '../codecs/aac-config.js';
import { latmAudioSpecificConfig } from '../depacketizers/latm.js';
import { ErrorCodes, RtspError } from '../errors.js';
import type { AudioFrame } from '../events/types.js';
import { codecMismatchError, writerClosedError, type FrameWriter } from './frame-writer.js';
import { createSink, type ByteSink, type OpenSinkOptions, type SinkTarget } from './sink.js';

export class AdtsWriter implements FrameWriter<AudioFrame> {
  framesWritten = 0;
  /** Access units over ADTS's 13-bit frame length. */
  framesSkipped = 0;
  private readonly sink: ByteSink;
  private readonly config: AudioSpecificConfig;
  private closed = false;

  /** `config`: the AudioSpecificConfig, parsed or as bytes (e.g. `parseHex(track.fmtp.config)`). */
  constructor(
    target: SinkTarget,
    config: AudioSpecificConfig | Uint8Array,
    options: OpenSinkOptions = {},
  ) {
    this.config = config instanceof Uint8Array ? parseAudioSpecificConfig(config) : config;
    // Fail at construction, not at the first frame, when ADTS cannot say this config.
    adtsHeader(this.config, 0);
    this.sink = createSink(target, options);
  }

  async write(frame: AudioFrame): Promise<void> {
    if (this.closed) throw writerClosedError('AdtsWriter');
    if (frame.codec !== 'aac') throw codecMismatchError('AdtsWriter', 'aac', frame.codec);
    if (frame.data.length > MAX_ADTS_ACCESS_UNIT_BYTES) {
      this.framesSkipped++;
      return;
    }
    await this.sink.write(adtsHeader(this.config, frame.data.length), frame.data);
    this.framesWritten++;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.sink.close();
  }
}

/** The SDP encoding names of AAC, whose fmtp `config=` says different things. */
export type AacRtpCodec = 'mpeg4-generic' | 'mp4a-latm';

export function isAacRtpCodec(codec: string): codec is AacRtpCodec {
  return codec === 'mpeg4-generic' || codec === 'mp4a-latm';
}

/**
 * The AudioSpecificConfig bytes of an AAC track's fmtp `config=`: the config
 * itself for mpeg4-generic (RFC 3640 §4.1), the one inside the StreamMuxConfig
 * for mp4a-latm (RFC 6416 §7.3). Checked to parse; ERR_RTSP_UNSUPPORTED when
 * absent or malformed.
 */
export function audioSpecificConfigFromFmtp(
  fmtp: Readonly<Record<string, string>>,
  codec: AacRtpCodec = 'mpeg4-generic',
): Uint8Array {
  if (codec === 'mp4a-latm') {
    const config = latmAudioSpecificConfig({ fmtp });
    if (typeof config === 'string') {
      throw new RtspError(`MP4A-LATM track: ${config}`, ErrorCodes.ERR_RTSP_UNSUPPORTED);
    }
    return config;
  }
  const hex = fmtp.config;
  if (hex === undefined) {
    throw new RtspError(
      'AAC track has no fmtp config= (AudioSpecificConfig)',
      ErrorCodes.ERR_RTSP_UNSUPPORTED,
    );
  }
  const bytes = parseHex(hex);
  if (bytes === undefined || bytes.length === 0) {
    throw new RtspError(`AAC fmtp config=${hex} is not hex`, ErrorCodes.ERR_RTSP_UNSUPPORTED);
  }
  parseAudioSpecificConfig(bytes);
  return bytes;
}
