/**
 * Maps a request URL's path to a file under the served root, safely.
 *
 * Every way out of the root ends in "not found": `..` or `.` segments (also
 * percent-encoded, `%2e%2e`), encoded separators (`%2f`, `%5c`) or NUL inside a
 * segment, symlinks whose target lies outside the root, directories and
 * anything that is not a regular file. The caller answers 404 for all of them,
 * so a client cannot probe what exists outside the root.
 */
import { realpath, stat } from 'node:fs/promises';
import path from 'node:path';

/** A published file: where it is on disk and its name in URLs. */
export interface Resource {
  /** Real absolute path of the file (symlinks resolved). */
  file: string;
  /** The path as published, '/'-separated, decoded, without a leading '/'. */
  name: string;
  mtimeMs: number;
  size: number;
}

/** Where the track suffix of a control URL ends the resource path (`.../trackID=1`). */
const trackSegment = /^trackID=(\d{1,3})$/;

export interface ResourcePath {
  /** Decoded path segments of the resource. */
  segments: string[];
  /** Track index from a trailing `trackID=N` segment, if any. */
  track: number | undefined;
}

/**
 * Splits a URL pathname (still percent-encoded, as `URL.pathname` gives it)
 * into decoded segments. Returns undefined for anything that could address a
 * file outside the root or is not a plain name.
 */
export function parseResourcePath(pathname: string): ResourcePath | undefined {
  const raw = pathname.split('/').filter((s) => s.length > 0);
  const segments: string[] = [];
  for (const encoded of raw) {
    let segment: string;
    try {
      segment = decodeURIComponent(encoded);
    } catch {
      return undefined;
    }
    if (segment === '.' || segment === '..' || /[/\\\0]/.test(segment)) return undefined;
    segments.push(segment);
  }
  let track: number | undefined;
  const last = segments.at(-1);
  const match = last === undefined ? null : trackSegment.exec(last);
  if (match) {
    track = Number(match[1]);
    segments.pop();
  }
  if (segments.length === 0) return undefined;
  return { segments, track };
}

/** Resolves published names under one root directory. */
export class ResourceResolver {
  private realRoot: Promise<string>;

  constructor(root: string) {
    this.realRoot = realpath(root);
  }

  /** The file for these decoded segments, or undefined (→ 404) for anything not a regular file inside the root. */
  async resolve(segments: readonly string[]): Promise<Resource | undefined> {
    const root = await this.realRoot;
    const candidate = path.join(root, ...segments);
    let real: string;
    try {
      real = await realpath(candidate);
    } catch {
      return undefined;
    }
    // After symlink resolution the file must still be inside the root.
    if (!real.startsWith(root + path.sep)) return undefined;
    const info = await stat(real).catch(() => undefined);
    if (!info?.isFile()) return undefined;
    return { file: real, name: segments.join('/'), mtimeMs: info.mtimeMs, size: info.size };
  }
}
