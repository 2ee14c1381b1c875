/**
 * Replays what the fuzzer keeps (npm run fuzz): every input in
 * test/fuzz/regressions/<target>/ (one per bug it found) and the seed corpus
 * through the target's checker, so a fixed bug stays fixed and the seeds stay
 * valid inputs; and checks that the packets recorded from ffmpeg all
 * depacketize. A regression whose bug is still open is listed in
 * OPEN_FINDINGS and expected to fail; once the module is fixed, that test
 * fails and its entry is removed.
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { performance } from 'node:perf_hooks';
import { describe, expect, it } from 'vitest';
import { execute } from '../fuzz/check.js';
import { readInputs, regressionDir, seedDir } from '../fuzz/files.js';
import { fuzzTargets } from '../fuzz/targets/index.js';

/** Regression file name → the open bug it reproduces (see its .txt). */
const OPEN_FINDINGS: Readonly<Record<string, string>> = {};

/** As in the fuzzer: an execution slower than this is a finding. */
const SLOW_MS = 1000;

/** The finding's kind and first line, or 'none'; a slow execution is one when the regression was. */
function outcomeOf(target: (typeof fuzzTargets)[number], bytes: Uint8Array, timed = false): string {
  const started = performance.now();
  const { finding } = execute(target, bytes);
  const elapsed = performance.now() - started;
  if (finding !== undefined) return `${finding.kind}: ${finding.message.slice(0, 300)}`;
  return timed && elapsed > SLOW_MS ? `slow: ${Math.round(elapsed)} ms` : 'none';
}

/** Slow inputs and hangs are replayed against the clock; the note next to the input says which it was. */
function isTimed(binPath: string): boolean {
  return /^kind: (slow|timeout)$/m.test(readFileSync(binPath.replace(/\.bin$/, '.txt'), 'utf8'));
}

/** Depacketizer targets end their features with `stats:frames,droppedLoss,droppedCap,invalid` (bucketed). */
const DEPACKETIZER_TARGETS = ['h264', 'h265', 'aac', 'latm', 'mjpeg', 'g711'];

describe('packets recorded from ffmpeg (seed corpus)', () => {
  it.each(DEPACKETIZER_TARGETS)('%s: every packet is valid and gives frames', (name) => {
    const target = fuzzTargets.find((t) => t.name === name)!;
    const recorded = readInputs(seedDir(name)).find(({ path }) => basename(path) === 'ffmpeg.bin');
    const execution = execute(target, recorded!.bytes);
    expect(execution.finding?.message).toBeUndefined();
    const features = 'features' in execution ? [...execution.features] : [];
    expect(features.at(-1)).toMatch(/^stats:[1-9]\d*,0,0,0$/);
  });
});

describe.each(fuzzTargets.map((target) => [target.name, target] as const))(
  'fuzz target %s',
  (_name, target) => {
    const seeds = readInputs(seedDir(target.name));

    it('has a seed corpus, and every seed runs without a finding', () => {
      expect(seeds.length).toBeGreaterThan(0);
      for (const { path, bytes } of seeds)
        expect(`${basename(path)}: ${outcomeOf(target, bytes)}`).toBe(`${basename(path)}: none`);
    });

    for (const { path, bytes } of readInputs(regressionDir(target.name))) {
      const name = basename(path);
      const open = OPEN_FINDINGS[name];
      const timed = isTimed(path);
      if (open === undefined) {
        it(`regression ${name} runs without a finding`, () => {
          expect(outcomeOf(target, bytes, timed)).toBe('none');
        });
      } else {
        it.fails(`regression ${name} (open: ${open})`, () => {
          expect(outcomeOf(target, bytes, timed)).toBe('none');
        });
      }
    }
  },
);
