/**
 * parseRtcpCompound never throws: it returns the packets before any problem
 * and the error with a position inside the data. SR, RR, BYE (one source) and
 * SDES (one CNAME) written back by our serializers parse to the same packet.
 */
import { RtspProtocolError } from '../../../src/errors.js';
import {
  parseRtcpCompound,
  serializeBye,
  serializeReceiverReport,
  serializeSdes,
  serializeSenderReport,
  type RtcpPacket,
} from '../../../src/rtp/rtcp.js';
import { bucket, invariant, messageShape, type FuzzTarget } from '../target.js';

const utf8 = new TextEncoder();

export const rtcpTarget: FuzzTarget = {
  name: 'rtcp',
  inputFormat:
    'one compound RTCP packet (a UDP datagram or an interleaved frame on the RTCP channel)',
  maxInputBytes: 16 * 1024,
  controlBytes: 0,
  dictionary: [
    Uint8Array.of(0x80, 0xc8, 0x00, 0x06),
    Uint8Array.of(0x81, 0xc9, 0x00, 0x07),
    Uint8Array.of(0x81, 0xca, 0x00, 0x03),
    Uint8Array.of(0x81, 0xcb, 0x00, 0x01),
    Uint8Array.of(0xa0),
    Uint8Array.of(0x01, 0x04),
    Uint8Array.of(0x00, 0x00, 0x00, 0x00),
    Uint8Array.of(0xff, 0xff),
  ],
  execute(input) {
    const { packets, error } = parseRtcpCompound(input);
    const features = packets.map(
      (packet) =>
        `${packet.kind}:${packet.packetType}:${'reports' in packet ? bucket(packet.reports.length) : ''}`,
    );
    if (error !== undefined) {
      invariant(error instanceof RtspProtocolError, () => 'error is not an RtspProtocolError');
      invariant(
        error.position !== undefined && error.position >= 0 && error.position <= input.length,
        () => `error position ${error.position} outside ${input.length} bytes`,
      );
      features.push(`error:${messageShape(error.message)}`);
    }
    for (const packet of packets) checkRoundTrip(packet);
    return features;
  },
};

function checkRoundTrip(packet: RtcpPacket): void {
  const written = reserialize(packet);
  if (written === undefined) return;
  const { packets, error } = parseRtcpCompound(written);
  const again = packets[0];
  invariant(
    error === undefined && packets.length === 1 && JSON.stringify(again) === JSON.stringify(packet),
    () =>
      `${packet.kind} does not round-trip: ${JSON.stringify(packet)} → ${JSON.stringify(again)} ${error?.message ?? ''}`,
  );
}

/** What our serializers can write of `packet`: every SR and RR, a one-source BYE, a one-CNAME SDES. */
function reserialize(packet: RtcpPacket): Uint8Array | undefined {
  switch (packet.kind) {
    case 'sr':
      return serializeSenderReport(packet);
    case 'rr':
      return serializeReceiverReport(packet);
    case 'bye': {
      const [ssrc] = packet.ssrcs;
      if (
        ssrc === undefined ||
        packet.ssrcs.length > 1 ||
        utf8.encode(packet.reason ?? '').length > 255
      )
        return undefined;
      return serializeBye(ssrc, packet.reason);
    }
    case 'sdes': {
      const [chunk] = packet.chunks;
      if (
        chunk?.cname === undefined ||
        packet.chunks.length > 1 ||
        utf8.encode(chunk.cname).length > 255
      )
        return undefined;
      return serializeSdes(chunk.ssrc, chunk.cname);
    }
    case 'other':
      return undefined;
  }
}
