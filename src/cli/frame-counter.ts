/** `--frames N`: counts video frames, or audio frames when video is not played. */
import type { RtspEvent } from '../events/types.js';

export class FrameCounter {
  private seen = 0;
  constructor(
    private readonly limit: number | undefined,
    private readonly countVideo: boolean,
  ) {}

  /** True once `limit` frames have been counted (the caller stops). */
  count(event: RtspEvent): boolean {
    if (this.limit === undefined) return false;
    if (event.type === (this.countVideo ? 'video' : 'audio')) this.seen++;
    return this.seen >= this.limit;
  }
}
