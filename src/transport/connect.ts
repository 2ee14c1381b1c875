/**
 * Opening the RTSP control connection: TCP, or TLS for rtsps:// (RFC 7826
 * §19.2, certificate verification on unless the caller turns it off).
 * `Connector` is injectable (as undici's `connect`): tests hand the session a
 * fake duplex and need no network.
 */
import net from 'node:net';
import tls from 'node:tls';
import type { Duplex } from 'node:stream';
import { RtspAbortError, RtspConnectionError, RtspTimeoutError } from '../errors.js';

export interface TlsOptions {
  /** Trusted CA certificates (PEM), replacing Node's defaults when given. */
  ca?: string | Buffer | (string | Buffer)[];
  /** Verify the server certificate and host name (default true). */
  rejectUnauthorized?: boolean;
}

export interface ConnectRequest {
  host: string;
  port: number;
  /** rtsps: wrap the connection in TLS. */
  secure: boolean;
  /** Host name the certificate must match (the URL's host, also when dialling `connectTo`). */
  servername: string;
  tls: TlsOptions | undefined;
  timeoutMs: number;
  signal: AbortSignal;
}

/** What the session needs from a connection: a duplex plus, when known, its addresses. */
export type RtspSocket = Duplex & {
  readonly localAddress?: string | undefined;
  readonly localPort?: number | undefined;
  readonly remoteAddress?: string | undefined;
  readonly remotePort?: number | undefined;
};

export type Connector = (request: ConnectRequest) => Promise<RtspSocket>;

/** `host:port`, IPv6 in brackets. */
export function formatEndpoint(host: string, port: number | undefined): string {
  const printable = host.includes(':') ? `[${host}]` : host;
  return port === undefined ? printable : `${printable}:${port}`;
}

/** The default connector: node:net, or node:tls for rtsps. */
export const connectSocket: Connector = (request) =>
  new Promise<RtspSocket>((resolve, reject) => {
    const endpoint = formatEndpoint(request.host, request.port);
    if (request.signal.aborted) {
      reject(new RtspAbortError(`connect to ${endpoint} aborted`, { phase: 'connect' }));
      return;
    }
    const socket = request.secure
      ? tls.connect({
          host: request.host,
          port: request.port,
          // SNI takes host names only (RFC 6066 §3).
          servername: net.isIP(request.servername) === 0 ? request.servername : undefined,
          ca: request.tls?.ca,
          rejectUnauthorized: request.tls?.rejectUnauthorized ?? true,
        })
      : net.connect({ host: request.host, port: request.port });
    const readyEvent = request.secure ? 'secureConnect' : 'connect';
    // Over TLS, an error after the TCP handshake is a TLS failure (certificate, protocol).
    let tcpConnected = false;
    socket.once('connect', () => (tcpConnected = true));

    const settle = (error: Error | undefined): void => {
      clearTimeout(timer);
      request.signal.removeEventListener('abort', onAbort);
      socket.off('error', onError);
      socket.off(readyEvent, onReady);
      if (error === undefined) {
        resolve(socket);
      } else {
        socket.on('error', ignoreLateError);
        socket.destroy();
        reject(error);
      }
    };
    const onReady = (): void => {
      socket.setNoDelay(true);
      settle(undefined);
    };
    const onError = (error: NodeJS.ErrnoException & { address?: string; port?: number }): void => {
      const step = request.secure && tcpConnected ? 'tls' : 'connect';
      const address = formatEndpoint(error.address ?? request.host, error.port ?? request.port);
      const what = error.code ?? error.message;
      const detail = step === 'tls' && error.code !== undefined ? `: ${error.message}` : '';
      settle(
        new RtspConnectionError(`${step} ${what} ${address}${detail}`, {
          phase: 'connect',
          cause: error,
        }),
      );
    };
    const onAbort = (): void =>
      settle(new RtspAbortError(`connect to ${endpoint} aborted`, { phase: 'connect' }));
    const timer = setTimeout(
      () =>
        settle(
          new RtspTimeoutError(
            `connect to ${endpoint} timed out after ${request.timeoutMs} ms`,
            request.timeoutMs,
            {
              phase: 'connect',
            },
          ),
        ),
      request.timeoutMs,
    );
    socket.once(readyEvent, onReady);
    socket.on('error', onError);
    request.signal.addEventListener('abort', onAbort, { once: true });
  });

/** A socket being discarded may still report the error that made us discard it. */
function ignoreLateError(): void {}
