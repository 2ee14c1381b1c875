/**
 * What every packetizer returns: RTP payloads in send order. The caller (the
 * embedded server) adds the RTP header, sequence numbers and the timestamp.
 */
export interface RtpPayload {
  payload: Uint8Array;
  /** RTP marker bit: set on the last packet of an access unit (RFC 3550 §5.1). */
  marker: boolean;
}
