/**
 * Benchmark 3, start-up: a paced 720p source (the source server, in this
 * process, so its timeline and ffmpeg's output share one clock) and, per
 * attempt, one fresh client: rtspkit (connect → PLAY response → first
 * keyframe in the `for await` loop) or ffmpeg (time to its first output
 * packet), with its default probing and with probing turned down.
 */
import { NodeChild, type BenchMessage } from './lib/child.js';
import { FfmpegReader } from './lib/ffmpeg.js';
import { machineInfo, markdownTable, writeResult } from './lib/report.js';
import { median, round as fmt, sleep } from './lib/stats.js';
import { loadRecording } from './source/recording.js';
import { startSourceServer, type ConnectionTimeline, type SourceServer } from './source/server.js';

export interface StartupOptions {
  media: string;
  fps: number;
  attempts: number;
}

interface Attempt {
  client: string;
  /** Client-side (rtspkit only). */
  connectToPlayMs?: number;
  connectToKeyframeMs?: number;
  playToKeyframeMs?: number;
  /** Server side: accept → PLAY answered, the server's own handling time of the requests in it. */
  serverAcceptToPlayMs: number;
  serverHandlingMs: number;
  /** Server side: PLAY answered → first frame (a keyframe) written. */
  serverPlayToFirstFrameMs: number;
  /** Client's connect→PLAY minus the server's handling: the client's own cost and the round trips. */
  clientOverheadMs?: number;
  /** Accept → the first packet the client hands on (ffmpeg: first output byte; rtspkit: keyframe event). */
  acceptToFirstPacketMs?: number;
}

const LOW_LATENCY_FLAGS = [
  '-fflags',
  'nobuffer',
  '-flags',
  'low_delay',
  '-probesize',
  '32',
  '-analyzeduration',
  '0',
];

function serverSide(timeline: ConnectionTimeline) {
  const play = timeline.playAnsweredAt ?? Number.NaN;
  return {
    serverAcceptToPlayMs: play - timeline.acceptedAt,
    serverHandlingMs: timeline.requests
      .filter((r) => r.answeredAt <= play)
      .reduce((sum, r) => sum + (r.answeredAt - r.receivedAt), 0),
    serverPlayToFirstFrameMs: (timeline.firstFrameWrittenAt ?? Number.NaN) - play,
  };
}

interface ClientTimes {
  connectToPlayMs: number;
  connectToKeyframeMs: number;
  playToKeyframeMs: number;
}

/** The floor: a raw socket writing the four requests by hand, in a Node process too. */
async function rawAttempt(server: SourceServer): Promise<Attempt> {
  const before = server.timelines.length;
  const child = NodeChild.start(new URL('clients/raw-reader.ts', import.meta.url), [server.url]);
  const report = await child.next<BenchMessage & { connectToPlayMs: number }>('handshake');
  await child.stop();
  const side = serverSide(server.timelines[before]!);
  return {
    client: 'raw socket (floor)',
    connectToPlayMs: report.connectToPlayMs,
    ...side,
    clientOverheadMs: report.connectToPlayMs - side.serverHandlingMs,
  };
}

/** Two attempts: the client process's first session (cold) and its second (warm). */
async function rtspkitAttempts(server: SourceServer): Promise<Attempt[]> {
  const before = server.timelines.length;
  const child = NodeChild.start(new URL('clients/startup-client.ts', import.meta.url), [
    server.url,
  ]);
  const report = await child.next<BenchMessage & { cold: ClientTimes; warm: ClientTimes }>(
    'startup',
  );
  await child.stop();
  return (['cold', 'warm'] as const).map((run, i) => {
    const times = report[run];
    const side = serverSide(server.timelines[before + i]!);
    return {
      client: `rtspkit (${run})`,
      ...times,
      ...side,
      clientOverheadMs: times.connectToPlayMs - side.serverHandlingMs,
    };
  });
}

async function ffmpegAttempt(
  server: SourceServer,
  client: string,
  inputFlags: readonly string[],
): Promise<Attempt> {
  const before = server.timelines.length;
  const reader = new FfmpegReader(server.url, { transport: 'tcp', inputFlags, output: 'stdout' });
  const deadline = performance.now() + 20_000;
  while (reader.firstOutputAt === undefined && performance.now() < deadline) await sleep(5);
  const firstOutputAt = reader.firstOutputAt ?? Number.NaN;
  await reader.stop();
  const timeline = server.timelines[before];
  if (timeline === undefined) throw new Error(`ffmpeg never connected: ${reader.errors}`);
  return {
    client,
    ...serverSide(timeline),
    acceptToFirstPacketMs: firstOutputAt - timeline.acceptedAt,
    playToKeyframeMs: firstOutputAt - (timeline.playAnsweredAt ?? Number.NaN),
  };
}

export async function runStartup(options: StartupOptions): Promise<string> {
  const server = await startSourceServer(loadRecording(options.media, options.fps), 'paced');
  const attempts: Attempt[] = [];
  try {
    for (let i = 0; i < options.attempts; i++) {
      attempts.push(...(await rtspkitAttempts(server)));
      await sleep(200);
      attempts.push(await rawAttempt(server));
      await sleep(200);
      attempts.push(await ffmpegAttempt(server, 'ffmpeg', []));
      await sleep(200);
      attempts.push(await ffmpegAttempt(server, 'ffmpeg (low-latency flags)', LOW_LATENCY_FLAGS));
      await sleep(200);
    }
  } finally {
    await server.close();
  }
  const clients = [
    'rtspkit (cold)',
    'rtspkit (warm)',
    'raw socket (floor)',
    'ffmpeg',
    'ffmpeg (low-latency flags)',
  ];
  const pick = (client: string, key: keyof Omit<Attempt, 'client'>): number =>
    median(attempts.filter((a) => a.client === client).map((a) => a[key] ?? Number.NaN));
  const rows = clients.map((client) => {
    const rtspkit = client.startsWith('rtspkit');
    const floor = client.startsWith('raw');
    return [
      client,
      rtspkit || floor ? fmt(pick(client, 'connectToPlayMs')) : undefined,
      fmt(pick(client, 'serverAcceptToPlayMs')),
      fmt(pick(client, 'serverHandlingMs')),
      rtspkit || floor ? fmt(pick(client, 'clientOverheadMs')) : undefined,
      floor
        ? undefined
        : fmt(
            rtspkit ? pick(client, 'connectToKeyframeMs') : pick(client, 'acceptToFirstPacketMs'),
          ),
      floor ? undefined : fmt(pick(client, 'playToKeyframeMs')),
      floor ? undefined : fmt(pick(client, 'serverPlayToFirstFrameMs')),
    ];
  });
  const table = markdownTable(
    [
      'client',
      'connect → PLAY response (client) ms',
      'accept → PLAY answered (server) ms',
      'server handling ms',
      'client overhead ms',
      'connect → first keyframe / first packet ms',
      'PLAY answer → first keyframe delivered ms',
      'PLAY answer → keyframe written (server) ms',
    ],
    rows,
  );
  const verdict = (['cold', 'warm'] as const).flatMap((run) => {
    const client = `rtspkit (${run})`;
    const overhead = pick(client, 'clientOverheadMs');
    const aboveFloor = overhead - pick('raw socket (floor)', 'clientOverheadMs');
    const keyframeDelay =
      pick(client, 'playToKeyframeMs') - pick(client, 'serverPlayToFirstFrameMs');
    return [
      `${client} PLAY response: ${fmt(overhead)} ms beyond the server's own handling (target ≤ 5 ms) ${overhead <= 5 ? 'MET' : 'MISSED'}; ${fmt(aboveFloor)} ms above a raw socket's`,
      // Probing or buffering holds frames back for at least one frame interval; less is the cost of handling it.
      `${client} first keyframe: in the loop ${fmt(keyframeDelay)} ms after the server wrote it (target: no probing delay, < one frame interval of ${fmt(1000 / options.fps)} ms) ${keyframeDelay < 1000 / options.fps ? 'MET' : 'MISSED'}`,
    ];
  });
  verdict.push(`(medians of ${options.attempts} attempts each)`);
  const file = writeResult('startup', { machine: machineInfo(), options, attempts });
  return `### Start-up (720p25 2 Mbit/s H.264, paced, RTSP over TCP)\n\n${table}\n\n${verdict.join('\n')}\n\nJSON: ${file}`;
}
