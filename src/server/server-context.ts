/** What request handling needs from the server and from the connection a request came on. */
import type { MediaLibrary } from './media/media-library.js';
import type { ResolvedServeOptions } from './options.js';
import type { ResourceResolver } from './resource-resolver.js';
import type { BoundedSocketWriter } from './bounded-socket-writer.js';
import type { ServerAuth } from './server-auth.js';
import type { SessionRegistry } from './session-registry.js';

export interface ServerContext {
  readonly options: ResolvedServeOptions;
  readonly resolver: ResourceResolver;
  readonly library: MediaLibrary;
  readonly sessions: SessionRegistry;
  readonly auth: ServerAuth | undefined;
  /** SDES CNAME of the server's RTP streams. */
  readonly cname: string;
  /** Monotonic ms. */
  now(): number;
}

export interface ConnectionContext {
  /** Identity of the connection; sessions it created end when it closes. */
  readonly owner: object;
  /** Digest nonce of this connection. */
  readonly nonce: string;
  readonly localAddress: string;
  readonly remoteAddress: string;
  readonly writer: BoundedSocketWriter;
  /** Interleaved channels taken by tracks set up on this connection. */
  readonly usedChannels: Set<number>;
}
