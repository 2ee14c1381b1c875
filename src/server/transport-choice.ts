/**
 * Picks the first Transport alternative the server can honour (RFC 2326
 * §12.39: the client lists them in order of preference): unicast RTP/AVP over
 * UDP with a client port pair, or interleaved over the RTSP connection.
 * Multicast and other profiles are declined (→ 461).
 */
import type { TransportSpec } from '../rtsp/transport-header.js';

export type TransportChoice =
  | { lowerTransport: 'tcp'; interleaved: [rtp: number, rtcp: number] }
  | { lowerTransport: 'udp'; clientPort: [rtp: number, rtcp: number] };

const maxChannel = 255;

/** The lowest free even channel pair on the connection (clients that omit `interleaved` leave the choice to us). */
function freeChannelPair(used: ReadonlySet<number>): [number, number] | undefined {
  for (let c = 0; c < maxChannel; c += 2) if (!used.has(c) && !used.has(c + 1)) return [c, c + 1];
  return undefined;
}

function validPort(port: number): boolean {
  return Number.isInteger(port) && port > 0 && port <= 0xffff;
}

export function chooseTransport(
  specs: readonly TransportSpec[],
  usedChannels: ReadonlySet<number>,
): TransportChoice | undefined {
  for (const spec of specs) {
    if (spec.profile.toUpperCase() !== 'RTP/AVP' || spec.multicast) continue;
    if (spec.lowerTransport === 'tcp') {
      const requested = spec.interleaved;
      const free =
        requested &&
        requested[0] >= 0 &&
        requested[1] <= maxChannel &&
        !usedChannels.has(requested[0]) &&
        !usedChannels.has(requested[1]);
      const interleaved = free ? requested : freeChannelPair(usedChannels);
      if (interleaved)
        return { lowerTransport: 'tcp', interleaved: [interleaved[0], interleaved[1]] };
    } else if (spec.clientPort && validPort(spec.clientPort[0]) && validPort(spec.clientPort[1])) {
      return { lowerTransport: 'udp', clientPort: [spec.clientPort[0], spec.clientPort[1]] };
    }
  }
  return undefined;
}
