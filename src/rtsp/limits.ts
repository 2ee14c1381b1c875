import { ErrorCodes, RtspError } from '../errors.js';

/**
 * Sizes a peer controls, each checked before more of its message is buffered,
 * so a hostile or broken server costs at most these many bytes.
 */
export interface RtspLimits {
  /** Request or status line, without its line ending. */
  maxStartLineBytes: number;
  /** One header line, without its line ending. */
  maxHeaderLineBytes: number;
  /** Header fields in one message (continuation lines do not count). */
  maxHeaderCount: number;
  /** Start line, headers and the empty line that ends them. */
  maxHeadBytes: number;
  /** Content-Length of one message. */
  maxBodyBytes: number;
}

export const defaultRtspLimits: Readonly<RtspLimits> = Object.freeze({
  maxStartLineBytes: 4096,
  maxHeaderLineBytes: 8192,
  maxHeaderCount: 255,
  maxHeadBytes: 65536,
  maxBodyBytes: 131072,
});

/** Defaults overridden by the given limits; each must be a positive integer. */
export function resolveLimits(overrides: Partial<RtspLimits> = {}): RtspLimits {
  const limits = { ...defaultRtspLimits };
  for (const name of Object.keys(limits) as (keyof RtspLimits)[]) {
    const value = overrides[name];
    if (value === undefined) continue;
    if (!Number.isSafeInteger(value) || value <= 0) {
      throw new RtspError(
        `RTSP limit ${name} must be a positive integer, got ${String(value)}`,
        ErrorCodes.ERR_RTSP_INVALID_ARGUMENT,
      );
    }
    limits[name] = value;
  }
  return limits;
}
