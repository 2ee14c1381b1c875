/**
 * CPU time and resident memory of any process (ffmpeg or node) from Linux
 * /proc, so every client is measured the same way, from outside.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

const ticksPerSecond = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());

export interface ProcSample {
  /** User + system CPU seconds since the process started. */
  cpuSeconds: number;
  rssBytes: number;
}

/** undefined once the process is gone. */
export function sampleProcess(pid: number): ProcSample | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the parenthesised command name (which may hold spaces): state is field 3,
    // utime 14, stime 15 (proc(5)).
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const cpuTicks = Number(fields[11]) + Number(fields[12]);
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const rssKb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
    return { cpuSeconds: cpuTicks / ticksPerSecond, rssBytes: rssKb * 1024 };
  } catch {
    return undefined;
  }
}

/**
 * Seconds the process's main thread spent runnable but waiting for a CPU
 * (/proc/PID/schedstat, field 2): how much a busy shared machine held it back.
 */
export function runQueueWaitSeconds(pid: number): number | undefined {
  try {
    const fields = readFileSync(`/proc/${pid}/schedstat`, 'utf8').trim().split(' ');
    return Number(fields[1]) / 1e9;
  } catch {
    return undefined;
  }
}

/** Sum over processes; the ones already gone count zero. */
export function sampleProcesses(pids: readonly number[]): ProcSample {
  let cpuSeconds = 0;
  let rssBytes = 0;
  for (const pid of pids) {
    const sample = sampleProcess(pid);
    cpuSeconds += sample?.cpuSeconds ?? 0;
    rssBytes += sample?.rssBytes ?? 0;
  }
  return { cpuSeconds, rssBytes };
}

/**
 * Proportional set size summed over processes (/proc/PID/smaps_rollup): shared
 * pages (libraries, one binary) split among the processes mapping them, unlike
 * RSS, which counts them once per process. Processes already gone count zero.
 */
export function pssBytes(pids: readonly number[]): number {
  let total = 0;
  for (const pid of pids) {
    try {
      const rollup = readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
      total += Number(/^Pss:\s+(\d+)/m.exec(rollup)?.[1] ?? 0) * 1024;
    } catch {
      // gone
    }
  }
  return total;
}

/** CPU seconds the whole machine spent busy (all cores), from /proc/stat: shows how loaded the box was. */
export function machineBusySeconds(): { busy: number; total: number } {
  const line = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0]!;
  const ticks = line.trim().split(/\s+/).slice(1).map(Number);
  const idle = (ticks[3] ?? 0) + (ticks[4] ?? 0);
  const total = ticks.reduce((a, b) => a + b, 0);
  return { busy: (total - idle) / ticksPerSecond, total: total / ticksPerSecond };
}
