/**
 * Motion JPEG as concatenated JPEG files (what ffmpeg's `-f mjpeg` reads and
 * writes). Every frame is a whole JFIF image, so any frame can start the file.
 */
import type { VideoFrame } from '../events/types.js';
import { codecMismatchError, writerClosedError, type FrameWriter } from './frame-writer.js';
import { createSink, type ByteSink, type OpenSinkOptions, type SinkTarget } from './sink.js';

export class MjpegWriter implements FrameWriter<VideoFrame> {
  framesWritten = 0;
  readonly framesSkipped = 0;
  private readonly sink: ByteSink;
  private closed = false;

  constructor(target: SinkTarget, options: OpenSinkOptions = {}) {
    this.sink = createSink(target, options);
  }

  async write(frame: VideoFrame): Promise<void> {
    if (this.closed) throw writerClosedError('MjpegWriter');
    if (frame.codec !== 'jpeg') throw codecMismatchError('MjpegWriter', 'jpeg', frame.codec);
    await this.sink.write(frame.data);
    this.framesWritten++;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.sink.close();
  }
}
