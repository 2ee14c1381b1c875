/**
 * 64-bit NTP timestamps as RTCP sender reports carry them (RFC 3550 §4): seconds
 * since 1900-01-01 in the high word, a binary fraction of a second in the low word.
 */

/** Seconds from the NTP epoch (1900) to the Unix epoch (1970). */
const NTP_UNIX_OFFSET_S = 2_208_988_800;
const TWO_POW_32 = 0x1_0000_0000;

/**
 * Epoch ms of an NTP timestamp. Era 0 ends on 2036-02-07; following RFC 4330 §3,
 * a high word with its top bit clear is read as era 1 (2036–2104), since era 0
 * values that small (before 1968) never occur in a sender report.
 */
export function ntpToEpochMs(msw: number, lsw: number): number {
  const seconds = msw >>> 0 < 0x8000_0000 ? (msw >>> 0) + TWO_POW_32 : msw >>> 0;
  return (seconds - NTP_UNIX_OFFSET_S) * 1000 + ((lsw >>> 0) * 1000) / TWO_POW_32;
}

/** The NTP timestamp of an epoch ms (fractional ms kept to the fraction's resolution). */
export function epochMsToNtp(ms: number): [msw: number, lsw: number] {
  const wholeSeconds = Math.floor(ms / 1000);
  const fraction = Math.floor(((ms - wholeSeconds * 1000) * TWO_POW_32) / 1000);
  return [(wholeSeconds + NTP_UNIX_OFFSET_S) % TWO_POW_32, Math.min(fraction, TWO_POW_32 - 1)];
}
