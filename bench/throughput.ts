/**
 * Benchmark 1, throughput ceiling: the source server plays a 4K H.264
 * recording as fast as the client reads it; rtspkit, ffmpeg and a raw socket
 * reader take turns on it (order rotated each round) and the bytes the server
 * handed to the kernel per second of a steady window give the rate.
 */
import { NodeChild, type BenchMessage } from './lib/child.js';
import { FfmpegReader } from './lib/ffmpeg.js';
import { runQueueWaitSeconds, sampleProcess, type ProcSample } from './lib/proc.js';
import { machineInfo, markdownTable, writeResult } from './lib/report.js';
import { median, round as fmt, sleep } from './lib/stats.js';
import { profileEnv } from './lib/window-profile.js';

export interface ThroughputOptions {
  media: string;
  fps: number;
  windowMs: number;
  rounds: number;
  /** CPU profiles of the rtspkit clients go to <profileDir>/<client>/. */
  profileDir?: string;
  /** Another build of rtspkit (a patched dist/) to run as a fourth client, for an A/B in one run. */
  compareDist?: string;
}

type ClientName = 'rtspkit' | 'ffmpeg' | 'raw socket' | 'rtspkit (compared build)';

interface Measurement {
  client: ClientName;
  round: number;
  mbitPerSecond: number;
  framesPerSecond: number;
  cpuSeconds: number;
  cpuSecondsPerGB: number;
  cpuPercent: number;
  /** Share of the window the client's main thread was runnable but waited for a CPU (busy box). */
  waitPercent: number;
  rssMiB: number;
}

interface Ready extends BenchMessage {
  url: string;
  frames: number;
  bytesPerLoop: number;
}
interface ServerSnapshot extends BenchMessage {
  atMs: number;
  bytes: number;
}

const WARMUP_MS = 2000;

/** A running client: its pid and a frame counter read at the window's edges. */
interface RunningClient {
  pid: number;
  frames(edge: 'start' | 'end'): Promise<number | undefined>;
  stop(): Promise<void>;
}

function startClient(name: ClientName, url: string, options: ThroughputOptions): RunningClient {
  if (name === 'ffmpeg') {
    const reader = new FfmpegReader(url, { transport: 'tcp' });
    return {
      pid: reader.pid,
      frames: () => Promise.resolve(reader.frames),
      stop: async () => {
        await reader.stop();
        if (reader.errors !== '') console.error(`ffmpeg: ${reader.errors}`);
      },
    };
  }
  const rtspkit = name !== 'raw socket';
  const script = rtspkit ? 'rtspkit-reader.ts' : 'raw-reader.ts';
  const env: Record<string, string> = {
    ...(name === 'rtspkit (compared build)' ? { RTSPKIT_BENCH_DIST: options.compareDist! } : {}),
    ...profileEnv(
      rtspkit && options.profileDir !== undefined
        ? `${options.profileDir}/${name.replace(/\W+/g, '-').replace(/-$/, '')}`
        : undefined,
    ),
  };
  const child = NodeChild.start(new URL(`clients/${script}`, import.meta.url), [url], env);
  return {
    pid: child.pid,
    frames: async (edge) => {
      if (!rtspkit) return undefined;
      const message = { type: 'snapshot', edge };
      return (await child.request<BenchMessage & { frames: number }>(message, 'snapshot')).frames;
    },
    stop: () => child.stop(),
  };
}

async function measure(
  name: ClientName,
  round: number,
  server: NodeChild,
  ready: Ready,
  options: ThroughputOptions,
): Promise<Measurement> {
  const client = startClient(name, ready.url, options);
  try {
    await sleep(WARMUP_MS);
    const edge = async (
      which: 'start' | 'end',
    ): Promise<[ServerSnapshot, ProcSample | undefined, number | undefined]> => {
      const snapshot = await server.request<ServerSnapshot>({ type: 'snapshot' }, 'snapshot');
      return [snapshot, sampleProcess(client.pid), await client.frames(which)];
    };
    const [s0, c0, f0] = await edge('start');
    const w0 = runQueueWaitSeconds(client.pid) ?? Number.NaN;
    await sleep(options.windowMs);
    const w1 = runQueueWaitSeconds(client.pid) ?? Number.NaN;
    const [s1, c1, f1] = await edge('end');
    if (c0 === undefined || c1 === undefined)
      throw new Error(`${name} client exited during the window`);
    const seconds = (s1.atMs - s0.atMs) / 1000;
    const bytes = s1.bytes - s0.bytes;
    const cpuSeconds = c1.cpuSeconds - c0.cpuSeconds;
    // The raw reader cannot count frames: derive them from bytes (same stream for every client).
    const frames =
      f0 === undefined || f1 === undefined ? (bytes * ready.frames) / ready.bytesPerLoop : f1 - f0;
    return {
      client: name,
      round,
      mbitPerSecond: (bytes * 8) / seconds / 1e6,
      framesPerSecond: frames / seconds,
      cpuSeconds,
      cpuSecondsPerGB: cpuSeconds / (bytes / 1e9),
      cpuPercent: (cpuSeconds / seconds) * 100,
      waitPercent: ((w1 - w0) / seconds) * 100,
      rssMiB: c1.rssBytes / 2 ** 20,
    };
  } finally {
    await client.stop();
    await sleep(300);
  }
}

export async function runThroughput(options: ThroughputOptions): Promise<string> {
  const server = NodeChild.start(new URL('source/child.ts', import.meta.url), [
    options.media,
    String(options.fps),
    'firehose',
  ]);
  const ready = await server.next<Ready>('ready', 120_000);
  const clients: ClientName[] = ['rtspkit', 'ffmpeg', 'raw socket'];
  if (options.compareDist !== undefined) clients.push('rtspkit (compared build)');
  const measurements: Measurement[] = [];
  try {
    for (let round = 0; round < options.rounds; round++) {
      // Rotated so that no client always runs first (or last) in a round.
      const order = clients.map((_, i) => clients[(i + round) % clients.length]!);
      for (const name of order) {
        const m = await measure(name, round, server, ready, options);
        measurements.push(m);
        console.log(
          `  round ${round + 1} ${name}: ${fmt(m.mbitPerSecond)} Mbit/s, ${fmt(m.framesPerSecond)} fps, ${fmt(m.cpuSecondsPerGB)} CPU s/GB, CPU ${fmt(m.cpuPercent)}%, waiting ${fmt(m.waitPercent)}%`,
        );
      }
    }
  } finally {
    await server.stop();
  }
  const summary = clients.map((client) => {
    const mine = measurements.filter((m) => m.client === client);
    const pick = (key: keyof Omit<Measurement, 'client' | 'round'>): number =>
      median(mine.map((m) => m[key]));
    return {
      client,
      mbitPerSecond: pick('mbitPerSecond'),
      framesPerSecond: pick('framesPerSecond'),
      cpuSecondsPerGB: pick('cpuSecondsPerGB'),
      cpuPercent: pick('cpuPercent'),
      waitPercent: pick('waitPercent'),
      rssMiB: pick('rssMiB'),
    };
  });
  const rate = (client: ClientName): number =>
    summary.find((s) => s.client === client)!.mbitPerSecond;
  // Ratios of the same round (same machine load), then their median.
  const perRound = (other: ClientName): number =>
    median(
      [...Array(options.rounds).keys()].map((round) => {
        const of = (client: ClientName): number =>
          measurements.find((m) => m.round === round && m.client === client)!.mbitPerSecond;
        return of('rtspkit') / of(other);
      }),
    );
  const ratios = {
    rtspkitVsFfmpeg: perRound('ffmpeg'),
    rtspkitVsRaw: perRound('raw socket'),
    ...(options.compareDist === undefined
      ? {}
      : { rtspkitVsComparedBuild: perRound('rtspkit (compared build)') }),
  };
  const table = markdownTable(
    ['client', 'Mbit/s', 'frames/s', 'CPU s per GB', 'CPU %', 'waiting for a CPU %', 'RSS MiB'],
    summary.map((s) => [
      s.client,
      fmt(s.mbitPerSecond),
      fmt(s.framesPerSecond) + (s.client === 'raw socket' ? ' (from bytes)' : ''),
      fmt(s.cpuSecondsPerGB),
      fmt(s.cpuPercent),
      fmt(s.waitPercent),
      fmt(s.rssMiB),
    ]),
  );
  const verdict = [
    `rtspkit / ffmpeg Mbit/s: ${fmt(ratios.rtspkitVsFfmpeg)}× (target ≥ 1.0×) ${ratios.rtspkitVsFfmpeg >= 1 ? 'MET' : 'MISSED'}`,
    `rtspkit / raw socket Mbit/s: ${fmt(ratios.rtspkitVsRaw)}× (target ≥ 0.5×) ${ratios.rtspkitVsRaw >= 0.5 ? 'MET' : 'MISSED'}`,
    ...(ratios.rtspkitVsComparedBuild === undefined
      ? []
      : [
          `compared build (${options.compareDist}) / rtspkit Mbit/s: ${fmt(1 / ratios.rtspkitVsComparedBuild)}×`,
        ]),
    `(medians of ${options.rounds} round(s) of ${options.windowMs / 1000} s; rtspkit alone ${fmt(rate('rtspkit'))} Mbit/s)`,
  ].join('\n');
  const file = writeResult('throughput', {
    machine: machineInfo(),
    options,
    stream: { frames: ready.frames, bytesPerLoop: ready.bytesPerLoop },
    summary,
    ratios,
    measurements,
  });
  return `### Throughput ceiling (4K H.264, RTSP over TCP, as fast as the client reads)\n\n${table}\n\n${verdict}\n\nJSON: ${file}`;
}
