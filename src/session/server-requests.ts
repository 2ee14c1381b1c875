/**
 * Requests the server sends to the client on the RTSP connection (RFC 2326
 * §10: OPTIONS, ANNOUNCE, GET_PARAMETER, SET_PARAMETER, REDIRECT). Each gets
 * an answer with its CSeq echoed (§12.17); none is ever a protocol error.
 */
import type { RtspRequest } from '../rtsp/message.js';

/** The methods the client answers with 200. */
export const CLIENT_SUPPORTED_METHODS = [
  'OPTIONS',
  'ANNOUNCE',
  'GET_PARAMETER',
  'SET_PARAMETER',
  'REDIRECT',
] as const;

export interface ServerRequestAnswer {
  status: number;
  headers: Record<string, string>;
  /** REDIRECT (§10.10): the session must move to this URL; ANNOUNCE (§10.3): the description changed. */
  notice: { kind: 'redirect'; location: string | undefined } | { kind: 'announce' } | undefined;
}

export function answerServerRequest(request: RtspRequest): ServerRequestAnswer {
  const headers: Record<string, string> = {};
  const cseq = request.headers.get('cseq');
  if (cseq !== undefined) headers.CSeq = cseq;
  const session = request.headers.get('session');
  if (session !== undefined) headers.Session = session;
  const method = request.method.toUpperCase();
  switch (method) {
    case 'OPTIONS':
      return {
        status: 200,
        headers: { ...headers, Public: CLIENT_SUPPORTED_METHODS.join(', ') },
        notice: undefined,
      };
    case 'GET_PARAMETER':
    case 'SET_PARAMETER':
      // An empty GET_PARAMETER is a ping; parameters the client does not keep are not worth a 451.
      return { status: 200, headers, notice: undefined };
    case 'ANNOUNCE':
      return { status: 200, headers, notice: { kind: 'announce' } };
    case 'REDIRECT':
      return {
        status: 200,
        headers,
        notice: { kind: 'redirect', location: request.headers.get('location') },
      };
    default:
      return { status: 501, headers, notice: undefined };
  }
}
