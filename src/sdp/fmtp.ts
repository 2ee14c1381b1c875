/**
 * Format parameters (`a=fmtp:<pt> <params>`, RFC 4566 §6): `key=value` pairs
 * separated by ';'. Keys are case-insensitive in every payload format rtspkit
 * reads (RFC 6184 §8.1, RFC 3640 §4.1), so they are lower-cased; values keep
 * their case and any '=' inside them (base64 padding in sprop-parameter-sets).
 */
export function parseFmtp(value: string): Record<string, string> {
  const parameters = new Map<string, string>();
  for (const part of value.split(';')) {
    const item = part.trim();
    if (item === '') continue;
    const equals = item.indexOf('=');
    // A bare token (e.g. telephone-event's `0-15`) is kept as a key with an empty value.
    const key = (equals < 0 ? item : item.slice(0, equals)).trim().toLowerCase();
    if (key === '' || parameters.has(key)) continue;
    parameters.set(key, equals < 0 ? '' : item.slice(equals + 1).trim());
  }
  // fromEntries makes own properties: a peer's `__proto__` or `constructor` key is just a key.
  return Object.fromEntries(parameters);
}
