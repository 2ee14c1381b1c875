/**
 * H.264/H.265 elementary stream (ITU-T H.264 / H.265 Annex B): frames are
 * already Annex B with parameter sets before each keyframe, so the writer's
 * job is to start at a keyframe, so the file decodes from its first byte.
 */
import type { VideoFrame } from '../events/types.js';
import { codecMismatchError, writerClosedError, type FrameWriter } from './frame-writer.js';
import { createSink, type ByteSink, type OpenSinkOptions, type SinkTarget } from './sink.js';

export interface AnnexBWriterOptions extends OpenSinkOptions {
  /** Expected codec; frames of another codec are rejected. Default: whatever comes first. */
  codec?: 'h264' | 'h265';
}

export class AnnexBWriter implements FrameWriter<VideoFrame> {
  framesWritten = 0;
  framesSkipped = 0;
  private readonly sink: ByteSink;
  private codec: 'h264' | 'h265' | undefined;
  private closed = false;

  constructor(target: SinkTarget, options: AnnexBWriterOptions = {}) {
    this.sink = createSink(target, options);
    this.codec = options.codec;
  }

  async write(frame: VideoFrame): Promise<void> {
    if (this.closed) throw writerClosedError('AnnexBWriter');
    if (frame.codec === 'jpeg' || (this.codec !== undefined && frame.codec !== this.codec)) {
      throw codecMismatchError('AnnexBWriter', this.codec ?? 'H.264/H.265', frame.codec);
    }
    this.codec = frame.codec;
    if (this.framesWritten === 0 && !frame.keyframe) {
      this.framesSkipped++;
      return;
    }
    await this.sink.write(frame.data);
    this.framesWritten++;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.sink.close();
  }
}
