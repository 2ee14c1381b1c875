/**
 * The listener of the embedded file server: accepts connections, owns the
 * shared state (resolver, media cache, sessions) and shuts everything down.
 */
import { randomBytes } from 'node:crypto';
import { stat } from 'node:fs/promises';
import net from 'node:net';
import { ErrorCodes, RtspError } from '../errors.js';
import { defaultSocketBufferLimits } from './bounded-socket-writer.js';
import { MediaLibrary } from './media/media-library.js';
import { resolveServeOptions, type ServeOptions } from './options.js';
import { ResourceResolver } from './resource-resolver.js';
import { RtspConnection } from './rtsp-connection.js';
import { ServerAuth } from './server-auth.js';
import type { ServerContext } from './server-context.js';
import { SessionRegistry, type SessionStats } from './session-registry.js';

export interface RtspFileServer {
  readonly port: number;
  readonly host: string;
  /** `rtsp://host:port/<path>`, each path segment percent-encoded. */
  url(path: string): string;
  /** Ends every session and connection, then stops listening. */
  close(): Promise<void>;
  /** Counters for tests and diagnostics. */
  readonly stats: Readonly<SessionStats>;
}

/** Hosts in URLs: IPv6 literals need brackets (RFC 3986 §3.2.2). */
const urlHost = (host: string): string => (host.includes(':') ? `[${host}]` : host);

/** Serves the media files under `root` over RTSP until close(). */
export async function serve(root: string, options?: ServeOptions): Promise<RtspFileServer> {
  const resolved = resolveServeOptions(options);
  const info = await stat(root).catch(() => undefined);
  if (!info?.isDirectory())
    throw new RtspError(
      `serve: root ${JSON.stringify(root)} is not a directory`,
      ErrorCodes.ERR_RTSP_INVALID_ARGUMENT,
    );
  const now = (): number => performance.now();
  const sessions = new SessionRegistry(resolved.sessionTimeoutSec * 1000, now, (session) =>
    resolved.logger.info({ session: session.id, file: session.resource.name }, 'session timed out'),
  );
  const ctx: ServerContext = {
    options: resolved,
    resolver: new ResourceResolver(root),
    library: new MediaLibrary(resolved.mtu),
    sessions,
    auth: resolved.auth && new ServerAuth(resolved.auth),
    cname: `rtspkit-${randomBytes(4).toString('hex')}@${resolved.host}`,
    now,
  };
  const limits = {
    ...defaultSocketBufferLimits,
    softLimitBytes: resolved.clientBufferBytes,
    hardLimitBytes: 4 * resolved.clientBufferBytes,
  };
  const connections = new Set<RtspConnection>();
  const listener = net.createServer({ allowHalfOpen: true }, (socket) => {
    const connection = new RtspConnection(socket, ctx, limits);
    connections.add(connection);
    socket.on('close', () => connections.delete(connection));
  });
  await new Promise<void>((resolve, reject) => {
    listener.once('error', (err) =>
      reject(
        new RtspError(
          `serve: cannot listen on ${resolved.host}:${resolved.port}`,
          ErrorCodes.ERR_RTSP_CONNECTION,
          { cause: err },
        ),
      ),
    );
    listener.listen(resolved.port, resolved.host, resolve);
  });
  const address = listener.address();
  const port = typeof address === 'object' && address ? address.port : resolved.port;
  resolved.logger.info({ root, host: resolved.host, port }, 'rtsp file server listening');

  return {
    port,
    host: resolved.host,
    url: (path) =>
      `rtsp://${urlHost(resolved.host)}:${port}/${path.split('/').map(encodeURIComponent).join('/')}`,
    stats: sessions.stats,
    async close() {
      sessions.close();
      for (const connection of connections) connection.close();
      await new Promise<void>((resolve) => listener.close(() => resolve()));
    },
  };
}
