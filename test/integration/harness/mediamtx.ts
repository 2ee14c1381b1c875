/**
 * Starts mediamtx in a container (testcontainers, host network, 127.0.0.1 and
 * free ports only) and publishes fixtures into it with ffmpeg.
 *
 * The image is MEDIAMTX_IMAGE (default: the pinned upstream release). On
 * machines without a registry, .ci/run builds the same release from its Go
 * module into a local FROM-scratch image and exports MEDIAMTX_IMAGE.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { existsSync, readFileSync } from 'node:fs';
import { GenericContainer, Wait, type StartedTestContainer } from 'testcontainers';
import { freeTcpPort, freeUdpPortPair } from './ports.js';
import { requireTool } from './require-tool.js';
import { rtspStatus } from './raw-rtsp.js';

export const MEDIAMTX_VERSION = '1.12.3';
export const fixturesDir = fileURLToPath(new URL('../../fixtures/', import.meta.url));
const imageChosenBySetup = fileURLToPath(
  new URL('../../../.cache/mediamtx-image', import.meta.url),
);

/** MEDIAMTX_IMAGE, else the image scripts/setup-machine.sh found or built, else upstream. */
export const mediamtxImage =
  process.env.MEDIAMTX_IMAGE ??
  (existsSync(imageChosenBySetup) ? readFileSync(imageChosenBySetup, 'utf8').trim() : undefined) ??
  `bluenviron/mediamtx:${MEDIAMTX_VERSION}`;

export interface MediamtxUser {
  user: string;
  pass: string;
  action: 'read' | 'publish';
}

export interface MediamtxOptions {
  /** Users allowed to read/publish. Without users, anyone may read and publish. */
  users?: MediamtxUser[];
  authMethods?: ('basic' | 'digest')[];
  rtspTransports?: ('tcp' | 'udp')[];
}

export interface Publisher {
  stop(): Promise<void>;
}

export interface Credentials {
  user: string;
  pass: string;
}

export interface Mediamtx {
  readonly host: '127.0.0.1';
  readonly rtspPort: number;
  url(pathName: string, credentials?: Credentials): string;
  /** Publishes a fixture in a loop; resolves once the path answers DESCRIBE 200. */
  publish(
    fixture: string,
    pathName: string,
    options?: { credentials?: Credentials },
  ): Promise<Publisher>;
  logs(): string;
  stop(): Promise<void>;
}

function yamlString(value: string): string {
  return JSON.stringify(value);
}

export function mediamtxConfig(
  ports: { rtsp: number; rtp: number },
  options: MediamtxOptions,
): string {
  const lines = [
    'logLevel: debug',
    `rtspAddress: 127.0.0.1:${ports.rtsp}`,
    `rtpAddress: 127.0.0.1:${ports.rtp}`,
    `rtcpAddress: 127.0.0.1:${ports.rtp + 1}`,
    `rtspTransports: [${(options.rtspTransports ?? ['udp', 'tcp']).join(', ')}]`,
    `rtspAuthMethods: [${(options.authMethods ?? ['basic']).join(', ')}]`,
    'rtmp: no',
    'hls: no',
    'webrtc: no',
    'srt: no',
    'api: no',
    'metrics: no',
    'pprof: no',
    'playback: no',
  ];
  if (options.users && options.users.length > 0) {
    lines.push('authMethod: internal', 'authInternalUsers:');
    for (const u of options.users) {
      lines.push(
        `- user: ${yamlString(u.user)}`,
        `  pass: ${yamlString(u.pass)}`,
        '  ips: []',
        '  permissions:',
        `  - action: ${u.action}`,
      );
    }
  }
  lines.push('paths:', '  all_others:', '');
  return lines.join('\n');
}

function rtspUrl(port: number, pathName: string, credentials?: Credentials): string {
  const auth = credentials
    ? `${encodeURIComponent(credentials.user)}:${encodeURIComponent(credentials.pass)}@`
    : '';
  return `rtsp://${auth}127.0.0.1:${port}/${pathName}`;
}

async function waitReadable(
  port: number,
  pathName: string,
  credentials: Credentials | undefined,
  ffmpeg: ChildProcess,
  stderr: () => string,
): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    if (ffmpeg.exitCode !== null) {
      throw new Error(`ffmpeg publisher exited with ${ffmpeg.exitCode}: ${stderr()}`);
    }
    const status = await rtspStatus(port, 'DESCRIBE', pathName, credentials).catch(() => 0);
    if (status === 200) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`stream ${pathName} not readable after 20 s; ffmpeg said: ${stderr()}`);
}

export async function startMediamtx(options: MediamtxOptions = {}): Promise<Mediamtx> {
  await requireTool(
    'docker',
    ['info'],
    'a running Docker engine (bash .ci/run installs docker.io and starts dockerd)',
  );
  // The engine runs with --bridge=none (DESIGN.md section 5), so testcontainers can neither
  // find the host through a bridge gateway nor run its Ryuk reaper; vitest.config.ts sets
  // these too, and setting them here lets scripts (soak, bench) use the harness directly.
  process.env.TESTCONTAINERS_RYUK_DISABLED ??= 'true';
  process.env.TESTCONTAINERS_HOST_OVERRIDE ??= '127.0.0.1';
  const rtsp = await freeTcpPort();
  const rtp = await freeUdpPortPair();
  const config = mediamtxConfig({ rtsp, rtp }, options);
  let container: StartedTestContainer;
  try {
    container = await new GenericContainer(mediamtxImage)
      .withNetworkMode('host')
      .withCopyContentToContainer([{ content: config, target: '/mediamtx.yml' }])
      .withWaitStrategy(Wait.forLogMessage(/\[RTSP\] listener opened/))
      .withStartupTimeout(60_000)
      .start();
  } catch (err) {
    throw new Error(
      `could not start ${mediamtxImage}: ${String(err)}. ` +
        'Run `bash .ci/run` once (it builds the image when no registry is reachable), or set MEDIAMTX_IMAGE.',
      { cause: err },
    );
  }
  let logText = '';
  const logStream = await container.logs();
  logStream.on('data', (d: Buffer | string) => {
    if (logText.length < 1_000_000) logText += d.toString();
  });
  const publishers = new Set<ChildProcess>();

  return {
    host: '127.0.0.1',
    rtspPort: rtsp,
    url: (pathName, credentials) => rtspUrl(rtsp, pathName, credentials),
    logs: () => logText,
    async publish(fixture, pathName, publishOptions = {}) {
      await requireTool('ffmpeg', ['-version'], 'ffmpeg (apt-get install ffmpeg)');
      const args = [
        '-hide_banner',
        '-loglevel',
        'error',
        '-re',
        '-stream_loop',
        '-1',
        '-i',
        path.join(fixturesDir, fixture),
        '-c',
        'copy',
        '-f',
        'rtsp',
        '-rtsp_transport',
        'tcp',
        rtspUrl(rtsp, pathName, publishOptions.credentials),
      ];
      const child = spawn('ffmpeg', args, { stdio: ['ignore', 'ignore', 'pipe'] });
      publishers.add(child);
      let err = '';
      child.stderr?.on('data', (d: Buffer) => {
        if (err.length < 10_000) err += d.toString();
      });
      const stop = async (): Promise<void> => {
        publishers.delete(child);
        if (child.exitCode !== null || child.signalCode !== null) return;
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
        await exited;
        clearTimeout(timer);
      };
      try {
        const reader = options.users?.find((u) => u.action === 'read');
        await waitReadable(rtsp, pathName, reader, child, () => err);
      } catch (e) {
        await stop();
        throw e;
      }
      return { stop };
    },
    async stop() {
      await Promise.all(
        [...publishers].map(async (p) => {
          const exited = new Promise((r) => p.once('exit', r));
          if (p.exitCode === null && p.signalCode === null) p.kill('SIGKILL');
          await exited;
        }),
      );
      publishers.clear();
      await container.stop({ timeout: 2_000 });
    },
  };
}
