/**
 * npm run fuzz -- [--target NAME[,NAME...]|all] [--seconds N] [--seed S] [--jobs J] [--replay FILE]
 *
 * Coverage-guided mutation fuzzing of every parser and depacketizer (see
 * README.md): each target for `--seconds` in worker threads under a watchdog
 * (supervisor.ts), `--jobs` targets at a time. Findings go to
 * test/fuzz/regressions/<target>/, the figures to test/fuzz/results.json.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { execute } from './check.js';
import { FUZZ_DIR } from './files.js';
import { fuzzOne, type TargetResult } from './supervisor.js';
import type { FuzzTarget } from './target.js';
import { fuzzTarget, fuzzTargets } from './targets/index.js';

const RESULTS_FILE = join(FUZZ_DIR, 'results.json');

const { values } = parseArgs({
  options: {
    target: { type: 'string', default: 'all' },
    seconds: { type: 'string', default: '60' },
    seed: { type: 'string' },
    jobs: { type: 'string', default: '1' },
    replay: { type: 'string' },
  },
});

function usage(message: string): never {
  console.error(
    `${message}\nusage: npm run fuzz -- [--target ${fuzzTargets.map((t) => t.name).join('|')}|all|A,B,...] [--seconds N] [--seed S] [--jobs J] [--replay FILE]`,
  );
  process.exit(2);
}

const targets =
  values.target === 'all'
    ? fuzzTargets
    : values.target.split(',').map((name) => fuzzTarget(name) ?? usage(`unknown target ${name}`));
const seconds = Number(values.seconds);
const jobs = Number(values.jobs);
const seed = values.seed === undefined ? Date.now() >>> 0 : Number(values.seed);
if (!(seconds > 0) || !(Number.isInteger(jobs) && jobs > 0) || !Number.isInteger(seed))
  usage('--seconds, --jobs and --seed take numbers');

if (values.replay !== undefined) {
  replay(targets[0]!, values.replay); // one target when --replay is given with --target
} else {
  console.log(
    `fuzzing ${targets.map((t) => t.name).join(', ')} for ${seconds} s each, ${jobs} at a time, seed ${seed}`,
  );
  const results = await runAll(targets, jobs);
  printTable(results);
  saveResults(results);
}

function replay(target: FuzzTarget, file: string): void {
  if (values.target === 'all') usage('--replay needs --target');
  const execution = execute(target, new Uint8Array(readFileSync(file)));
  if (execution.finding === undefined)
    console.log(`${target.name}: ${file} runs without a finding`);
  else console.log(`${target.name}: ${execution.finding.kind}\n${execution.finding.stack}`);
}

async function runAll(all: readonly FuzzTarget[], parallel: number): Promise<TargetResult[]> {
  const queue = [...all];
  const results: TargetResult[] = [];
  const lane = async (): Promise<void> => {
    for (let target = queue.shift(); target !== undefined; target = queue.shift())
      results.push(await fuzzOne(target, seconds, seed));
  };
  await Promise.all(Array.from({ length: Math.min(parallel, all.length) }, lane));
  return results.sort(
    (a, b) => all.findIndex((t) => t.name === a.target) - all.findIndex((t) => t.name === b.target),
  );
}

function printTable(results: readonly TargetResult[]): void {
  const rows = results.map((r) => [
    r.target,
    String(r.seconds),
    String(r.execs),
    String(r.execsPerSecond),
    `${r.seedInputs}→${r.corpus}`,
    String(r.features),
    `${r.startBlocks}→${r.blocks}`,
    String(r.findings.length),
  ]);
  const header = [
    'target',
    'seconds',
    'execs',
    'exec/s',
    'corpus',
    'features',
    'blocks',
    'findings',
  ];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  for (const row of [header, ...rows])
    console.log(row.map((cell, i) => cell.padEnd(widths[i]!)).join('  '));
  for (const r of results)
    for (const f of r.findings)
      console.log(`${r.target}: ${f.kind} ×${f.count}: ${f.message.slice(0, 160)}\n  ${f.file}`);
}

/** Merged by target into results.json, so separate runs (one per target) add up. */
function saveResults(results: readonly TargetResult[]): void {
  const previous: Record<string, TargetResult> = existsSync(RESULTS_FILE)
    ? (JSON.parse(readFileSync(RESULTS_FILE, 'utf8')) as Record<string, TargetResult>)
    : {};
  for (const result of results) previous[result.target] = result;
  writeFileSync(RESULTS_FILE, `${JSON.stringify(previous, null, 2)}\n`);
}
