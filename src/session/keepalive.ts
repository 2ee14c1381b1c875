/**
 * Keeping the RTSP session alive (RFC 2326 §12.37: the server may drop a
 * session idle for its Session timeout, default 60 s). Pure scheduling rules;
 * the session owns the timer.
 */
import type { KeepaliveMethodPolicy } from './quirks.js';

export const DEFAULT_SESSION_TIMEOUT_SEC = 60;

/**
 * Send a keepalive every half of the server's timeout, capped at 60 s, so
 * one lost keepalive still leaves time for the next one.
 */
export function keepaliveIntervalMs(timeoutSec: number | undefined): number {
  const timeout =
    timeoutSec !== undefined && Number.isFinite(timeoutSec) && timeoutSec > 0
      ? timeoutSec
      : DEFAULT_SESSION_TIMEOUT_SEC;
  return (Math.min(timeout, DEFAULT_SESSION_TIMEOUT_SEC) * 1000) / 2;
}

/**
 * quirks.keepaliveMethod 'auto': GET_PARAMETER when the server lists it in
 * Public (RFC 2326 §10.8 names it as the liveness probe), OPTIONS otherwise.
 * Once GET_PARAMETER was refused (some cameras list it and then reject it),
 * OPTIONS in any case.
 */
export function keepaliveMethod(
  publicMethods: ReadonlySet<string>,
  getParameterRefused: boolean,
  policy: KeepaliveMethodPolicy = 'auto',
): 'GET_PARAMETER' | 'OPTIONS' {
  if (getParameterRefused || policy === 'OPTIONS') return 'OPTIONS';
  return policy === 'GET_PARAMETER' || publicMethods.has('GET_PARAMETER')
    ? 'GET_PARAMETER'
    : 'OPTIONS';
}
