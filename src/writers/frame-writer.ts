/**
 * The shape every writer shares: `write(frame)` then `close()`. Await each
 * write: it resolves when the sink took the bytes, which is what bounds memory
 * when the disk or a pipe is slower than the camera.
 */
import { ErrorCodes, RtspError } from '../errors.js';

export interface FrameWriter<F> {
  write(frame: F): Promise<void>;
  /** Flushes what is pending, finalises headers, closes a file sink. Idempotent. */
  close(): Promise<void>;
  /** Frames written to the sink. */
  readonly framesWritten: number;
  /** Frames not written (before the first keyframe, unsupported, too large). */
  readonly framesSkipped: number;
}

export function writerClosedError(writer: string): RtspError {
  return new RtspError(`${writer}: write() after close()`, ErrorCodes.ERR_RTSP_STATE);
}

export function codecMismatchError(writer: string, expected: string, got: string): RtspError {
  return new RtspError(
    `${writer} writes ${expected}, not ${got} frames`,
    ErrorCodes.ERR_RTSP_INVALID_ARGUMENT,
  );
}
