/**
 * `rtspkit probe`: connect, OPTIONS, DESCRIBE, then stop. Prints the tracks
 * and the time each step took, as a table or as JSON.
 */
import { redactUrl } from '../../rtsp/url.js';
import type { ConnectEvent, RtspExchangeEvent } from '../../events/types.js';
import type { Track } from '../../sdp/track.js';
import { CommandFailure, throwIfFailed } from '../cli-errors.js';
import type { CommandContext } from '../context.js';
import { writeText } from '../output.js';
import { formatMs, table } from '../text-table.js';

export interface ProbeResult {
  url: string;
  connect: { localAddress: string; remoteAddress: string; elapsedMs: number } | undefined;
  methods: { method: string; status: number; reason: string; elapsedMs: number }[];
  tracks: Track[];
  sdp: string | undefined;
}

export async function probeCommand(
  ctx: CommandContext,
  options: { url: string; json: boolean },
): Promise<ProbeResult> {
  let connect: ConnectEvent | undefined;
  const exchanges: RtspExchangeEvent[] = [];
  let describe: RtspExchangeEvent | undefined;
  for await (const event of ctx.events) {
    if (event.type === 'connect') connect = event;
    else if (event.type === 'rtsp') {
      exchanges.push(event);
      // A 401 challenge is a DESCRIBE too; the answer with the tracks ends the probe.
      if (event.method === 'DESCRIBE' && event.tracks) {
        describe = event;
        break;
      }
    } else if (event.type === 'closed') throwIfFailed(event);
  }
  if (describe === undefined)
    throw new CommandFailure('the session ended before DESCRIBE answered');
  const result: ProbeResult = {
    url: redactUrl(options.url),
    connect: connect && {
      localAddress: connect.localAddress,
      remoteAddress: connect.remoteAddress,
      elapsedMs: connect.elapsedMs,
    },
    methods: exchanges.map(({ method, status, reason, elapsedMs }) => ({
      method,
      status,
      reason,
      elapsedMs,
    })),
    tracks: describe.tracks ?? [],
    sdp: describe.sdp,
  };
  await writeText(
    ctx.io.stdout,
    options.json ? `${JSON.stringify(result, null, 2)}\n` : probeText(result),
  );
  return result;
}

export function probeText(result: ProbeResult): string {
  const steps = table(
    ['step', 'status', 'time'],
    [
      ...(result.connect
        ? [[`connect ${result.connect.remoteAddress}`, '', formatMs(result.connect.elapsedMs)]]
        : []),
      ...result.methods.map((m) => [m.method, `${m.status} ${m.reason}`, formatMs(m.elapsedMs)]),
    ],
  );
  const tracks = table(
    ['#', 'media', 'codec', 'clock', 'channels', 'control'],
    result.tracks.map((t) => [
      String(t.index),
      t.media,
      t.codec,
      `${t.clockRate} Hz`,
      t.channels === undefined ? '' : String(t.channels),
      t.control,
    ]),
  );
  const fmtp = result.tracks
    .filter((t) => Object.keys(t.fmtp).length > 0)
    .map(
      (t) =>
        `  #${t.index} fmtp ${Object.entries(t.fmtp)
          .map(([k, v]) => `${k}=${v}`)
          .join(';')}`,
    );
  return [result.url, '', steps, '', `${result.tracks.length} track(s)`, tracks, ...fmtp, ''].join(
    '\n',
  );
}
