/**
 * What the method handlers of the file server share: the reply shape, and
 * finding the file or session a request names (or the status saying why not).
 */
import { ErrorCodes, RtspError } from '../errors.js';
import { RtspHeaders } from '../rtsp/headers.js';
import type { RtspRequest } from '../rtsp/message.js';
import { parseSessionHeader } from '../rtsp/session-header.js';
import { isPublishable } from './media/media-library.js';
import type { MediaSource } from './media/media-source.js';
import type { RequestTarget } from './request-url.js';
import type { Resource } from './resource-resolver.js';
import type { ConnectionContext, ServerContext } from './server-context.js';
import type { ServerSession } from './server-session.js';

export interface Reply {
  status: number;
  headers: RtspHeaders;
  body?: Uint8Array;
}

/** A request with its URL already parsed into file, track and play_count. */
export interface TargetedRequest {
  req: RtspRequest;
  target: RequestTarget;
}

export type MethodHandler = (
  request: TargetedRequest,
  conn: ConnectionContext,
  ctx: ServerContext,
) => Reply | Promise<Reply>;

export const reply = (status: number, headers: RtspHeaders = new RtspHeaders()): Reply => ({
  status,
  headers,
});

/** The media a request URL names, or the 404/415/500 that says why not. */
export async function findMedia(
  target: RequestTarget,
  ctx: ServerContext,
): Promise<{ resource: Resource; source: MediaSource } | Reply> {
  const name = target.path?.segments.at(-1);
  if (!target.path || name === undefined || !isPublishable(name)) return reply(404);
  const resource = await ctx.resolver.resolve(target.path.segments);
  if (!resource) return reply(404);
  try {
    return { resource, source: await ctx.library.load(resource) };
  } catch (err) {
    const unsupported = err instanceof RtspError && err.code === ErrorCodes.ERR_RTSP_UNSUPPORTED;
    ctx.options.logger.warn(
      { file: resource.name, err },
      unsupported ? 'file not publishable' : 'file could not be read',
    );
    return reply(unsupported ? 415 : 500);
  }
}

/** The session named by the Session header (refreshing its timeout), or 454. */
export function findSession(req: RtspRequest, ctx: ServerContext): ServerSession | Reply {
  const value = req.headers.get('session');
  let id: string | undefined;
  try {
    id = value === undefined ? undefined : parseSessionHeader(value).id;
  } catch {
    // An empty or unparsable Session header names no session we know.
  }
  const session = id === undefined ? undefined : ctx.sessions.get(id);
  if (!session) return reply(454);
  session.touch();
  return session;
}

export function sessionHeaders(session: ServerSession, ctx: ServerContext): RtspHeaders {
  return new RtspHeaders({ Session: `${session.id};timeout=${ctx.options.sessionTimeoutSec}` });
}
