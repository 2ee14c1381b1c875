/**
 * Code coverage as fuzzing feedback: V8 block coverage of src/ through the
 * inspector's Profiler domain, in binary mode (a block ran or not). Taking it
 * costs about a millisecond, so the fuzzer takes it once per batch of inputs
 * and, only when a batch ran a new block, again per input to find which.
 */
import { Session } from 'node:inspector';

interface CoverageRange {
  startOffset: number;
  endOffset: number;
  count: number;
}
interface ScriptCoverage {
  url: string;
  functions: { ranges: CoverageRange[] }[];
}

export class BlockCoverage {
  readonly #session = new Session();
  /**
   * Per function, the blocks V8 has reported as not run at least once. V8 merges a block into its
   * function's range while their counts agree, so a block only gets a name once it has not run.
   */
  readonly #knownBlocks = new Map<string, Map<string, CoverageRange>>();
  readonly #covered = new Set<string>();

  constructor(private readonly include: (url: string) => boolean) {
    this.#session.connect();
    this.#post('Profiler.enable');
    this.#post('Profiler.startPreciseCoverage', { callCount: false, detailed: true });
  }

  /** Blocks (and functions) covered since the last call; resets V8's counters. */
  take(): string[] {
    const { result } = this.#post('Profiler.takePreciseCoverage') as { result: ScriptCoverage[] };
    const covered: string[] = [];
    for (const script of result) {
      if (!this.include(script.url)) continue;
      for (const { ranges } of script.functions) {
        const [whole, ...nested] = ranges;
        if (whole === undefined || whole.count === 0) continue;
        const name = `${script.url}:${whole.startOffset}`;
        let known = this.#knownBlocks.get(name);
        if (known === undefined) this.#knownBlocks.set(name, (known = new Map()));
        const notRun = nested.filter((range) => range.count === 0);
        for (const range of notRun)
          known.set(`${name}:${range.startOffset}-${range.endOffset}`, range);
        covered.push(name);
        for (const [block, { startOffset, endOffset }] of known) {
          const inside = (r: CoverageRange) =>
            r.startOffset <= startOffset && endOffset <= r.endOffset;
          if (!notRun.some(inside)) covered.push(block);
        }
      }
    }
    return covered;
  }

  /** Marks `blocks` covered; how many were not before. */
  add(blocks: readonly string[]): number {
    const before = this.#covered.size;
    for (const block of blocks) this.#covered.add(block);
    return this.#covered.size - before;
  }

  hasNew(blocks: readonly string[]): boolean {
    return blocks.some((block) => !this.#covered.has(block));
  }

  get size(): number {
    return this.#covered.size;
  }

  #post(method: string, params: object = {}): unknown {
    let answer: unknown;
    // Same-thread inspector sessions answer synchronously.
    this.#session.post(method, params, (error, result) => {
      if (error !== null) throw error;
      answer = result;
    });
    return answer;
  }
}
