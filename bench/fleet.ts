/**
 * Benchmark 2, the real-time fleet: N sessions of a paced 720p H.264+AAC
 * stream from rtspkit's embedded server, in one rtspkit process, then the
 * same N streams pulled by N ffmpeg processes; TCP and UDP. A scenario runs
 * for a fixed window after every session is playing and a warm-up.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { NodeChild, type BenchMessage } from './lib/child.js';
import { FfmpegReader } from './lib/ffmpeg.js';
import { machineBusySeconds, pssBytes, sampleProcess, sampleProcesses } from './lib/proc.js';
import { fleetTable, fleetVerdict } from './fleet/report.js';
import { machineInfo, writeResult } from './lib/report.js';
import { round as fmt, sleep } from './lib/stats.js';
import { profileEnv } from './lib/window-profile.js';

export interface FleetScenario {
  client: 'rtspkit' | 'ffmpeg';
  transport: 'tcp' | 'udp';
  sessions: number;
  /** Mbit/s of the stream: 2 or 4 (fleet-2m.mp4 / fleet-4m.mp4). */
  mbit: 2 | 4;
}

export interface FleetOptions {
  mediaDir: string;
  scenarios: FleetScenario[];
  windowMs: (sessions: number) => number;
  warmupMs: number;
  fps: number;
  /** CPU profiles of the rtspkit fleet process go to <profileDir>/<tcp|udp>-<N>x<mbit>M/. */
  profileDir?: string;
}

export interface ScenarioResult extends FleetScenario {
  windowSeconds: number;
  started: number;
  /** CPU of the client side (the one process, or the sum of the ffmpeg processes), % of one core. */
  cpuPercent: number;
  cpuPercentPerStream: number;
  rssTotalMiB: number;
  /** Proportional set size: what N ffmpeg processes really take together (shared pages once). */
  pssTotalMiB: number;
  /** rtspkit: RSS above the process's own baseline (node + modules, before any session), per session. */
  rssPerSessionMiB: number;
  expectedFrames: number;
  videoFrames: number;
  /** rtspkit: audio frames, and sessions that ended before the scenario did. */
  audioFrames: number | undefined;
  closedEarly: number | undefined;
  /** expected − received video frames: the server's pacing and the window's edges (negative: ahead). */
  framesMissing: number;
  /** rtspkit: RTP packets lost (sequence gaps) and frames its depacketizers dropped (loss, caps). */
  packetsLost: number | undefined;
  framesDropped: number | undefined;
  packets: number | undefined;
  lossPercent: number | undefined;
  eventsDropped: number | undefined;
  latencyMs: { p50: number; p99: number; max: number } | undefined;
  /** Date.now() against the monotonic clock over the window (already corrected for). */
  clockDriftMs: number | undefined;
  serverCpuPercent: number;
  serverPacketsDropped: number;
  machineBusyPercent: number;
  errors: string[];
}

/** Between scenarios: the last one's processes and sockets are gone and the box is quiet again. */
const SETTLE_MS = 3000;

interface WindowReport extends BenchMessage {
  videoFrames: number;
  audioFrames: number;
  packets: number;
  lost: number;
  framesDropped: number;
  eventsDropped: number;
  latencyMs: { p50: number; p99: number; max: number };
  clockDriftMs: number;
  closedEarly: number;
  errors: string[];
}
interface ServerStats extends BenchMessage {
  packetsDropped: number;
}

/** What the scenario runner measures around the window, whichever the client. */
interface Edges {
  server: NodeChild;
  clientPids: () => number[];
}

async function measureWindow<T>(edges: Edges, during: () => Promise<T>) {
  const { server } = edges;
  const s0 = await server.request<ServerStats>({ type: 'stats' }, 'stats');
  const c0 = sampleProcesses(edges.clientPids());
  const srv0 = sampleProcess(server.pid);
  const m0 = machineBusySeconds();
  const t0 = performance.now();
  const result = await during();
  const seconds = (performance.now() - t0) / 1000;
  const c1 = sampleProcesses(edges.clientPids());
  const srv1 = sampleProcess(server.pid);
  const m1 = machineBusySeconds();
  const s1 = await server.request<ServerStats>({ type: 'stats' }, 'stats');
  return {
    result,
    seconds,
    cpuSeconds: c1.cpuSeconds - c0.cpuSeconds,
    rssBytes: c1.rssBytes,
    pssBytes: pssBytes(edges.clientPids()),
    serverCpuPercent: (((srv1?.cpuSeconds ?? 0) - (srv0?.cpuSeconds ?? 0)) / seconds) * 100,
    serverPacketsDropped: s1.packetsDropped - s0.packetsDropped,
    machineBusyPercent: ((m1.busy - m0.busy) / (m1.total - m0.total)) * 100,
  };
}

async function runRtspkit(
  scenario: FleetScenario,
  url: string,
  server: NodeChild,
  options: FleetOptions,
): Promise<ScenarioResult> {
  const client = NodeChild.start(
    new URL('clients/fleet-client.ts', import.meta.url),
    [url, String(scenario.sessions), scenario.transport],
    profileEnv(
      options.profileDir === undefined
        ? undefined
        : `${options.profileDir}/${scenario.transport}-${scenario.sessions}x${scenario.mbit}M`,
    ),
  );
  try {
    await client.next('ready');
    await sleep(500);
    const baseline = sampleProcess(client.pid)!.rssBytes;
    // Every session reaches PLAY or fails: up to 5 requests of timeoutMs (10 s) each.
    const started = await client.request<BenchMessage & { sessions: number; errors: string[] }>(
      { type: 'start' },
      'started',
      60_000,
    );
    await sleep(options.warmupMs);
    const windowMs = options.windowMs(scenario.sessions);
    const measured = await measureWindow({ server, clientPids: () => [client.pid] }, async () => {
      client.send({ type: 'window-start' });
      await sleep(windowMs);
      return client.request<WindowReport>({ type: 'window-end' }, 'window');
    });
    const w = measured.result;
    const expectedFrames = Math.round(measured.seconds * options.fps * scenario.sessions);
    return {
      ...scenario,
      windowSeconds: measured.seconds,
      started: started.sessions,
      cpuPercent: (measured.cpuSeconds / measured.seconds) * 100,
      cpuPercentPerStream: (measured.cpuSeconds / measured.seconds / scenario.sessions) * 100,
      rssTotalMiB: measured.rssBytes / 2 ** 20,
      pssTotalMiB: measured.pssBytes / 2 ** 20,
      rssPerSessionMiB: (measured.rssBytes - baseline) / 2 ** 20 / scenario.sessions,
      expectedFrames,
      videoFrames: w.videoFrames,
      audioFrames: w.audioFrames,
      closedEarly: w.closedEarly,
      framesMissing: expectedFrames - w.videoFrames,
      packetsLost: w.lost,
      framesDropped: w.framesDropped,
      packets: w.packets,
      lossPercent: (w.lost / Math.max(1, w.packets + w.lost)) * 100,
      eventsDropped: w.eventsDropped,
      latencyMs: w.latencyMs,
      clockDriftMs: w.clockDriftMs,
      serverCpuPercent: measured.serverCpuPercent,
      serverPacketsDropped: measured.serverPacketsDropped,
      machineBusyPercent: measured.machineBusyPercent,
      errors: [...started.errors, ...w.errors].slice(0, 5),
    };
  } finally {
    await client.stop();
  }
}

async function runFfmpeg(
  scenario: FleetScenario,
  url: string,
  server: NodeChild,
  options: FleetOptions,
): Promise<ScenarioResult> {
  const readers: FfmpegReader[] = [];
  try {
    for (let i = 0; i < scenario.sessions; i++) {
      readers.push(new FfmpegReader(url, { transport: scenario.transport }));
      if (i % 10 === 9) await sleep(100);
    }
    const deadline = performance.now() + 120_000;
    while (readers.some((r) => r.frames === 0) && performance.now() < deadline) await sleep(250);
    const started = readers.filter((r) => r.frames > 0).length;
    await sleep(options.warmupMs);
    const windowMs = options.windowMs(scenario.sessions);
    let from = 0;
    const measured = await measureWindow(
      { server, clientPids: () => readers.map((r) => r.pid) },
      async () => {
        from = performance.now();
        await sleep(windowMs);
      },
    );
    const to = from + measured.seconds * 1000;
    // From each process's progress reports (every 0.5 s) inside the window, scaled to the window.
    const videoFrames = Math.round(
      readers.reduce((sum, r) => sum + (r.framesPerSecond(from, to) || 0), 0) * measured.seconds,
    );
    const expectedFrames = Math.round(measured.seconds * options.fps * scenario.sessions);
    return {
      ...scenario,
      windowSeconds: measured.seconds,
      started,
      cpuPercent: (measured.cpuSeconds / measured.seconds) * 100,
      cpuPercentPerStream: (measured.cpuSeconds / measured.seconds / scenario.sessions) * 100,
      rssTotalMiB: measured.rssBytes / 2 ** 20,
      pssTotalMiB: measured.pssBytes / 2 ** 20,
      rssPerSessionMiB: measured.rssBytes / 2 ** 20 / scenario.sessions,
      expectedFrames,
      videoFrames,
      audioFrames: undefined,
      closedEarly: undefined,
      framesMissing: expectedFrames - videoFrames,
      packetsLost: undefined,
      framesDropped: undefined,
      packets: undefined,
      lossPercent: undefined,
      eventsDropped: undefined,
      latencyMs: undefined,
      clockDriftMs: undefined,
      serverCpuPercent: measured.serverCpuPercent,
      serverPacketsDropped: measured.serverPacketsDropped,
      machineBusyPercent: measured.machineBusyPercent,
      // Distinct messages, numbers and addresses elided (ffmpeg repeats one complaint with new values).
      errors: [
        ...new Set(
          readers
            .flatMap((r) => r.errors.split('\n'))
            .filter((e) => e !== '')
            .map((e) => e.replace(/0x[0-9a-f]+|\d+/g, 'N')),
        ),
      ].slice(0, 3),
    };
  } finally {
    await Promise.all(readers.map((r) => r.stop()));
  }
}

export async function runFleet(options: FleetOptions): Promise<string> {
  const server = NodeChild.start(new URL('fleet/server-child.ts', import.meta.url), [
    options.mediaDir,
  ]);
  const { port } = await server.next<BenchMessage & { port: number }>('ready');
  const results: ScenarioResult[] = [];
  const failures: (FleetScenario & { error: string })[] = [];
  try {
    // The server parses and packetizes a file on its first DESCRIBE; done here, not while 200 sessions wait.
    for (const mbit of new Set(options.scenarios.map((s) => s.mbit))) {
      const url = `rtsp://127.0.0.1:${port}/fleet-${mbit}m.mp4`;
      await promisify(execFile)('ffprobe', ['-v', 'error', '-rtsp_transport', 'tcp', url], {
        timeout: 120_000,
      });
    }
    for (const scenario of options.scenarios) {
      const url = `rtsp://127.0.0.1:${port}/fleet-${scenario.mbit}m.mp4?play_count=0`;
      const run = scenario.client === 'rtspkit' ? runRtspkit : runFfmpeg;
      const result = await run(scenario, url, server, options).catch((error: unknown) => {
        failures.push({ ...scenario, error: String(error) });
        console.log(
          `  ${scenario.client} ${scenario.transport} ${scenario.sessions}×${scenario.mbit}M: FAILED ${String(error)}`,
        );
        return undefined;
      });
      await sleep(SETTLE_MS);
      if (result === undefined) continue;
      results.push(result);
      console.log(
        `  ${scenario.client} ${scenario.transport} ${scenario.sessions}×${scenario.mbit}M: CPU ${fmt(result.cpuPercent)}%, RSS ${fmt(result.rssTotalMiB)} MiB, frames ${result.videoFrames}/${result.expectedFrames}, lost pkts ${result.packetsLost ?? '–'}, p99 ${fmt(result.latencyMs?.p99 ?? Number.NaN)} ms, server ${fmt(result.serverCpuPercent)}% drops ${result.serverPacketsDropped}, box ${fmt(result.machineBusyPercent)}%${result.errors.length > 0 ? `, errors: ${result.errors.join('; ')}` : ''}`,
      );
    }
  } finally {
    await server.stop();
  }
  const file = writeResult('fleet', {
    machine: machineInfo(),
    options: { ...options, windowMs: undefined },
    results,
    failures,
  });
  const failed = failures.map(
    (f) => `FAILED: ${f.client} ${f.sessions} × ${f.mbit} Mbit/s ${f.transport}: ${f.error}\n`,
  );
  return `### Real-time fleet (720p25 H.264 + AAC, paced by the embedded server)\n\n${fleetTable(results)}\n\n${failed.join('')}${fleetVerdict(results)}\n\nJSON: ${file}`;
}
