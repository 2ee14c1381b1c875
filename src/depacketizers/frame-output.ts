/**
 * What every depacketizer keeps between `push()` and `pull()`: the frames
 * completed and not yet pulled, the contract's counters, and whether the next
 * frame follows data that was lost or dropped.
 */
import { ErrorCodes, RtspError } from '../errors.js';
import type { DepacketizedFrame, DepacketizerOptions, DepacketizerStats } from './depacketizer.js';

export const DEFAULT_MAX_FRAME_BYTES = 8 * 1024 * 1024;

/** `options.maxFrameBytes` or its default; a bad option is the caller's error, so it throws. */
export function resolveMaxFrameBytes(options: DepacketizerOptions | undefined): number {
  const maxFrameBytes = options?.maxFrameBytes ?? DEFAULT_MAX_FRAME_BYTES;
  if (!Number.isSafeInteger(maxFrameBytes) || maxFrameBytes <= 0) {
    throw new RtspError(
      `maxFrameBytes must be a positive integer, not ${maxFrameBytes}`,
      ErrorCodes.ERR_RTSP_INVALID_ARGUMENT,
    );
  }
  return maxFrameBytes;
}

export class FrameOutput<F extends DepacketizedFrame> {
  readonly stats: DepacketizerStats = {
    frames: 0,
    framesDroppedLoss: 0,
    framesDroppedCap: 0,
    packetsInvalid: 0,
  };

  /** The next frame follows lost or dropped data; `takeDiscontinuity()` hands it to that frame. */
  discontinuity = false;

  private readonly ready: F[] = [];

  /** Queues a complete frame (its `discontinuity` from `takeDiscontinuity()`). */
  add(frame: F): void {
    this.ready.push(frame);
  }

  /** The oldest frame not yet pulled, counted in `stats.frames`. */
  pull(): F | undefined {
    const frame = this.ready.shift();
    if (frame !== undefined) this.stats.frames++;
    return frame;
  }

  /** The discontinuity flag for the frame being emitted; the one after it is continuous again. */
  takeDiscontinuity(): boolean {
    const discontinuity = this.discontinuity;
    this.discontinuity = false;
    return discontinuity;
  }

  /** A partial frame was given up because packets were lost (or it broke midway). */
  dropForLoss(): void {
    this.stats.framesDroppedLoss++;
    this.discontinuity = true;
  }

  /** A frame was dropped because it exceeded a cap (size, NAL units). */
  dropForCap(): void {
    this.stats.framesDroppedCap++;
    this.discontinuity = true;
  }

  /** Forgets the frames not yet pulled; the next frame is a discontinuity. */
  reset(): void {
    this.ready.length = 0;
    this.discontinuity = true;
  }
}
