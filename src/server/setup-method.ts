/**
 * SETUP (RFC 2326 §10.4): adds one track of a file to a new or existing
 * session, over interleaved TCP or a fresh UDP port pair, and answers with
 * the Transport actually used (channels or server ports, and the SSRC).
 */
import { randomInt } from 'node:crypto';
import { formatTransport, parseTransport } from '../rtsp/transport-header.js';
import {
  findMedia,
  findSession,
  reply,
  sessionHeaders,
  type MethodHandler,
} from './handler-common.js';
import { InterleavedOutput, UdpOutput, type TrackOutput } from './rtp-output.js';
import type { ConnectionContext, ServerContext } from './server-context.js';
import { ServerSession } from './server-session.js';
import { SessionRegistry } from './session-registry.js';
import { chooseTransport, type TransportChoice } from './transport-choice.js';
import { bindUdpPortPair } from './udp-ports.js';

const uint32 = 0x1_0000_0000;

async function openOutput(
  choice: TransportChoice,
  session: ServerSession,
  conn: ConnectionContext,
  ctx: ServerContext,
): Promise<TrackOutput> {
  if (choice.lowerTransport === 'tcp') {
    for (const c of choice.interleaved) conn.usedChannels.add(c);
    return new InterleavedOutput(conn.writer, choice.interleaved);
  }
  const [rtp, rtcp] = await bindUdpPortPair(conn.localAddress);
  for (const socket of [rtp, rtcp]) {
    // Receiver reports (and NAT pinholes) keep the session alive like requests do (RFC 2326 §12.37).
    socket.on('message', () => session.touch());
    socket.on('error', (err) =>
      ctx.options.logger.debug({ session: session.id, err }, 'udp socket error'),
    );
  }
  return new UdpOutput(rtp, rtcp, conn.remoteAddress, choice.clientPort);
}

function transportReply(choice: TransportChoice, output: TrackOutput, ssrc: number): string {
  const common = { profile: 'RTP/AVP', multicast: false, ssrc } as const;
  if (choice.lowerTransport === 'tcp')
    return formatTransport({ ...common, lowerTransport: 'tcp', interleaved: choice.interleaved });
  const ports = output instanceof UdpOutput ? output.serverPorts : undefined;
  return formatTransport({
    ...common,
    lowerTransport: 'udp',
    clientPort: choice.clientPort,
    ...(ports && { serverPort: ports }),
  });
}

export const setup: MethodHandler = async ({ req, target }, conn, ctx) => {
  const media = await findMedia(target, ctx);
  if ('status' in media) return media;
  const { resource, source } = media;
  // A single-track file may be set up through its aggregate URL.
  const index = target.path?.track ?? (source.tracks.length === 1 ? 0 : undefined);
  if (index === undefined) return reply(459);
  if (!source.tracks[index]) return reply(404);
  const transport = req.headers.get('transport');
  if (transport === undefined) return reply(461);
  let choice: TransportChoice | undefined;
  try {
    choice = chooseTransport(parseTransport(transport), conn.usedChannels);
  } catch {
    return reply(400);
  }
  if (!choice) return reply(461);

  let session: ServerSession;
  const created = !req.headers.has('session');
  if (created) {
    session = new ServerSession(SessionRegistry.newId(), resource, source, conn.owner, {
      cname: ctx.cname,
      playCount: target.playCount ?? 1,
      now: () => ctx.now(),
    });
  } else {
    const found = findSession(req, ctx);
    if ('status' in found) return found;
    if (found.resource.file !== resource.file) return reply(459);
    if (!found.acceptsSetup || found.hasTrack(index)) return reply(455);
    session = found;
    if (target.playCount !== undefined) session.playCount = target.playCount;
  }
  let output: TrackOutput;
  try {
    output = await openOutput(choice, session, conn, ctx);
  } catch (err) {
    ctx.options.logger.warn({ err }, 'SETUP: no UDP ports');
    return reply(453);
  }
  const ssrc = randomInt(uint32);
  session.addTrack({ index, output, ssrc, controlUrl: target.url.href });
  if (created) ctx.sessions.add(session);
  const headers = sessionHeaders(session, ctx);
  headers.set('Transport', transportReply(choice, output, ssrc));
  return reply(200, headers);
};
