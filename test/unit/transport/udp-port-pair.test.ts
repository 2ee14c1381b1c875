import dgram from 'node:dgram';
import { describe, expect, it } from 'vitest';
import { UdpPortPair, plainAddress } from '../../../src/transport/udp-port-pair.js';

async function sender(): Promise<dgram.Socket> {
  const socket = dgram.createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  return socket;
}

function send(socket: dgram.Socket, port: number, text: string): Promise<void> {
  return new Promise((resolve, reject) =>
    socket.send(text, port, '127.0.0.1', (error) => (error ? reject(error) : resolve())),
  );
}

describe('UdpPortPair', () => {
  it('binds an even RTP port and the odd RTCP port after it', async () => {
    const pairs = await Promise.all([UdpPortPair.bind('127.0.0.1'), UdpPortPair.bind('127.0.0.1')]);
    for (const pair of pairs) {
      expect(pair.rtpPort % 2).toBe(0);
      expect(pair.rtcpPort).toBe(pair.rtpPort + 1);
    }
    expect(pairs[0].rtpPort).not.toBe(pairs[1].rtpPort);
    for (const pair of pairs) pair.close();
  });

  it('accepts datagrams only from the server address and ports it announced', async () => {
    const pair = await UdpPortPair.bind('127.0.0.1');
    const serverRtp = await sender();
    const serverRtcp = await sender();
    const stranger = await sender();
    const rtp: string[] = [];
    const rtcp: string[] = [];
    pair.onRtp = (data) => rtp.push(Buffer.from(data).toString());
    pair.onRtcp = (data) => rtcp.push(Buffer.from(data).toString());
    pair.acceptFrom({
      address: '127.0.0.1',
      rtpPort: serverRtp.address().port,
      rtcpPort: serverRtcp.address().port,
    });
    await send(serverRtp, pair.rtpPort, 'media');
    await send(stranger, pair.rtpPort, 'injected');
    await send(serverRtcp, pair.rtcpPort, 'report');
    await send(serverRtp, pair.rtcpPort, 'wrong port');
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(rtp).toEqual(['media']);
    expect(rtcp).toEqual(['report']);
    expect(pair.rejected).toBe(2);
    pair.close();
    for (const socket of [serverRtp, serverRtcp, stranger]) socket.close();
  });

  it('sends to the server ports (hole punching, receiver reports)', async () => {
    const pair = await UdpPortPair.bind('127.0.0.1');
    const server = await sender();
    const received = new Promise<{ text: string; port: number }>((resolve) =>
      server.once('message', (data, remote) =>
        resolve({ text: data.toString(), port: remote.port }),
      ),
    );
    pair.acceptFrom({ address: '127.0.0.1', rtpPort: server.address().port, rtcpPort: undefined });
    pair.sendRtcp(new Uint8Array([1])); // no RTCP port announced: nothing sent
    pair.sendRtp(Buffer.from('punch'));
    expect(await received).toEqual({ text: 'punch', port: pair.rtpPort });
    pair.close();
    server.close();
  });

  it('compares IPv4-mapped IPv6 addresses as IPv4', () => {
    expect(plainAddress('::ffff:127.0.0.1')).toBe('127.0.0.1');
    expect(plainAddress('::1')).toBe('::1');
  });
});
