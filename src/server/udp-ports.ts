/**
 * Binds the server's RTP/RTCP UDP port pair for one track. The OS picks the
 * port; RFC 3550 §11 wants RTP on an even port and RTCP on the next one, so
 * an odd pick or a taken neighbour means closing and asking again.
 */
import dgram, { type Socket } from 'node:dgram';
import { ErrorCodes, RtspError } from '../errors.js';

const attempts = 32;

function bind(socket: Socket, port: number, host: string): Promise<boolean> {
  return new Promise((resolve) => {
    const onError = (): void => resolve(false);
    socket.once('error', onError);
    socket.bind(port, host, () => {
      socket.off('error', onError);
      resolve(true);
    });
  });
}

export async function bindUdpPortPair(host: string): Promise<[rtp: Socket, rtcp: Socket]> {
  const type = host.includes(':') ? 'udp6' : 'udp4';
  for (let i = 0; i < attempts; i++) {
    const rtp = dgram.createSocket(type);
    if (!(await bind(rtp, 0, host))) {
      rtp.close();
      break;
    }
    const port = rtp.address().port;
    if (port % 2 === 0) {
      const rtcp = dgram.createSocket(type);
      if (await bind(rtcp, port + 1, host)) return [rtp, rtcp];
      rtcp.close();
    }
    rtp.close();
  }
  throw new RtspError(`no free UDP port pair on ${host}`, ErrorCodes.ERR_RTSP_CONNECTION);
}
