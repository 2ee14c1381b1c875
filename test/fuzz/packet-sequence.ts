/**
 * Inputs that are a sequence of packets, so byte mutations explore packet
 * sequences (order, loss, sizes) and not just one packet: after the target's
 * control bytes, each packet is a 16-bit big-endian length, a flags byte (its
 * meaning is the target's) and the payload. A length running past the input
 * takes what is left, so truncation still leaves a last packet to look at.
 */
const PACKET_HEADER_BYTES = 3;

export interface FuzzPacket {
  flags: number;
  /** A view into the input. */
  payload: Uint8Array;
}

export function decodePackets(input: Uint8Array, from: number): FuzzPacket[] {
  const packets: FuzzPacket[] = [];
  let at = from;
  while (at + PACKET_HEADER_BYTES <= input.length) {
    const length = (input[at]! << 8) | input[at + 1]!; // at + 3 <= length
    const flags = input[at + 2]!;
    const start = at + PACKET_HEADER_BYTES;
    const end = Math.min(start + length, input.length);
    packets.push({ flags, payload: input.subarray(start, end) });
    at = end;
  }
  return packets;
}

/** The input for `control` bytes then `packets`; payloads over 65535 bytes are an error of the caller. */
export function encodePackets(
  control: readonly number[],
  packets: readonly FuzzPacket[],
): Uint8Array {
  let length = control.length;
  for (const packet of packets) length += PACKET_HEADER_BYTES + packet.payload.length;
  const out = new Uint8Array(length);
  out.set(control, 0);
  let at = control.length;
  for (const { flags, payload } of packets) {
    if (payload.length > 0xffff) throw new RangeError(`packet of ${payload.length} bytes`);
    out[at] = payload.length >> 8;
    out[at + 1] = payload.length & 0xff;
    out[at + 2] = flags;
    out.set(payload, at + PACKET_HEADER_BYTES);
    at += PACKET_HEADER_BYTES + payload.length;
  }
  return out;
}
