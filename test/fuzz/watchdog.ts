/**
 * The memory a fuzzing worker shares with run.ts: an execution counter, a
 * "fuzzing started" flag and the input being executed. A counter that stops
 * moving while fuzzing is a hang, and the input is still there to save.
 */
import type { FuzzStats } from './fuzzer.js';

export interface WorkerStart {
  target: string;
  seed: number;
  seconds: number;
  slowMs: number;
  heapGrowthBytes: number;
  shared: SharedArrayBuffer;
}

export interface WorkerMessage {
  type: 'progress' | 'done';
  stats: FuzzStats;
}

const EXECUTIONS = 0;
const FUZZING = 1;
const LENGTH = 2;
const HEADER_BYTES = 12;

export class WatchdogView {
  readonly #header: Int32Array;
  readonly #input: Uint8Array;

  constructor(readonly shared: SharedArrayBuffer) {
    this.#header = new Int32Array(shared, 0, HEADER_BYTES / 4);
    this.#input = new Uint8Array(shared, HEADER_BYTES);
  }

  static create(maxInputBytes: number): WatchdogView {
    return new WatchdogView(new SharedArrayBuffer(HEADER_BYTES + maxInputBytes));
  }

  beforeExecution(input: Uint8Array): void {
    // Inputs are capped at the target's maxInputBytes, which sized the buffer.
    this.#input.set(input, 0);
    Atomics.store(this.#header, LENGTH, input.length);
    Atomics.add(this.#header, EXECUTIONS, 1);
  }

  startFuzzing(): void {
    Atomics.store(this.#header, FUZZING, 1);
  }

  get executions(): number {
    return Atomics.load(this.#header, EXECUTIONS);
  }

  get fuzzing(): boolean {
    return Atomics.load(this.#header, FUZZING) === 1;
  }

  /** A copy of the input of the execution in progress (or the last one). */
  currentInput(): Uint8Array {
    return this.#input.slice(0, Atomics.load(this.#header, LENGTH));
  }
}
