/**
 * The Transport header (RFC 2326 §12.39): how RTP flows, offered by the client
 * in SETUP (alternatives separated by commas) and answered by the server.
 * Read tolerantly (`client_port=5000` means 5000-5001, unknown parameters are
 * ignored); a value that cannot be understood is an RtspProtocolError.
 */
import { RtspProtocolError } from '../errors.js';

export interface TransportSpec {
  /** transport/profile, e.g. `RTP/AVP`, `RTP/SAVP`. */
  profile: string;
  lowerTransport: 'udp' | 'tcp';
  multicast: boolean;
  interleaved?: [number, number];
  clientPort?: [number, number];
  serverPort?: [number, number];
  /** Multicast port pair (`port=`). */
  port?: [number, number];
  source?: string;
  destination?: string;
  /** From hex (`ssrc=` is 8 hex digits). */
  ssrc?: number;
  /** Unquoted, e.g. `PLAY`, `RECORD`. */
  mode?: string;
  ttl?: number;
}

const PROTOCOL = /^([A-Za-z0-9]+\/[A-Za-z0-9]+)(?:\/([A-Za-z]+))?$/;
const RANGE = /^(\d{1,5})(?:\s*-\s*(\d{1,5}))?$/;
const HEX = /^[0-9a-f]+$/i;
const DECIMAL = /^\d{1,3}$/;

export function parseTransport(value: string): TransportSpec[] {
  const specs = value
    .split(',')
    .map((spec) => spec.trim())
    .filter((spec) => spec !== '')
    .map(parseSpec);
  if (specs.length === 0) throw transportError('empty Transport header');
  return specs;
}

export function formatTransport(spec: TransportSpec): string {
  const parts = [
    spec.lowerTransport === 'tcp' ? `${spec.profile}/TCP` : spec.profile,
    spec.multicast ? 'multicast' : 'unicast',
  ];
  if (spec.destination !== undefined) parts.push(`destination=${spec.destination}`);
  if (spec.source !== undefined) parts.push(`source=${spec.source}`);
  if (spec.interleaved !== undefined) parts.push(`interleaved=${spec.interleaved.join('-')}`);
  if (spec.ttl !== undefined) parts.push(`ttl=${spec.ttl}`);
  if (spec.port !== undefined) parts.push(`port=${spec.port.join('-')}`);
  if (spec.clientPort !== undefined) parts.push(`client_port=${spec.clientPort.join('-')}`);
  if (spec.serverPort !== undefined) parts.push(`server_port=${spec.serverPort.join('-')}`);
  if (spec.ssrc !== undefined)
    parts.push(`ssrc=${(spec.ssrc >>> 0).toString(16).toUpperCase().padStart(8, '0')}`);
  if (spec.mode !== undefined) parts.push(`mode=${spec.mode}`);
  return parts.join(';');
}

function parseSpec(text: string): TransportSpec {
  const [protocol = '', ...params] = text.split(';').map((part) => part.trim());
  const match = PROTOCOL.exec(protocol);
  const lower = match?.[2]?.toLowerCase() ?? 'udp';
  if (match === null || (lower !== 'udp' && lower !== 'tcp'))
    throw transportError(`unknown transport ${JSON.stringify(protocol)}`);
  const spec: TransportSpec = {
    profile: match[1]!.toUpperCase(),
    lowerTransport: lower,
    multicast: false,
  }; // group of a match
  for (const param of params) {
    const equals = param.indexOf('=');
    const name = (equals < 0 ? param : param.slice(0, equals)).trim().toLowerCase();
    const raw = equals < 0 ? undefined : unquote(param.slice(equals + 1).trim()).trim();
    if (name === 'multicast' || name === 'unicast') {
      spec.multicast = name === 'multicast';
      continue;
    }
    if (raw === undefined) continue; // flags such as `append`
    switch (name) {
      case 'interleaved':
        spec.interleaved = range(name, raw, 0xff);
        break;
      case 'client_port':
        spec.clientPort = range(name, raw, 0xffff);
        break;
      case 'server_port':
        spec.serverPort = range(name, raw, 0xffff);
        break;
      case 'port':
        spec.port = range(name, raw, 0xffff);
        break;
      case 'source':
        spec.source = raw;
        break;
      case 'destination':
        spec.destination = raw;
        break;
      case 'ssrc':
        spec.ssrc = ssrc(raw);
        break;
      case 'mode':
        spec.mode = raw;
        break;
      case 'ttl':
        spec.ttl = ttl(raw);
        break;
    }
  }
  return spec;
}

/** `a-b`, or a lone `a` meaning `a-(a+1)` (the RTP/RTCP pair, RFC 3550 §11). */
function range(name: string, raw: string, max: number): [number, number] {
  const match = RANGE.exec(raw);
  const first = Number(match?.[1]);
  const second = match?.[2] === undefined ? first + 1 : Number(match[2]);
  if (match === null || first > max || second > max)
    throw transportError(`invalid ${name} ${JSON.stringify(raw)}`);
  return [first, second];
}

function ssrc(raw: string): number {
  // Some servers pad the SSRC with leading zeros beyond 8 digits.
  const digits = raw.replace(/^0+(?=.)/, '');
  if (!HEX.test(digits) || digits.length > 8)
    throw transportError(`invalid ssrc ${JSON.stringify(raw)}`);
  return parseInt(digits, 16);
}

function ttl(raw: string): number {
  const value = Number(raw);
  if (!DECIMAL.test(raw) || value > 255) throw transportError(`invalid ttl ${JSON.stringify(raw)}`);
  return value;
}

function unquote(text: string): string {
  return text.length >= 2 && text.startsWith('"') && text.endsWith('"') ? text.slice(1, -1) : text;
}

function transportError(problem: string): RtspProtocolError {
  return new RtspProtocolError(`Transport header: ${problem}`);
}
