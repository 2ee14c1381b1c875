/** The one error a media reader throws for a file it cannot publish (the server answers 415). */
import { ErrorCodes, RtspError } from '../../errors.js';

/** RtspError ERR_RTSP_UNSUPPORTED, its message prefixed with the format (`wav: ...`). */
export function unsupportedMedia(format: string, message: string, cause?: unknown): RtspError {
  return new RtspError(`${format}: ${message}`, ErrorCodes.ERR_RTSP_UNSUPPORTED, { cause });
}
