/**
 * Runs one target for a set time in worker threads and watches them: a worker
 * whose execution counter stops moving has hung, and one that dies ran out of
 * memory or crashed outside an execution. Either is a finding, saved with the
 * input it was executing; a new worker then takes over for the time left.
 */
import { Worker } from 'node:worker_threads';
import { findingKey, type Finding } from './check.js';
import { writeRegression } from './files.js';
import type { FindingRecord, FuzzStats } from './fuzzer.js';
import type { FuzzTarget } from './target.js';
import { WatchdogView, type WorkerMessage, type WorkerStart } from './watchdog.js';

/** An execution still running after this long is a hang (slower ones that end are caught at 1 s in the worker). */
const HANG_MS = 10_000;
const SLOW_MS = 1000;
const HEAP_GROWTH_BYTES = 256 * 2 ** 20;
const WORKER_HEAP_MB = 1024;

export interface TargetResult {
  target: string;
  seconds: number;
  execs: number;
  execsPerSecond: number;
  seedInputs: number;
  corpus: number;
  features: number;
  startBlocks: number;
  blocks: number;
  workerRestarts: number;
  findings: FindingRecord[];
  finishedAt: string;
}

/** Runs workers for `target` until its time is used, restarting one that hangs or dies. */
export async function fuzzOne(
  target: FuzzTarget,
  seconds: number,
  seed: number,
): Promise<TargetResult> {
  const started = Date.now();
  const deadline = started + seconds * 1000;
  const done: FuzzStats[] = [];
  /** Hangs and worker deaths, one file per distinct finding. */
  const workerFindings = new Map<string, FindingRecord>();
  let restarts = 0;
  for (let left = deadline - Date.now(); left > 1000; left = deadline - Date.now()) {
    const outcome = await runWorker(target, left / 1000, seed + restarts);
    done.push(outcome.stats);
    if (outcome.stopped === undefined) break;
    restarts++;
    const { finding, input } = outcome.stopped;
    const known = workerFindings.get(finding.key);
    if (known !== undefined) {
      known.count++;
      continue;
    }
    const file = writeRegression(target, input, finding);
    console.log(`${target.name}: ${finding.kind}: ${finding.message} → ${file}`);
    workerFindings.set(finding.key, {
      kind: finding.kind,
      message: finding.message,
      file,
      count: 1,
    });
  }
  const elapsed = (Date.now() - started) / 1000;
  const execs = done.reduce((sum, stats) => sum + stats.execs, 0);
  const last = done.at(-1);
  const result: TargetResult = {
    target: target.name,
    seconds: Math.round(elapsed),
    execs,
    execsPerSecond: Math.round(execs / elapsed),
    seedInputs: last?.seedInputs ?? 0,
    corpus: last?.corpus ?? 0,
    features: last?.features ?? 0,
    startBlocks: last?.startBlocks ?? 0,
    blocks: last?.blocks ?? 0,
    workerRestarts: restarts,
    findings: [
      ...mergeFindings(done.flatMap((stats) => stats.findings)),
      ...workerFindings.values(),
    ],
    finishedAt: new Date().toISOString(),
  };
  console.log(`${target.name}: done, ${execs} execs, ${result.findings.length} distinct findings`);
  return result;
}

function mergeFindings(records: readonly FindingRecord[]): FindingRecord[] {
  const byFile = new Map<string, FindingRecord>();
  for (const record of records) {
    const known = byFile.get(record.file);
    if (known === undefined) byFile.set(record.file, { ...record });
    else known.count += record.count;
  }
  return [...byFile.values()];
}

interface WorkerOutcome {
  stats: FuzzStats;
  /** Set when the watchdog stopped the worker (hang) or it died (out of memory, crash outside an execution). */
  stopped?: { finding: Finding; input: Uint8Array };
}

function runWorker(
  target: FuzzTarget,
  workerSeconds: number,
  workerSeed: number,
): Promise<WorkerOutcome> {
  const watchdog = WatchdogView.create(target.maxInputBytes);
  const start: WorkerStart = {
    target: target.name,
    seed: workerSeed,
    seconds: workerSeconds,
    slowMs: SLOW_MS,
    heapGrowthBytes: HEAP_GROWTH_BYTES,
    shared: watchdog.shared,
  };
  // tsx's loader is not inherited by workers (Node 20), so the worker registers it first.
  const entry = new URL('./worker.ts', import.meta.url).href;
  const worker = new Worker(
    `import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(entry)}); })`,
    {
      eval: true,
      workerData: start,
      resourceLimits: { maxOldGenerationSizeMb: WORKER_HEAP_MB },
    },
  );
  let stats: FuzzStats = {
    target: target.name,
    execs: 0,
    seedInputs: 0,
    corpus: 0,
    features: 0,
    startBlocks: 0,
    blocks: 0,
    findings: [],
  };
  return new Promise((resolve) => {
    let settled = false;
    const finish = (finding?: Finding): void => {
      if (settled) return;
      settled = true;
      clearInterval(timer);
      if (finding === undefined) {
        resolve({ stats });
        return;
      }
      const input = watchdog.currentInput();
      void worker.terminate();
      resolve({
        stats: { ...stats, execs: Math.max(stats.execs, watchdog.executions) },
        stopped: { finding, input },
      });
    };
    let lastExecutions = -1;
    let lastChange = Date.now();
    const timer = setInterval(() => {
      const executions = watchdog.executions;
      if (executions !== lastExecutions || !watchdog.fuzzing) {
        lastExecutions = executions;
        lastChange = Date.now();
      } else if (Date.now() - lastChange > HANG_MS) {
        const message = `an execution did not return within ${HANG_MS} ms`;
        finish({
          kind: 'timeout',
          message,
          stack: message,
          key: findingKey('timeout', message, ''),
        });
      }
    }, 500);
    worker.on('message', (message: WorkerMessage) => {
      stats = message.stats;
      if (message.type === 'progress') {
        const { execs, corpus, features, blocks, findings } = stats;
        console.log(
          `${target.name}: ${execs} execs, corpus ${corpus}, features ${features}, blocks ${blocks}, findings ${findings.length}`,
        );
      }
    });
    worker.on('error', (error: Error & { code?: string }) => {
      const kind = error.code === 'ERR_WORKER_OUT_OF_MEMORY' ? 'out-of-memory' : 'crash';
      const stack = error.stack ?? error.message;
      finish({ kind, message: error.message, stack, key: findingKey(kind, error.message, stack) });
    });
    worker.on('exit', () => finish());
  });
}
