/**
 * Starts mediamtx in a container (testcontainers, host network, 127.0.0.1 and
 * free ports only) and publishes fixtures into it with ffmpeg. It can kill
 * the container and start it again on the same ports (reconnect tests).
 *
 * The image is MEDIAMTX_IMAGE (default: the pinned upstream release). On
 * machines without a registry, .ci/run builds the same release from its Go
 * module into a local FROM-scratch image and exports MEDIAMTX_IMAGE.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { existsSync, readFileSync } from 'node:fs';
import {
  GenericContainer,
  getContainerRuntimeClient,
  type StartedTestContainer,
} from 'testcontainers';
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
  /** Stops publishing, also after a restart (it is not published again). */
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
    /**
     * `latm`: AAC as MP4A-LATM (RFC 6416) instead of mpeg4-generic (ffmpeg's -rtpflags latm).
     * `encode`: ffmpeg output codec options that re-encode the fixture on the fly, instead of
     * `-c copy` (e.g. JPEGs with the standard Huffman tables RFC 2435 needs).
     */
    options?: { credentials?: Credentials; latm?: boolean; encode?: string[] },
  ): Promise<Publisher>;
  logs(): string;
  /** SIGKILLs the container and the publishers: clients see their connections drop, the port closes. */
  kill(): Promise<void>;
  /**
   * Starts the container again (killing it first if it runs) on the same
   * ports and publishes again what was published; resolves once every path
   * answers DESCRIBE 200.
   */
  restart(): Promise<void>;
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
      throw new Error(
        `ffmpeg publishing to ${pathName} exited with ${ffmpeg.exitCode}: ${stderr()}`,
      );
    }
    const status = await rtspStatus(port, 'DESCRIBE', pathName, credentials).catch(() => 0);
    if (status === 200) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`stream ${pathName} not readable after 20 s; ffmpeg said: ${stderr()}`);
}

/** One publish() call: its ffmpeg process, replaced by a new one after a restart. */
interface Publication {
  fixture: string;
  pathName: string;
  credentials: Credentials | undefined;
  latm: boolean;
  encode: string[] | undefined;
  child: ChildProcess | undefined;
  stderr: string;
}

function spawnPublisher(rtspPort: number, publication: Omit<Publication, 'child' | 'stderr'>) {
  const args = [
    '-hide_banner',
    '-loglevel',
    'error',
    '-re',
    '-stream_loop',
    '-1',
    '-i',
    path.join(fixturesDir, publication.fixture),
    ...(publication.encode ?? ['-c', 'copy']),
    ...(publication.latm ? ['-rtpflags', 'latm'] : []),
    '-f',
    'rtsp',
    '-rtsp_transport',
    'tcp',
    rtspUrl(rtspPort, publication.pathName, publication.credentials),
  ];
  return spawn('ffmpeg', args, { stdio: ['ignore', 'ignore', 'pipe'] });
}

/** Until the (re)started container answers on its RTSP port. */
async function waitListening(port: number, logs: () => string): Promise<void> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const answered = await rtspStatus(port, 'OPTIONS', '').then(
      () => true,
      () => false,
    );
    if (answered) return;
    if (Date.now() > deadline)
      throw new Error(
        `mediamtx not listening on ${port} after 20 s; it logged: ${logs().slice(-2000)}`,
      );
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function endProcess(
  child: ChildProcess | undefined,
  signal: 'SIGTERM' | 'SIGKILL',
): Promise<void> {
  if (child === undefined || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill(signal);
  const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
  await exited;
  clearTimeout(timer);
}

/**
 * Not Wait.forLogMessage: once matched it destroys only testcontainers' proxy of the
 * log stream, and docker-modem keeps writing every later log line into the unread
 * demuxed PassThrough under it, which buffers them for the container's lifetime.
 * The caller waits for the RTSP port instead.
 */
async function startContainer(config: string): Promise<StartedTestContainer> {
  try {
    return await new GenericContainer(mediamtxImage)
      .withNetworkMode('host')
      .withCopyContentToContainer([{ content: config, target: '/mediamtx.yml' }])
      .withStartupTimeout(60_000)
      .start();
  } catch (err) {
    throw new Error(
      `could not start ${mediamtxImage}: ${String(err)}. ` +
        'Run `bash .ci/run` once (it builds the image when no registry is reachable), or set MEDIAMTX_IMAGE.',
      { cause: err },
    );
  }
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
  const container = await startContainer(mediamtxConfig({ rtsp, rtp }, options));
  // The newest ~1e6 characters (logLevel debug logs every request): whole chunks, oldest dropped.
  const logChunks: string[] = [];
  let logLength = 0;
  const logs = (): string => logChunks.join('');
  const followLogs = async (since?: number): Promise<void> => {
    const logStream = await container.logs(since === undefined ? undefined : { since });
    logStream.on('data', (d: Buffer | string) => {
      const chunk = d.toString();
      logChunks.push(chunk);
      logLength += chunk.length;
      while (logLength - logChunks[0]!.length >= 1_000_000) logLength -= logChunks.shift()!.length;
    });
  };
  await followLogs();
  await waitListening(rtsp, logs);
  const publications = new Set<Publication>();
  const reader = options.users?.find((u) => u.action === 'read');
  let killed = false;

  /** Starts (or restarts) a publication's ffmpeg; resolves once its path is readable. */
  const run = async (publication: Publication): Promise<void> => {
    await requireTool('ffmpeg', ['-version'], 'ffmpeg (apt-get install ffmpeg)');
    const child = spawnPublisher(rtsp, publication);
    publication.child = child;
    publication.stderr = '';
    child.stderr?.on('data', (d: Buffer) => {
      if (publication.stderr.length < 10_000) publication.stderr += d.toString();
    });
    await waitReadable(rtsp, publication.pathName, reader, child, () => publication.stderr).catch(
      (error: unknown) => {
        // Its non-debug lines say why it refused (e.g. why a request got 400).
        const said = logs()
          .split('\n')
          .filter((line) => / (INF|WAR|ERR) /.test(line))
          .slice(-20);
        throw new Error(`${(error as Error).message}\nmediamtx logged:\n${said.join('\n')}`, {
          cause: error,
        });
      },
    );
  };

  const kill = async (): Promise<void> => {
    killed = true;
    const client = await getContainerRuntimeClient();
    await client.container.getById(container.getId()).kill();
    await Promise.all([...publications].map((p) => endProcess(p.child, 'SIGKILL')));
  };

  return {
    host: '127.0.0.1',
    rtspPort: rtsp,
    url: (pathName, credentials) => rtspUrl(rtsp, pathName, credentials),
    logs,
    async publish(fixture, pathName, publishOptions = {}) {
      const publication: Publication = {
        fixture,
        pathName,
        credentials: publishOptions.credentials,
        latm: publishOptions.latm ?? false,
        encode: publishOptions.encode,
        child: undefined,
        stderr: '',
      };
      publications.add(publication);
      const stop = async (): Promise<void> => {
        publications.delete(publication);
        await endProcess(publication.child, 'SIGTERM');
      };
      try {
        await run(publication);
      } catch (e) {
        await stop();
        throw e;
      }
      return { stop };
    },
    kill,
    async restart() {
      if (!killed) await kill();
      const since = Date.now() / 1000;
      // Not testcontainers' restart(): its log wait filters on the container's StartedAt, which
      // docker may record after mediamtx already logged the listener line (the wait then hangs).
      const client = await getContainerRuntimeClient();
      await client.container.start(client.container.getById(container.getId()));
      killed = false;
      await followLogs(since);
      await waitListening(rtsp, logs);
      await Promise.all([...publications].map(run));
    },
    async stop() {
      await Promise.all([...publications].map((p) => endProcess(p.child, 'SIGKILL')));
      publications.clear();
      await container.stop({ timeout: 2_000 });
    },
  };
}
