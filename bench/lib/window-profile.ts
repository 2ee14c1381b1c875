/**
 * CPU profile of a measurement window only (not the process's start-up and
 * warm-up, which `--cpu-prof` would mix in), through the inspector. The parent
 * sets BENCH_PROFILE_DIR; the profile lands there as <pid>-<n>.cpuprofile.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';

const dir = process.env.BENCH_PROFILE_DIR;
let session: Session | undefined;
let count = 0;

/** The environment that makes a child profile its windows into `dir` (none when undefined). */
export function profileEnv(dir: string | undefined): Record<string, string> {
  return dir === undefined ? {} : { BENCH_PROFILE_DIR: dir };
}

export async function startWindowProfile(): Promise<void> {
  if (dir === undefined || session !== undefined) return;
  session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
}

export async function stopWindowProfile(): Promise<void> {
  if (dir === undefined || session === undefined) return;
  const { profile } = await session.post('Profiler.stop');
  session.disconnect();
  session = undefined;
  mkdirSync(dir, { recursive: true });
  writeFileSync(`${dir}/${process.pid}-${++count}.cpuprofile`, JSON.stringify(profile));
}
