/**
 * What the client offers in SETUP and takes from the answer: the Transport
 * header (RFC 2326 §12.39) and the Session header (§12.37).
 */
import { RtspProtocolError } from '../errors.js';
import { parseSessionHeader } from '../rtsp/session-header.js';
import { parseTransport, type TransportSpec } from '../rtsp/transport-header.js';
import type { Exchange } from './requester.js';

/** Interleaved channels 2i/2i+1 for the i-th track set up, or the UDP port pair. */
export function transportOffer(position: number, ports?: { rtp: number; rtcp: number }): string {
  return ports === undefined
    ? `RTP/AVP/TCP;unicast;interleaved=${2 * position}-${2 * position + 1}`
    : `RTP/AVP;unicast;client_port=${ports.rtp}-${ports.rtcp}`;
}

function setupError(exchange: Exchange, problem: string, cause?: unknown): RtspProtocolError {
  return new RtspProtocolError(`SETUP ${exchange.response.status}: ${problem}`, {
    phase: 'SETUP',
    method: 'SETUP',
    cseq: exchange.cseq,
    cause,
  });
}

/** The transport the server chose; a server that omits the header accepted the offer as it was. */
export function transportReply(exchange: Exchange, offer: string): TransportSpec {
  try {
    const [reply] = parseTransport(exchange.response.headers.get('transport') ?? offer);
    return reply!; // parseTransport returns at least one or throws
  } catch (error) {
    throw setupError(exchange, 'unusable Transport header', error);
  }
}

export interface SessionReply {
  id: string;
  timeoutSec: number | undefined;
  timeoutInvalid: boolean;
}

/** The Session header of a SETUP answer; the first SETUP must carry one. */
export function sessionReply(exchange: Exchange, haveSession: boolean): SessionReply | undefined {
  const value = exchange.response.headers.get('session');
  if (value === undefined) {
    if (haveSession) return undefined;
    throw setupError(exchange, 'no Session header in the reply (RFC 2326 §12.37)');
  }
  try {
    return parseSessionHeader(value);
  } catch (error) {
    throw setupError(exchange, 'unusable Session header', error);
  }
}
