/**
 * Top self-time functions of V8 CPU profiles (`node --cpu-prof`), as a
 * markdown table: where a benchmark client spends its time.
 * Usage: node --import tsx bench/profile-summary.ts FILE.cpuprofile... [--top N] [--by-file]
 */
import { readFileSync } from 'node:fs';
import { markdownTable } from './lib/report.js';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** Self milliseconds by function (name, file and line), or by file; idle excluded. */
export function selfTimes(profile: CpuProfile, byFile = false): Map<string, number> {
  const names = new Map<number, string>();
  for (const { id, callFrame } of profile.nodes) {
    const file = callFrame.url.replace(/^.*\/(dist|node_modules|bench)\//, '$1/');
    const where = file === '' ? '' : ` ${file}:${callFrame.lineNumber + 1}`;
    const name = callFrame.functionName || '(anonymous)';
    // `dispatch` (no file) is the inspector starting and stopping the profiler of window profiles.
    if (name === '(idle)' || (name === 'dispatch' && file === '')) continue;
    names.set(id, byFile ? file || (name.startsWith('(') ? name : '(native)') : `${name}${where}`);
  }
  const totals = new Map<string, number>();
  profile.samples.forEach((id, i) => {
    const name = names.get(id);
    if (name === undefined) return; // idle or the profiler itself
    totals.set(name, (totals.get(name) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
  });
  return totals;
}

export function summarize(files: readonly string[], top: number, byFile = false): string {
  const totals = new Map<string, number>();
  for (const file of files) {
    const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
    for (const [name, ms] of selfTimes(profile, byFile))
      totals.set(name, (totals.get(name) ?? 0) + ms);
  }
  const busy = [...totals.values()].reduce((a, b) => a + b, 0);
  const rows = [...totals.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([name, ms]) => [`\`${name}\``, Math.round(ms), ((ms / busy) * 100).toFixed(1)]);
  return `${markdownTable([byFile ? 'file (self time)' : 'function (self time)', 'ms', '% of busy'], rows)}\n\nbusy (non-idle) total: ${Math.round(busy)} ms`;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const args = process.argv.slice(2);
  const topAt = args.indexOf('--top');
  const top = topAt >= 0 ? Number(args[topAt + 1]) : 25;
  const files = args.filter((a, i) => !a.startsWith('--') && (topAt < 0 || i !== topAt + 1));
  console.log(summarize(files, top, args.includes('--by-file')));
}
