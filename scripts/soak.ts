/**
 * Soak test (issue 8 item 5, not run in CI): many sequential sessions, then one
 * long session, against the embedded file server (in this process) and/or
 * mediamtx (in a container), printing RSS, heap and active handles as it goes
 * and writing every sample to a JSON file.
 *
 *   node --import tsx scripts/soak.ts --sessions 1000 --long-minutes 30 [--target embedded|mediamtx|both]
 *        [--frames 5] [--sample-every 100] [--sample-seconds 30] [--out soak-results.json]
 */
import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { serve } from '../src/server/index.js';
import { RtspSession } from '../src/session/session.js';
import { fixturesDir, startMediamtx } from '../test/integration/harness/mediamtx.js';
import { collectGarbage, resourceCounts } from '../test/sim/process-probe.js';

const FIXTURE = 'h264-aac.mp4';

interface Sample {
  target: string;
  phase: 'sessions' | 'long';
  /** Sessions completed, or seconds into the long session. */
  at: number;
  rssMb: number;
  heapUsedMb: number;
  handles: Record<string, number>;
}

const { values } = parseArgs({
  options: {
    sessions: { type: 'string', default: '1000' },
    'long-minutes': { type: 'string', default: '30' },
    target: { type: 'string', default: 'both' },
    frames: { type: 'string', default: '5' },
    'sample-every': { type: 'string', default: '100' },
    'sample-seconds': { type: 'string', default: '30' },
    out: { type: 'string', default: 'soak-results.json' },
  },
});
const sessions = Number(values.sessions);
const longMinutes = Number(values['long-minutes']);
const framesPerSession = Number(values.frames);
const sampleEvery = Number(values['sample-every']);
const sampleSeconds = Number(values['sample-seconds']);
const samples: Sample[] = [];
const mb = (bytes: number): number => Math.round((bytes / 1048576) * 10) / 10;

function sample(target: string, phase: Sample['phase'], at: number): Sample {
  collectGarbage();
  const memory = process.memoryUsage();
  const entry = {
    target,
    phase,
    at,
    rssMb: mb(memory.rss),
    heapUsedMb: mb(memory.heapUsed),
    handles: Object.fromEntries(resourceCounts()),
  };
  samples.push(entry);
  console.log(
    `${target.padEnd(9)} ${phase.padEnd(8)} ${String(at).padStart(6)}  rss ${entry.rssMb} MB  heap ${entry.heapUsedMb} MB  handles ${JSON.stringify(entry.handles)}`,
  );
  return entry;
}

/** One session until `frames` video frames, then close; returns its closing reason. */
async function shortSession(url: string): Promise<string> {
  const session = new RtspSession(url, { timeoutMs: 5000, statsIntervalMs: 0 });
  let frames = 0;
  let reason = 'none';
  for await (const event of session) {
    if (event.type === 'video' && ++frames >= framesPerSession) await session.close();
    if (event.type === 'closed')
      reason = event.error === undefined ? event.reason : `${event.reason}: ${event.error.message}`;
  }
  if (frames < framesPerSession)
    throw new Error(`session ended after ${frames} frames (${reason})`);
  return reason;
}

async function longSession(
  target: string,
  url: string,
): Promise<{ frames: number; reason: string; lost: number }> {
  const session = new RtspSession(url, { timeoutMs: 5000, statsIntervalMs: 1000 });
  const started = performance.now();
  let nextSample = 0;
  let frames = 0;
  let lost = 0;
  let reason = 'none';
  const stopAt = started + longMinutes * 60_000;
  for await (const event of session) {
    if (event.type === 'video') frames++;
    if (event.type === 'stats') {
      lost = event.tracks.reduce((sum, track) => sum + track.lost, 0);
      const seconds = Math.round((performance.now() - started) / 1000);
      if (seconds >= nextSample) {
        sample(target, 'long', seconds);
        nextSample += sampleSeconds;
      }
      if (performance.now() >= stopAt) await session.close();
    }
    if (event.type === 'closed')
      reason = event.error === undefined ? event.reason : `${event.reason}: ${event.error.message}`;
  }
  return { frames, reason, lost };
}

async function soak(target: string, urlOf: () => string): Promise<Record<string, unknown>> {
  const before = sample(target, 'sessions', 0);
  const started = performance.now();
  for (let done = 1; done <= sessions; done++) {
    await shortSession(urlOf());
    if (done % sampleEvery === 0 || done === sessions) sample(target, 'sessions', done);
  }
  const sessionsSeconds = (performance.now() - started) / 1000;
  const afterSessions = samples.at(-1)!;
  const long = longMinutes > 0 ? await longSession(target, urlOf()) : undefined;
  // Closed sockets release their handles on a later turn of the event loop.
  await new Promise((resolve) => setTimeout(resolve, 500));
  const end = sample(target, 'long', Math.round(longMinutes * 60));
  return {
    target,
    sessions,
    sessionsSeconds: Math.round(sessionsSeconds),
    rssMb: {
      before: before.rssMb,
      afterSessions: afterSessions.rssMb,
      end: end.rssMb,
      max: Math.max(...samples.filter((s) => s.target === target).map((s) => s.rssMb)),
    },
    handles: { before: before.handles, end: end.handles },
    long,
  };
}

const summaries: Record<string, unknown>[] = [];
if (values.target === 'embedded' || values.target === 'both') {
  const server = await serve(fixturesDir, { port: 0 });
  try {
    // play_count=0: the file loops forever, so the long session never runs out of media.
    summaries.push(await soak('embedded', () => `${server.url(FIXTURE)}?play_count=0`));
  } finally {
    await server.close();
  }
}
if (values.target === 'mediamtx' || values.target === 'both') {
  const mtx = await startMediamtx();
  const publisher = await mtx.publish(FIXTURE, 'soak');
  try {
    summaries.push(await soak('mediamtx', () => mtx.url('soak')));
  } finally {
    await publisher.stop();
    await mtx.stop();
  }
}
await writeFile(values.out, JSON.stringify({ node: process.version, summaries, samples }, null, 2));
console.log(JSON.stringify(summaries, null, 2));
