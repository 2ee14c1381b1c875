/**
 * Normal play time ranges (RFC 2326 §3.6, §12.29): `npt=0-`, `npt=1.5-10`,
 * `npt=now-` for live streams, and the `h:mm:ss.f` form.
 */
import { ErrorCodes, RtspError } from '../errors.js';

const NPT_PREFIX = /^\s*npt\s*=/i;
const SECONDS = /^\d+(?:\.\d*)?$/;
const CLOCK = /^(\d+):([0-5]?\d):([0-5]?\d(?:\.\d*)?)$/;

/** Seconds; `now` and an omitted start are 0. Undefined for other units (smpte, clock) or garbage. */
export function parseNptRange(value: string): { start: number; end?: number } | undefined {
  // Split by hand: a regex with optional spaces around each part backtracks cubically on long
  // runs of spaces, and the header is the server's.
  const prefix = NPT_PREFIX.exec(value);
  if (prefix === null) return undefined;
  const [range = ''] = value.slice(prefix[0].length).split(';', 1);
  const dash = range.indexOf('-');
  if (dash < 0) return undefined;
  const startText = range.slice(0, dash).trim();
  const endText = range.slice(dash + 1).trim();
  const start = startText === '' || startText.toLowerCase() === 'now' ? 0 : nptSeconds(startText);
  if (start === undefined) return undefined;
  if (endText === '') return { start };
  const end = nptSeconds(endText);
  return end === undefined ? undefined : { start, end };
}

/** `npt=<start>-[<end>]`, seconds with at most millisecond precision. */
export function formatNptRange(start: number, end?: number): string {
  return `npt=${nptText(start)}-${end === undefined ? '' : nptText(end)}`;
}

function nptSeconds(text: string): number | undefined {
  if (SECONDS.test(text)) return Number(text);
  const clock = CLOCK.exec(text);
  if (clock === null) return undefined;
  return Number(clock[1]) * 3600 + Number(clock[2]) * 60 + Number(clock[3]);
}

function nptText(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) {
    throw new RtspError(
      `npt time must be a finite number of seconds >= 0, got ${seconds}`,
      ErrorCodes.ERR_RTSP_INVALID_ARGUMENT,
    );
  }
  return String(Number(seconds.toFixed(3)));
}
