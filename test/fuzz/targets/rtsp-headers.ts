/**
 * The header-value parsers of src/rtsp, chosen by the first input byte, on the
 * rest read as UTF-8 text. Only RtspError may be thrown; what they return must
 * be in range, format back to text that parses the same (Transport, RTP-Info),
 * and never leave a password in a redacted URL.
 */
import { parseWwwAuthenticate } from '../../../src/rtsp/auth-challenge.js';
import { parseNptRange } from '../../../src/rtsp/range.js';
import { formatRtpInfo, parseRtpInfo } from '../../../src/rtsp/rtp-info.js';
import { parseSessionHeader } from '../../../src/rtsp/session-header.js';
import { formatTransport, parseTransport } from '../../../src/rtsp/transport-header.js';
import { parseRtspUrl, redactUrl } from '../../../src/rtsp/url.js';
import { bucket, expectedErrorFeature, inputText, invariant, type FuzzTarget } from '../target.js';

type HeaderParser = (text: string) => string[];

/** JSON with keys sorted, to compare parsed values whatever order their fields were found in. */
const canonical = (value: unknown): string =>
  JSON.stringify(value, (_key, field: unknown) =>
    field !== null && typeof field === 'object' && !Array.isArray(field)
      ? Object.fromEntries(Object.entries(field).sort(([a], [b]) => a.localeCompare(b)))
      : field,
  );

const isUint = (value: number | undefined, max: number): boolean =>
  value === undefined || (Number.isInteger(value) && value >= 0 && value <= max);

const PARSERS: readonly [name: string, run: HeaderParser][] = [
  [
    'www-authenticate',
    (text) => {
      // Each line is one WWW-Authenticate field, as a 401 may carry several.
      const challenges = parseWwwAuthenticate(text.split('\n'));
      return challenges.map(
        (c) =>
          `${c.scheme}:${c.algorithm}:${c.qop === undefined ? '-' : bucket(c.qop.length)}:${c.stale}:${c.userhash}:${c.nonce === undefined}`,
      );
    },
  ],
  [
    'transport',
    (text) => {
      const specs = parseTransport(text);
      for (const spec of specs) {
        for (const [name, pair, max] of [
          ['interleaved', spec.interleaved, 0xff],
          ['client_port', spec.clientPort, 0xffff],
          ['server_port', spec.serverPort, 0xffff],
          ['port', spec.port, 0xffff],
        ] as const) {
          invariant(
            pair === undefined || (isUint(pair[0], max) && isUint(pair[1], max)),
            () => `Transport ${name} ${pair?.join('-')} out of range`,
          );
        }
        invariant(
          isUint(spec.ssrc, 0xffffffff) && isUint(spec.ttl, 255),
          () => `Transport ssrc ${spec.ssrc} / ttl ${spec.ttl} out of range`,
        );
        const formatted = formatTransport(spec);
        const [again] = parseTransport(formatted);
        invariant(
          canonical(again) === canonical(spec),
          () =>
            `Transport does not round-trip: ${JSON.stringify(spec)} → ${formatted} → ${JSON.stringify(again)}`,
        );
      }
      return specs.map((s) => `${s.lowerTransport}:${s.multicast}:${Object.keys(s).length}`);
    },
  ],
  [
    'session',
    (text) => {
      const { id, timeoutSec, timeoutInvalid } = parseSessionHeader(text);
      invariant(id !== '' && !id.includes(';'), () => `Session id ${JSON.stringify(id)}`);
      invariant(
        timeoutSec === undefined || (Number.isSafeInteger(timeoutSec) && timeoutSec > 0),
        () => `Session timeout ${timeoutSec}`,
      );
      return [`${timeoutSec === undefined}:${timeoutInvalid}`];
    },
  ],
  [
    'rtp-info',
    (text) => {
      const entries = parseRtpInfo(text);
      for (const entry of entries) {
        invariant(
          isUint(entry.seq, 0xffff) && isUint(entry.rtptime, 0xffffffff),
          () => `RTP-Info seq ${entry.seq} rtptime ${entry.rtptime} out of range`,
        );
      }
      if (entries.length > 0) {
        const formatted = formatRtpInfo(entries);
        const again = parseRtpInfo(formatted);
        invariant(
          canonical(again) === canonical(entries),
          () =>
            `RTP-Info does not round-trip: ${JSON.stringify(entries)} → ${formatted} → ${JSON.stringify(again)}`,
        );
      }
      return entries.map(
        (e) => `${e.seq === undefined}:${e.rtptime === undefined}:${e.url === ''}`,
      );
    },
  ],
  [
    'url',
    (text) => {
      const url = parseRtspUrl(text);
      invariant(
        url.host !== '' && Number.isInteger(url.port) && url.port > 0 && url.port <= 0xffff,
        () => `URL host ${url.host} port ${url.port}`,
      );
      invariant(url.url.username === '' && url.url.password === '', () => 'URL keeps credentials');
      checkRedacted(text);
      return [
        `${url.secure}:${url.username === undefined}:${url.password === undefined}:${url.url.pathname === '/'}`,
      ];
    },
  ],
  [
    'npt-range',
    (text) => {
      const range = parseNptRange(text);
      if (range === undefined) return ['none'];
      const { start, end } = range;
      invariant(
        Number.isFinite(start) &&
          start >= 0 &&
          (end === undefined || (Number.isFinite(end) && end >= 0)),
        () => `npt range ${start}-${end}`,
      );
      return [`${end === undefined}`];
    },
  ],
];

/** A password given as `scheme://user:password@host` never survives redaction (url.ts). */
function checkRedacted(text: string): void {
  const authority = /^\s*rtsps?:\/\/([^/?#]*)/i.exec(text)?.[1] ?? '';
  const at = authority.lastIndexOf('@');
  const colon = authority.indexOf(':');
  if (at < 0 || colon < 0 || colon > at) return;
  const password = authority.slice(colon + 1, at);
  const rest = text.replace(authority, '');
  if (password.length < 3 || rest.includes(password)) return;
  invariant(
    !redactUrl(text).includes(password),
    () => `redactUrl leaves the password in ${JSON.stringify(redactUrl(text))}`,
  );
}

export const rtspHeadersTarget: FuzzTarget = {
  name: 'rtsp-headers',
  inputFormat: `byte 0 modulo ${PARSERS.length} picks the parser (${PARSERS.map(([name]) => name).join(', ')}); the rest is the header value as UTF-8`,
  // A folded header value can be as long as a message head (maxHeadBytes).
  maxInputBytes: 64 * 1024,
  controlBytes: 1,
  dictionary: [
    'Digest ',
    'Basic ',
    'realm="',
    'nonce="',
    'algorithm=',
    'MD5-sess',
    'SHA-256',
    'qop="auth,auth-int"',
    'stale=TRUE',
    'userhash=true',
    '=',
    '"',
    '\\',
    ',',
    'RTP/AVP/TCP;unicast;interleaved=0-1',
    'RTP/AVP;unicast;client_port=5000-5001;server_port=6970-6971',
    'ssrc=',
    'mode="PLAY"',
    'multicast',
    'ttl=',
    'destination=',
    'source=',
    ';',
    ';timeout=60',
    'url=rtsp://h/t;seq=1;rtptime=2',
    'url=',
    'seq=',
    'rtptime=',
    'npt=',
    'now-',
    '0.5-',
    '1:02:03.4',
    '-',
    'rtsp://',
    'rtsps://',
    'user:p@ss@',
    '[::1]',
    ':554',
    '%40',
    '%',
    '65535',
    '4294967295',
    '99999999999999999999',
  ],
  execute(input) {
    const [name, run] = PARSERS[(input[0] ?? 0) % PARSERS.length]!; // modulo the length
    try {
      return run(inputText(input, 1)).map((feature) => `${name}:${feature}`);
    } catch (error) {
      return [expectedErrorFeature(error, name)];
    }
  },
};
