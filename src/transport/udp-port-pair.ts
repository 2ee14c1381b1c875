/**
 * A client's RTP/RTCP UDP port pair (RFC 3550 §11: RTP on an even port, RTCP
 * on the next odd one), bound by the OS and kept only if both halves bind.
 * Datagrams are accepted only from the server's address and the server_port
 * pair it announced in the SETUP reply (RFC 2326 §12.39); anything else is
 * counted and dropped, so a stranger cannot inject media.
 */
import dgram from 'node:dgram';
import net from 'node:net';
import { RtspConnectionError } from '../errors.js';
import { formatEndpoint } from './connect.js';

/** Attempts at finding a free even/odd pair before giving up. */
const BIND_ATTEMPTS = 32;
/** Asked of the OS (best effort: Linux caps it at net.core.rmem_max); a 4K I-frame burst is several hundred KiB. */
const RECEIVE_BUFFER_BYTES = 4 * 1024 * 1024;

export type DatagramHandler = (data: Uint8Array) => void;

export interface UdpSource {
  address: string;
  /** server_port from the SETUP reply; undefined accepts any port of `address`. */
  rtpPort: number | undefined;
  rtcpPort: number | undefined;
}

/** The address without an IPv4-mapped IPv6 prefix, for comparisons. */
export function plainAddress(address: string): string {
  return address.startsWith('::ffff:') && net.isIPv4(address.slice(7)) ? address.slice(7) : address;
}

function bindSocket(type: 'udp4' | 'udp6', address: string, port: number): Promise<dgram.Socket> {
  return new Promise((resolve, reject) => {
    const socket = dgram.createSocket({ type, reuseAddr: false });
    const onError = (error: Error): void => {
      socket.close();
      reject(error);
    };
    socket.once('error', onError);
    socket.bind({ address, port, exclusive: true }, () => {
      socket.off('error', onError);
      resolve(socket);
    });
  });
}

export class UdpPortPair {
  readonly #rtp: dgram.Socket;
  readonly #rtcp: dgram.Socket;
  #source: UdpSource | undefined;
  #closed = false;
  /** Datagrams refused because they came from elsewhere than the server's ports. */
  rejected = 0;
  /** Socket errors seen (ICMP port unreachable after a send, for instance). */
  errors = 0;
  onRtp: DatagramHandler | undefined;
  onRtcp: DatagramHandler | undefined;

  private constructor(rtp: dgram.Socket, rtcp: dgram.Socket) {
    this.#rtp = rtp;
    this.#rtcp = rtcp;
    rtp.on('message', (data, remote) => this.#receive(data, remote, false));
    rtcp.on('message', (data, remote) => this.#receive(data, remote, true));
    // A datagram socket's errors (ICMP port unreachable after a send) are not fatal to the session.
    rtp.on('error', () => this.errors++);
    rtcp.on('error', () => this.errors++);
  }

  /** Binds an even RTP port and the odd port after it on `localAddress` (the control connection's local address). */
  static async bind(localAddress: string): Promise<UdpPortPair> {
    const type = net.isIPv6(localAddress) ? 'udp6' : 'udp4';
    let lastError: unknown;
    for (let attempt = 0; attempt < BIND_ATTEMPTS; attempt++) {
      const rtp = await bindSocket(type, localAddress, 0);
      const port = rtp.address().port;
      if (port % 2 === 1 || port === 65535) {
        rtp.close();
        continue;
      }
      try {
        const rtcp = await bindSocket(type, localAddress, port + 1);
        const pair = new UdpPortPair(rtp, rtcp);
        pair.#growReceiveBuffers();
        return pair;
      } catch (error) {
        rtp.close();
        if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE')
          throw bindError(localAddress, error);
        lastError = error;
      }
    }
    throw bindError(localAddress, lastError);
  }

  get rtpPort(): number {
    return this.#rtp.address().port;
  }

  get rtcpPort(): number {
    return this.#rtcp.address().port;
  }

  /** Accept datagrams from `source` only (set once the SETUP reply named the server's ports). */
  acceptFrom(source: UdpSource): void {
    this.#source = { ...source, address: plainAddress(source.address) };
  }

  sendRtp(data: Uint8Array): void {
    this.#send(this.#rtp, data, this.#source?.rtpPort);
  }

  sendRtcp(data: Uint8Array): void {
    this.#send(this.#rtcp, data, this.#source?.rtcpPort);
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#rtp.close();
    this.#rtcp.close();
  }

  #send(socket: dgram.Socket, data: Uint8Array, port: number | undefined): void {
    const source = this.#source;
    if (this.#closed || source === undefined || port === undefined) return;
    // Best effort: a lost hole-punch packet or receiver report is not an error.
    socket.send(data, port, source.address, () => {});
  }

  #receive(data: Buffer, remote: dgram.RemoteInfo, rtcp: boolean): void {
    const source = this.#source;
    const port = rtcp ? source?.rtcpPort : source?.rtpPort;
    if (
      source === undefined ||
      plainAddress(remote.address) !== source.address ||
      (port !== undefined && remote.port !== port)
    ) {
      this.rejected++;
      return;
    }
    const handler = rtcp ? this.onRtcp : this.onRtp;
    // A plain Uint8Array view: the RTP payload and FU bodies are subarrays of it, cheaper than Buffer's.
    handler?.(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
  }

  #growReceiveBuffers(): void {
    for (const socket of [this.#rtp, this.#rtcp]) {
      try {
        socket.setRecvBufferSize(RECEIVE_BUFFER_BYTES);
      } catch {
        // Best effort: the OS default (often 208 KiB) still works for most streams.
      }
    }
  }
}

function bindError(localAddress: string, cause: unknown): RtspConnectionError {
  const code = (cause as NodeJS.ErrnoException | undefined)?.code ?? 'failed';
  return new RtspConnectionError(
    `bind UDP port pair on ${formatEndpoint(localAddress, undefined)}: ${code}`,
    {
      phase: 'SETUP',
      cause,
    },
  );
}
