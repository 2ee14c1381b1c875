/**
 * The mutation loop for one target: pick a corpus entry, mutate it, execute,
 * keep the input when it shows a feature never seen ("new behaviour"
 * feedback), record findings (minimized, one file per distinct bug), flag
 * executions slower than `slowMs` that grow faster than their input, and
 * watch the heap for growth.
 */
import { performance } from 'node:perf_hooks';
import { execute, findingKey, type Execution, type Finding } from './check.js';
import {
  readInputs,
  regressionDir,
  seedDir,
  workDir,
  writeInput,
  writeRegression,
} from './files.js';
import type { BlockCoverage } from './coverage.js';
import { mutate, type MutationContext } from './mutate.js';
import { Random } from './random.js';
import type { FuzzTarget } from './target.js';

export interface FuzzerOptions {
  seed: number;
  /** An execution slower than this is a finding (the brief's hang threshold). */
  slowMs: number;
  /** Retained heap growth (after GC) beyond this is a finding. */
  heapGrowthBytes: number;
  /** Called with each input before it runs, so a watchdog can name the input of a hang. */
  beforeExecution: (input: Uint8Array) => void;
  /** Forces a garbage collection, for the heap check. */
  collectGarbage: () => void;
  /** Block coverage of src/ as a second "new behaviour" signal; without it, features only. */
  coverage?: BlockCoverage;
}

export interface FindingRecord {
  kind: Finding['kind'];
  message: string;
  file: string;
  count: number;
}

export interface FuzzStats {
  target: string;
  execs: number;
  seedInputs: number;
  corpus: number;
  features: number;
  /** Blocks of src/ covered after the starting corpus ran, and now. */
  startBlocks: number;
  blocks: number;
  findings: FindingRecord[];
}

type Outcome = 'new' | 'seen' | 'discard';

const MINIMIZE_ATTEMPTS = 400;
/** Inputs per coverage check (see coverage.ts). */
const BATCH = 32;
const encoder = new TextEncoder();

export class Fuzzer {
  readonly #target: FuzzTarget;
  readonly #options: FuzzerOptions;
  readonly #random: Random;
  readonly #corpus: Uint8Array[] = [];
  readonly #features = new Set<string>();
  readonly #findings = new Map<string, FindingRecord>();
  readonly #context: MutationContext;
  #execs = 0;
  #seedInputs = 0;
  #startBlocks = 0;

  constructor(target: FuzzTarget, options: FuzzerOptions) {
    this.#target = target;
    this.#options = options;
    this.#random = new Random(options.seed);
    this.#context = {
      random: this.#random,
      maxBytes: target.maxInputBytes,
      controlBytes: target.controlBytes,
      other: () => this.#random.pick(this.#corpus),
      dictionary: target.dictionary.map((token) =>
        typeof token === 'string' ? encoder.encode(token) : token,
      ),
    };
  }

  /** Seeds, earlier interesting inputs and regressions; all run once to learn their features. */
  loadCorpus(): void {
    const name = this.#target.name;
    const seeds = [...readInputs(seedDir(name)), ...readInputs(regressionDir(name))];
    this.#seedInputs = seeds.length;
    const coverage = this.#options.coverage;
    coverage?.take();
    for (const { bytes } of [...seeds, ...readInputs(workDir(name))]) {
      const input = bytes.subarray(0, this.#target.maxInputBytes);
      this.#corpus.push(input);
      this.#run(input);
      coverage?.add(coverage.take());
    }
    if (this.#corpus.length === 0) this.#corpus.push(new Uint8Array(0));
    this.#startBlocks = coverage?.size ?? 0;
  }

  /** Fuzzes until `deadline` (performance.now() ms), calling `progress` every `progressMs`. */
  fuzzUntil(deadline: number, progressMs: number, progress: (stats: FuzzStats) => void): FuzzStats {
    let nextReport = performance.now() + progressMs;
    let heapBaseline: number | undefined;
    for (let now = performance.now(); now < deadline; now = performance.now()) {
      const batch: Uint8Array[] = [];
      for (let i = 0; i < BATCH; i++) {
        const input = mutate(this.#random.pick(this.#corpus), this.#context);
        const outcome = this.#run(input);
        if (outcome === 'new') this.#keep(input);
        else if (outcome === 'seen') batch.push(input);
      }
      this.#keepNewCoverage(batch);
      if (now >= nextReport) {
        nextReport = now + progressMs;
        heapBaseline = this.#checkHeap(heapBaseline);
        progress(this.stats);
      }
    }
    return this.stats;
  }

  get stats(): FuzzStats {
    return {
      target: this.#target.name,
      execs: this.#execs,
      seedInputs: this.#seedInputs,
      corpus: this.#corpus.length,
      features: this.#features.size,
      startBlocks: this.#startBlocks,
      blocks: this.#options.coverage?.size ?? 0,
      findings: [...this.#findings.values()],
    };
  }

  #keep(input: Uint8Array): void {
    this.#corpus.push(input);
    writeInput(workDir(this.#target.name), input);
  }

  /**
   * When the batch ran a block never covered before, runs its inputs one by one to keep those that
   * did. Kept inputs ran outside `batch` but inside the coverage taken here, so a block they found
   * can send one batch through this loop for nothing.
   */
  #keepNewCoverage(batch: readonly Uint8Array[]): void {
    const coverage = this.#options.coverage;
    if (coverage === undefined || !coverage.hasNew(coverage.take())) return;
    for (const input of batch) {
      this.#execute(input);
      if (coverage.add(coverage.take()) > 0) this.#keep(input);
    }
  }

  /** Executes `input`: a finding, or whether it showed a new feature. */
  #run(input: Uint8Array): Outcome {
    const started = performance.now();
    const execution = this.#execute(input);
    const elapsed = performance.now() - started;
    if (execution.finding !== undefined) {
      this.#record(input, execution.finding);
      return 'discard';
    }
    if (elapsed > this.#options.slowMs) {
      const slow = this.#superLinear(input);
      if (slow !== undefined) this.#record(input, slow);
      return 'discard'; // every mutation of it would be slow too
    }
    let fresh = false;
    for (const feature of execution.features) {
      if (!this.#features.has(feature)) {
        this.#features.add(feature);
        fresh = true;
      }
    }
    return fresh ? 'new' : 'seen';
  }

  /**
   * A slow input is a finding when its time grows faster than its length: it takes more than three
   * times as long as its first half. Linear work on a large input (thousands of junk packets) is
   * not. Timed again, so a pause of the machine does not count.
   */
  #superLinear(input: Uint8Array): Finding | undefined {
    const { slowMs } = this.#options;
    const full = this.#time(input);
    if (full <= slowMs) return undefined;
    const control = this.#target.controlBytes;
    const half = this.#time(input.subarray(0, control + Math.ceil((input.length - control) / 2)));
    if (full <= 3 * half) return undefined;
    const message = `execution took ${Math.round(full)} ms (limit ${slowMs} ms) on ${input.length} bytes, ${Math.round(half)} ms on its first half`;
    return { kind: 'slow', message, stack: message, key: 'slow' };
  }

  #time(input: Uint8Array): number {
    const started = performance.now();
    this.#execute(input);
    return performance.now() - started;
  }

  #execute(input: Uint8Array): Execution {
    this.#options.beforeExecution(input);
    this.#execs++;
    return execute(this.#target, input);
  }

  #record(input: Uint8Array, finding: Finding): void {
    const known = this.#findings.get(finding.key);
    if (known !== undefined) {
      known.count++;
      return;
    }
    const minimize = finding.kind === 'crash' || finding.kind === 'invariant';
    const minimized = minimize ? this.#minimize(input, finding.key) : input;
    // The note tells what the stored input does, not the input first found.
    const shown = minimize ? (this.#execute(minimized).finding ?? finding) : finding;
    const file = writeRegression(this.#target, minimized, shown);
    this.#findings.set(finding.key, {
      kind: finding.kind,
      message: shown.message,
      file,
      count: 1,
    });
  }

  /** Shorter inputs with the same finding: random range deletions, larger ones first. */
  #minimize(input: Uint8Array, key: string): Uint8Array {
    let best = input;
    const control = this.#target.controlBytes;
    for (let attempt = 0; attempt < MINIMIZE_ATTEMPTS && best.length > control; attempt++) {
      const span = Math.max(1, Math.floor((best.length - control) / (2 + (attempt >> 4))));
      const start = control + this.#random.below(best.length - control);
      const candidate = new Uint8Array(best.length - Math.min(span, best.length - start));
      candidate.set(best.subarray(0, start), 0);
      candidate.set(best.subarray(start + span), start);
      const execution = this.#execute(candidate);
      if (execution.finding?.key === key) best = candidate;
    }
    return best;
  }

  /** Retained heap after a GC; a growth past the bound is a finding blamed on the latest inputs. */
  #checkHeap(baseline: number | undefined): number {
    this.#options.collectGarbage();
    const used = process.memoryUsage().heapUsed;
    // The corpus is expected to grow; count it out of the baseline.
    const corpusBytes = this.#corpus.reduce((sum, input) => sum + input.length, 0);
    const retained = used - corpusBytes;
    if (baseline === undefined) return retained;
    if (retained - baseline > this.#options.heapGrowthBytes) {
      const message = `heap grew by ${Math.round((retained - baseline) / 2 ** 20)} MiB over the run (bound ${Math.round(this.#options.heapGrowthBytes / 2 ** 20)} MiB)`;
      this.#record(this.#corpus.at(-1)!, {
        kind: 'heap-growth',
        message,
        stack: message,
        key: findingKey('heap-growth', 'heap', ''),
      });
      return retained;
    }
    return baseline;
  }
}
