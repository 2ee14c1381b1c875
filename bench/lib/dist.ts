import type * as Rtspkit from '../../src/index.js';

/**
 * Loads a module of the built package: the benchmarks measure what users run.
 * The path is computed so that type-checking (which reads the types from src/)
 * does not need a build first. RTSPKIT_BENCH_DIST points at another build (a
 * patched copy) to compare it with this one on the same machine.
 */
const distRoot = process.env.RTSPKIT_BENCH_DIST
  ? new URL(`file://${process.env.RTSPKIT_BENCH_DIST.replace(/\/?$/, '/')}`)
  : new URL('../../dist/', import.meta.url);

export async function loadDist<T>(path: string): Promise<T> {
  return (await import(new URL(path, distRoot).href)) as T;
}

export type RtspkitApi = typeof Rtspkit;

export const loadRtspkit = (): Promise<RtspkitApi> => loadDist<RtspkitApi>('index.js');
