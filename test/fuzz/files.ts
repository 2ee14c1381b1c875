/**
 * Where fuzz inputs live: the committed seed corpus (test/fixtures/fuzz-corpus/<target>), the
 * inputs the fuzzer found interesting (corpus-work/<target>, gitignored), and
 * one regression per finding (regressions/<target>/<sha1>.bin with a .txt).
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Finding } from './check.js';
import type { FuzzTarget } from './target.js';

export const FUZZ_DIR = fileURLToPath(new URL('.', import.meta.url));
export const SEED_DIR = join(FUZZ_DIR, '..', 'fixtures', 'fuzz-corpus');
export const seedDir = (target: string): string => join(SEED_DIR, target);
export const workDir = (target: string): string => join(FUZZ_DIR, 'corpus-work', target);
export const regressionDir = (target: string): string => join(FUZZ_DIR, 'regressions', target);

export interface StoredInput {
  path: string;
  bytes: Uint8Array;
}

/** The .bin files of `dir`, sorted by name; none when it does not exist. */
export function readInputs(dir: string): StoredInput[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((name) => name.endsWith('.bin'))
    .sort()
    .map((name) => ({
      path: join(dir, name),
      bytes: new Uint8Array(readFileSync(join(dir, name))),
    }));
}

export function sha1(bytes: Uint8Array): string {
  return createHash('sha1').update(bytes).digest('hex');
}

/** Writes `bytes` as `<sha1>.bin` in `dir`; returns its path. */
export function writeInput(dir: string, bytes: Uint8Array): string {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `${sha1(bytes)}.bin`);
  writeFileSync(path, bytes);
  return path;
}

/** The input and a note saying what it triggers and how to replay it. */
export function writeRegression(target: FuzzTarget, input: Uint8Array, finding: Finding): string {
  const path = writeInput(regressionDir(target.name), input);
  const shown = Buffer.from(input.subarray(0, 512)).toString('hex');
  const note = [
    `target: ${target.name}`,
    `kind: ${finding.kind}`,
    `message: ${finding.message}`,
    `input: ${input.length} bytes; ${target.inputFormat}`,
    `hex${input.length > 512 ? ' (first 512 bytes)' : ''}: ${shown}`,
    `replay: npm run fuzz -- --target ${target.name} --replay ${path.slice(FUZZ_DIR.length - 'test/fuzz/'.length)}`,
    '',
    finding.stack,
    '',
  ].join('\n');
  writeFileSync(path.replace(/\.bin$/, '.txt'), note);
  return path;
}
