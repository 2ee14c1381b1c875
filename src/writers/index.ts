/** File writers for dumped and recorded streams. */
export { AnnexBWriter, type AnnexBWriterOptions } from './annexb-writer.js';
export {
  AdtsWriter,
  audioSpecificConfigFromFmtp,
  isAacRtpCodec,
  type AacRtpCodec,
} from './adts-writer.js';
export { MjpegWriter } from './mjpeg-writer.js';
export { WavWriter, type WavWriterOptions } from './wav-writer.js';
export {
  Mp4Writer,
  type Mp4AudioTrack,
  type Mp4VideoTrack,
  type Mp4WriterOptions,
} from './mp4/mp4-writer.js';
export type { FrameWriter } from './frame-writer.js';
export { createSink, type ByteSink, type OpenSinkOptions, type SinkTarget } from './sink.js';
