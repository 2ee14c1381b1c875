#!/usr/bin/env node
// The README demo, no camera needed (scripts/demo.sh installs and builds first):
//   1. `rtspkit serve test/fixtures --port 0`: the embedded server on a free 127.0.0.1 port;
//   2. `rtspkit probe`, `rtspkit dump` and `rtspkit timing` against one of its files;
//   3. ffprobe decodes what dump wrote, and a summary says what was checked.
// The server is stopped on every way out: the end, a failure, Ctrl-C, SIGTERM.
//
// Usage: node scripts/demo.mjs [OUTPUT_DIR]   (default demo-out; after `npm run build`)
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { constants } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

process.chdir(fileURLToPath(new URL('..', import.meta.url)));
const cli = 'dist/cli/main.js';
const fixture = 'h264-aac.mp4';
const seconds = '3';
const outDir = process.argv[2] ?? 'demo-out';
const video = path.join(outDir, 'cam.h264');
const audio = path.join(outDir, 'cam.aac');
const report = path.join(outDir, 'timing.html');
mkdirSync(outDir, { recursive: true });

const server = spawn(process.execPath, [cli, 'serve', 'test/fixtures', '--port', '0'], {
  stdio: ['ignore', 'pipe', 'inherit'],
});
const serverExit = new Promise((resolve) =>
  server.once('exit', (code, signal) => resolve(code ?? signal)),
);
/** The running `rtspkit` client, stopped with the server. */
let client;
const stop = (child) => {
  if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
};
const stopServer = () => stop(server);
process.once('exit', () => {
  stop(client);
  stopServer();
});
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.once(signal, () => process.exit(128 + constants.signals[signal]));
}

/** The server's base URL from its banner `serving DIR at rtsp://HOST:PORT/`. */
function serverUrl() {
  return new Promise((resolve, reject) => {
    let banner = '';
    const timer = setTimeout(
      () => reject(new Error('rtspkit serve did not start in 10 s')),
      10_000,
    );
    server.stdout.on('data', (chunk) => {
      banner += chunk;
      const url = / at (rtsp:\/\/\S+\/)/.exec(banner)?.[1];
      if (url === undefined) return;
      clearTimeout(timer);
      resolve(url);
    });
    void serverExit.then((status) => {
      clearTimeout(timer);
      reject(new Error(`rtspkit serve exited (${status}) before it served`));
    });
  });
}

/** `rtspkit ARGS` with its output on ours; rejects when it fails. */
function rtspkit(args) {
  console.log(`\n$ rtspkit ${args.join(' ')}`);
  const child = (client = spawn(process.execPath, [cli, ...args], { stdio: 'inherit' }));
  return new Promise((resolve, reject) =>
    child.once('close', (code, signal) =>
      code === 0 ? resolve() : reject(new Error(`rtspkit ${args[0]} failed (${code ?? signal})`)),
    ),
  );
}

/** The first stream of FILE as ffprobe decodes it; undefined without ffprobe. */
function ffprobe(file) {
  const run = spawnSync(
    'ffprobe',
    [
      '-v',
      'error',
      '-count_frames',
      '-show_entries',
      'stream=codec_name,width,height,sample_rate,channels,nb_read_frames',
      '-of',
      'json',
      file,
    ],
    { encoding: 'utf8' },
  );
  if (run.error?.code === 'ENOENT') return undefined;
  if (run.status !== 0 || run.stderr.trim() !== '')
    return { error: run.stderr.trim() || `exit ${run.status}` };
  return JSON.parse(run.stdout).streams[0] ?? { error: 'no stream' };
}

const problems = [];
let unchecked = false;
const line = (label, text) => console.log(`  ${label.padEnd(8)}${text}`);

/** One summary line for a dumped file; a problem when ffprobe does not decode `codec` frames from it. */
function check(label, file, codec, describe) {
  const stream = ffprobe(file);
  if (stream === undefined) {
    unchecked = true;
    return line(label, `${file} (not checked: ffprobe not found)`);
  }
  const frames = Number(stream.nb_read_frames ?? 0);
  if (stream.error !== undefined || stream.codec_name !== codec || frames === 0) {
    problems.push(
      `${file}: expected ${codec} frames, ffprobe says ${stream.error ?? JSON.stringify(stream)}`,
    );
    return line(label, `${file} FAILED`);
  }
  line(label, `${file}: ${describe(stream)}, ${frames} frames decoded by ffprobe`);
}

let base;
try {
  base = await serverUrl();
  console.log(`rtspkit demo: embedded RTSP server at ${base} serving test/fixtures`);
  const url = base + fixture;
  await rtspkit(['probe', url]);
  await rtspkit(['dump', url, '-o', video, '--audio', audio, '--duration', seconds]);
  await rtspkit(['timing', url, '--duration', seconds, '--report', report]);
} catch (error) {
  problems.push(error.message);
} finally {
  stopServer();
}
const serverStatus = await serverExit;
if (serverStatus !== 0) problems.push(`rtspkit serve ended with ${serverStatus}`);

console.log('\n== summary');
line('server', `rtspkit serve at ${base ?? '(did not start)'}, stopped (${serverStatus})`);
check('video', video, 'h264', (s) => `h264 ${s.width}x${s.height}`);
check('audio', audio, 'aac', (s) => `aac ${s.sample_rate} Hz, ${s.channels} channel(s)`);
if (existsSync(report)) line('report', `${report} (open it in a browser)`);
line('play', `ffplay ${video}`);
if (problems.length > 0) {
  console.log(`\ndemo FAILED:\n${problems.map((p) => `  ${p}`).join('\n')}`);
  process.exitCode = 1;
} else {
  console.log(
    unchecked ? '\ndemo OK (files not checked: install ffmpeg for ffprobe)' : '\ndemo OK',
  );
}
