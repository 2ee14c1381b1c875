import type { RtspHeaders } from './headers.js';

/** A status line, its headers and body (RFC 2326 §7). */
export interface RtspResponse {
  kind: 'response';
  /** Protocol token as sent, e.g. `RTSP/1.0`. */
  version: string;
  status: number;
  /** Reason phrase, empty when the server sent none. */
  reason: string;
  headers: RtspHeaders;
  /** Empty when there is no Content-Length. */
  body: Uint8Array;
}

/** A request line, its headers and body (RFC 2326 §6); servers send these too (§10.1 OPTIONS, §10.8 GET_PARAMETER, ...). */
export interface RtspRequest {
  kind: 'request';
  /** Method token as sent (case kept). */
  method: string;
  uri: string;
  /** Protocol token as sent, e.g. `RTSP/1.0`. */
  version: string;
  headers: RtspHeaders;
  body: Uint8Array;
}

/** Binary data on the RTSP connection, `$` channel length data (RFC 2326 §10.12). */
export interface InterleavedFrame {
  kind: 'interleaved';
  channel: number;
  /** Never overwritten by the parser; a view of the pushed chunk when the frame lay inside one. */
  data: Uint8Array;
}

export type RtspMessage = RtspResponse | RtspRequest | InterleavedFrame;
