/**
 * The RTP-Info header of a PLAY reply (RFC 2326 §12.33): per stream, the
 * first sequence number and RTP timestamp, which map RTP time to the range
 * requested. URLs may themselves contain ';' and ',', so entries are split
 * where `url=` starts and the URL ends where a known parameter starts.
 */
import { ErrorCodes, RtspError } from '../errors.js';

export interface RtpInfoEntry {
  url: string;
  seq?: number;
  rtptime?: number;
}

const ENTRY_SEPARATOR = /,\s*(?=url\s*=)/i;
const URL_PREFIX = /^url\s*=\s*/i;
const FIRST_PARAM = /;\s*(?:seq|rtptime|ssrc)\s*=/i;
const DIGITS = /^\d{1,10}$/;

/** Entries with a url; a seq or rtptime that is not a number in range is left out. */
export function parseRtpInfo(value: string): RtpInfoEntry[] {
  const entries: RtpInfoEntry[] = [];
  for (const text of value.split(ENTRY_SEPARATOR)) {
    const prefix = URL_PREFIX.exec(text.trim());
    if (prefix === null) continue;
    const rest = text.trim().slice(prefix[0].length);
    const paramsAt = rest.search(FIRST_PARAM);
    const url = (paramsAt < 0 ? rest : rest.slice(0, paramsAt)).trim().replace(/^"(.*)"$/, '$1');
    const entry: RtpInfoEntry = { url };
    for (const param of paramsAt < 0 ? [] : rest.slice(paramsAt + 1).split(';')) {
      const [name = '', raw = ''] = param.split('=').map((part) => part.trim());
      const key = name.toLowerCase();
      if (key === 'seq') entry.seq = integerUpTo(raw, 0xffff) ?? entry.seq;
      if (key === 'rtptime') entry.rtptime = integerUpTo(raw, 0xffffffff) ?? entry.rtptime;
    }
    entries.push(entry);
  }
  return entries;
}

export function formatRtpInfo(entries: RtpInfoEntry[]): string {
  return entries
    .map(({ url, seq, rtptime }) => {
      const parts = [`url=${url}`];
      if (seq !== undefined) parts.push(`seq=${checked('seq', seq, 0xffff)}`);
      if (rtptime !== undefined) parts.push(`rtptime=${checked('rtptime', rtptime, 0xffffffff)}`);
      return parts.join(';');
    })
    .join(',');
}

function integerUpTo(raw: string, max: number): number | undefined {
  const value = Number(raw);
  return DIGITS.test(raw) && value <= max ? value : undefined;
}

function checked(name: string, value: number, max: number): number {
  if (!Number.isInteger(value) || value < 0 || value > max) {
    throw new RtspError(
      `RTP-Info ${name} must be an integer in 0..${max}, got ${value}`,
      ErrorCodes.ERR_RTSP_INVALID_ARGUMENT,
    );
  }
  return value;
}
