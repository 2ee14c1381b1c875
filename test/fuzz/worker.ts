/**
 * One target's fuzzing, in a worker thread so that run.ts can stop an
 * execution that never returns. Before each execution the input is copied
 * into the shared buffer and the execution counter bumped: the watchdog reads
 * them to name the input of a hang.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { parentPort, workerData } from 'node:worker_threads';
import { performance } from 'node:perf_hooks';
import { BlockCoverage } from './coverage.js';
import { Fuzzer } from './fuzzer.js';
import { fuzzTarget } from './targets/index.js';
import { WatchdogView, type WorkerMessage, type WorkerStart } from './watchdog.js';

const start = workerData as WorkerStart;
const target = fuzzTarget(start.target);
if (target === undefined || parentPort === null) throw new Error(`no fuzz target ${start.target}`);
const port = parentPort;
const SRC_URL = new URL('../../src/', import.meta.url).href;

setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;
const watchdog = new WatchdogView(start.shared);

const fuzzer = new Fuzzer(target, {
  seed: start.seed,
  slowMs: start.slowMs,
  heapGrowthBytes: start.heapGrowthBytes,
  beforeExecution: (input) => watchdog.beforeExecution(input),
  collectGarbage,
  coverage: new BlockCoverage((url) => url.startsWith(SRC_URL)),
});
watchdog.startFuzzing();
fuzzer.loadCorpus();
const report = (type: WorkerMessage['type']) => (stats: WorkerMessage['stats']) =>
  port.postMessage({ type, stats } satisfies WorkerMessage);
const stats = fuzzer.fuzzUntil(performance.now() + start.seconds * 1000, 5000, report('progress'));
report('done')(stats);
