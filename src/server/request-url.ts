/**
 * The parts of a request URI the file server acts on: which file, which
 * track (`.../trackID=N`), and `?play_count=N` (1 once, 0 forever).
 */
import { parseResourcePath, type ResourcePath } from './resource-resolver.js';

export interface RequestTarget {
  url: URL;
  /** Undefined for paths that cannot name a file under the root. */
  path: ResourcePath | undefined;
  /** Undefined when absent or not a non-negative integer. */
  playCount: number | undefined;
}

/** URL origin and path as the client wrote them, for Content-Base and control URLs. */
export function urlWithoutQuery(url: URL): string {
  return `${url.protocol}//${url.host}${url.pathname}`;
}

/** Undefined when the URI is not an absolute rtsp:/rtsps: URL (→ 400; `*` is OPTIONS' business). */
export function parseRequestTarget(uri: string): RequestTarget | undefined {
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'rtsp:' && url.protocol !== 'rtsps:') return undefined;
  const count = url.searchParams.get('play_count');
  const playCount = count !== null && /^\d{1,9}$/.test(count) ? Number(count) : undefined;
  return { url, path: parseResourcePath(url.pathname), playCount };
}
