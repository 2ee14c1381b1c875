/**
 * The Session header (RFC 2326 §12.37): `id[;timeout=seconds]`. Servers vary
 * the syntax (`Timeout = 60`, trailing ';', spaces), so it is read leniently;
 * a timeout that is not a positive integer is reported, not fatal, and the
 * session falls back to the RFC's 60 s default.
 */
import { RtspProtocolError } from '../errors.js';

const SECONDS = /^\d+$/;

export function parseSessionHeader(value: string): {
  id: string;
  timeoutSec: number | undefined;
  timeoutInvalid: boolean;
} {
  const [id = '', ...params] = value.split(';').map((part) => part.trim());
  if (id === '')
    throw new RtspProtocolError(
      `Session header without a session id: ${JSON.stringify(value.slice(0, 80))}`,
    );
  let timeoutSec: number | undefined;
  let timeoutInvalid = false;
  for (const param of params) {
    const equals = param.indexOf('=');
    if (equals < 0 || param.slice(0, equals).trim().toLowerCase() !== 'timeout') continue;
    const raw = param
      .slice(equals + 1)
      .trim()
      .replace(/^"(.*)"$/, '$1');
    const seconds = Number(raw);
    if (SECONDS.test(raw) && seconds > 0 && Number.isSafeInteger(seconds)) {
      timeoutSec = seconds;
      timeoutInvalid = false;
    } else {
      timeoutSec = undefined;
      timeoutInvalid = true;
    }
  }
  return { id, timeoutSec, timeoutInvalid };
}
