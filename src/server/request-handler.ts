/**
 * Answers one RTSP request of the file server (RFC 2326 §10). Every failure
 * is a status code, never an exception: 400 malformed, 401 credentials,
 * 404 no such file/track, 415 file not publishable, 454 unknown session,
 * 455 wrong state, 457 bad Range, 459 aggregate-only, 461 no usable transport.
 */
import { RtspHeaders } from '../rtsp/headers.js';
import type { RtspRequest } from '../rtsp/message.js';
import { formatNptRange, parseNptRange } from '../rtsp/range.js';
import { formatRtpInfo } from '../rtsp/rtp-info.js';
import { serializeSdp } from '../sdp/serialize.js';
import {
  findMedia,
  findSession,
  reply,
  sessionHeaders,
  type MethodHandler,
  type Reply,
} from './handler-common.js';
import { parseRequestTarget, urlWithoutQuery } from './request-url.js';
import { InterleavedOutput } from './rtp-output.js';
import type { ConnectionContext, ServerContext } from './server-context.js';
import { setup } from './setup-method.js';

export type { Reply } from './handler-common.js';

const encoder = new TextEncoder();

/** RFC 2326 methods a file server has no business with (recording, redirects): 405, not 501. */
const notAllowed = new Set(['ANNOUNCE', 'RECORD', 'REDIRECT']);

const options = (): Reply =>
  reply(200, new RtspHeaders({ Public: Object.keys(methods).join(', ') }));

const describe: MethodHandler = async ({ target }, conn, ctx) => {
  if (target.path?.track !== undefined) return reply(404);
  const media = await findMedia(target, ctx);
  if ('status' in media) return media;
  const { resource, source } = media;
  const base = urlWithoutQuery(target.url).replace(/\/?$/, '/');
  // Clients resolve relative controls against Content-Base, which carries no
  // query; with a query (play_count) the controls are absolute so it reaches SETUP.
  const query = target.url.search;
  const version = String(Math.floor(resource.mtimeMs));
  const sdp = serializeSdp({
    sessionId: version,
    sessionVersion: version,
    originAddress: conn.localAddress,
    name: target.url.pathname.slice(1),
    tool: 'rtspkit',
    control: '*',
    durationSec: source.durationMs / 1000,
    media: source.tracks.map((t, i) => ({
      media: t.media,
      ...t.format,
      control: query ? `${base}trackID=${i}${query}` : `trackID=${i}`,
    })),
  });
  const headers = new RtspHeaders({ 'Content-Type': 'application/sdp', 'Content-Base': base });
  return { status: 200, headers, body: encoder.encode(sdp) };
};

/** Seek position from a Range header: undefined = none or `now`; 'invalid' → 457. */
function seekOf(range: string | undefined, durationMs: number): number | undefined | 'invalid' {
  if (range === undefined || /npt\s*=\s*now/i.test(range)) return undefined;
  const parsed = parseNptRange(range);
  if (
    !parsed ||
    !Number.isFinite(parsed.start) ||
    parsed.start < 0 ||
    parsed.start * 1000 > durationMs
  )
    return 'invalid';
  return parsed.start * 1000;
}

const play: MethodHandler = ({ req, target }, _conn, ctx) => {
  const session = findSession(req, ctx);
  if ('status' in session) return session;
  if (session.state === 'init') return reply(455);
  const durationMs = session.source.durationMs;
  const seekMs = seekOf(req.headers.get('range'), durationMs);
  if (seekMs === 'invalid') return reply(457);
  if (target.playCount !== undefined) session.playCount = target.playCount;
  const started = session.play(seekMs);
  const headers = sessionHeaders(session, ctx);
  const positionSec = durationMs > 0 ? (started.positionMs % durationMs) / 1000 : 0;
  headers.set(
    'Range',
    session.playCount === 0
      ? formatNptRange(positionSec)
      : formatNptRange(positionSec, durationMs / 1000),
  );
  headers.set('RTP-Info', formatRtpInfo(started.rtpInfo));
  return reply(200, headers);
};

const pause: MethodHandler = ({ req }, _conn, ctx) => {
  const session = findSession(req, ctx);
  if ('status' in session) return session;
  if (session.state === 'init') return reply(455);
  session.pause();
  return reply(200, sessionHeaders(session, ctx));
};

const teardown: MethodHandler = ({ req }, conn, ctx) => {
  const session = findSession(req, ctx);
  if ('status' in session) return session;
  for (const output of session.outputs) {
    if (output instanceof InterleavedOutput)
      for (const c of output.channels) conn.usedChannels.delete(c);
  }
  ctx.sessions.remove(session);
  return reply(200);
};

/** Keepalive (RFC 2326 §10.8): an empty GET_PARAMETER refreshes the session. */
const getParameter: MethodHandler = ({ req }, _conn, ctx) => {
  if (!req.headers.has('session')) return reply(200);
  const session = findSession(req, ctx);
  return 'status' in session ? session : reply(200, sessionHeaders(session, ctx));
};

/** No parameter is settable (§10.9): an empty body is a keepalive, anything else 451. */
const setParameter: MethodHandler = (request, conn, ctx) =>
  request.req.body.length > 0 ? reply(451) : getParameter(request, conn, ctx);

const methods: Readonly<Record<string, MethodHandler>> = {
  OPTIONS: options,
  DESCRIBE: describe,
  SETUP: setup,
  PLAY: play,
  PAUSE: pause,
  TEARDOWN: teardown,
  GET_PARAMETER: getParameter,
  SET_PARAMETER: setParameter,
};

export async function handleRequest(
  req: RtspRequest,
  conn: ConnectionContext,
  ctx: ServerContext,
): Promise<Reply> {
  if (!req.headers.has('cseq')) return reply(400);
  if (req.version !== 'RTSP/1.0') return reply(505);
  const handler = methods[req.method];
  if (!handler) {
    return notAllowed.has(req.method)
      ? reply(405, new RtspHeaders({ Allow: Object.keys(methods).join(', ') }))
      : reply(501);
  }
  if (req.uri === '*') return req.method === 'OPTIONS' ? options() : reply(400);
  const target = parseRequestTarget(req.uri);
  if (!target) return reply(400);
  if (
    ctx.auth &&
    req.method !== 'OPTIONS' &&
    !ctx.auth.verify(req.headers.get('authorization'), req.method, conn.nonce)
  ) {
    const headers = new RtspHeaders();
    for (const challenge of ctx.auth.challenges(conn.nonce))
      headers.append('WWW-Authenticate', challenge);
    return reply(401, headers);
  }
  return handler({ req, target }, conn, ctx);
}
