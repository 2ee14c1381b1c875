/**
 * Out-of-band parameter sets from SDP fmtp: H.264 `sprop-parameter-sets`
 * (RFC 6184 §8.1) and H.265 `sprop-vps`/`sprop-sps`/`sprop-pps` (RFC 7798 §7.1):
 * comma-separated base64 NAL units.
 */

/** RFC 4648 base64; padding is optional because some cameras leave it out. */
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/**
 * The NAL units of a comma-separated base64 list. Empty entries are skipped; any
 * entry that is not base64 makes the whole list unusable (`[]`), so the caller
 * falls back to in-band parameter sets.
 */
function parseBase64NalList(value: string | undefined): Uint8Array[] {
  if (value === undefined) return [];
  const nalUnits: Uint8Array[] = [];
  for (const entry of value.split(',')) {
    const text = entry.trim();
    if (text === '') continue;
    if (!BASE64.test(text) || text.length % 4 === 1) return [];
    // Copied out of Buffer's shared pool so a kept parameter set pins nothing else.
    const nal = Uint8Array.from(Buffer.from(text, 'base64'));
    // One base64 character before the padding (`g=`) decodes to nothing.
    if (nal.length > 0) nalUnits.push(nal);
  }
  return nalUnits;
}

/** H.264 `sprop-parameter-sets`; not base64 → `[]`. */
export function parseSpropParameterSets(value: string | undefined): Uint8Array[] {
  return parseBase64NalList(value);
}

/** H.265 `sprop-vps`, `sprop-sps`, `sprop-pps` (fmtp keys lower-cased). */
export function parseH265Sprops(fmtp: Readonly<Record<string, string>>): {
  vps: Uint8Array[];
  sps: Uint8Array[];
  pps: Uint8Array[];
} {
  return {
    vps: parseBase64NalList(fmtp['sprop-vps']),
    sps: parseBase64NalList(fmtp['sprop-sps']),
    pps: parseBase64NalList(fmtp['sprop-pps']),
  };
}
