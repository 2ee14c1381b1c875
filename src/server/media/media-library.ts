/**
 * Loads published files into MediaSources, once: every client of the same
 * file shares one parsed, packetized copy. Entries are keyed by path and
 * revalidated by mtime and size, so a replaced file is reloaded on the next
 * DESCRIBE while sessions already playing keep the copy they started with.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Resource } from '../resource-resolver.js';
import type { MediaSource } from './media-source.js';
import { readMjpeg } from './mjpeg-source.js';
import { readMp4 } from './mp4-source.js';
import { unsupportedMedia } from './unsupported-media.js';
import { readWav } from './wav-source.js';

type Reader = (bytes: Uint8Array, mtu: number) => MediaSource;

const readers: Readonly<Record<string, Reader>> = {
  '.mp4': readMp4,
  '.m4a': readMp4,
  '.mov': readMp4,
  '.wav': (bytes) => readWav(bytes),
  '.mjpeg': (bytes, mtu) => readMjpeg(bytes, mtu),
  '.mjpg': (bytes, mtu) => readMjpeg(bytes, mtu),
};

/** Whether a file name has an extension the server can publish. */
export function isPublishable(name: string): boolean {
  return path.extname(name).toLowerCase() in readers;
}

/** Files kept parsed; the least recently loaded is dropped first (sessions keep their own reference). */
const maxEntries = 16;

interface Entry {
  mtimeMs: number;
  size: number;
  source: Promise<MediaSource>;
}

export class MediaLibrary {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly mtu: number) {}

  /** The parsed file. Rejects with RtspError ERR_RTSP_UNSUPPORTED for a file that cannot be published. */
  load(resource: Resource): Promise<MediaSource> {
    const cached = this.entries.get(resource.file);
    if (cached && cached.mtimeMs === resource.mtimeMs && cached.size === resource.size) {
      this.remember(resource.file, cached);
      return cached.source;
    }
    const reader = readers[path.extname(resource.file).toLowerCase()];
    if (!reader) {
      return Promise.reject(unsupportedMedia(resource.name, 'not a published media type'));
    }
    const source = readFile(resource.file).then((bytes) => reader(bytes, this.mtu));
    const entry: Entry = { mtimeMs: resource.mtimeMs, size: resource.size, source };
    this.remember(resource.file, entry);
    // A failed load is not cached: the file may be fixed in place.
    source.catch(() => {
      if (this.entries.get(resource.file) === entry) this.entries.delete(resource.file);
    });
    return source;
  }

  private remember(file: string, entry: Entry): void {
    // Map order is the eviction order: the file used last goes to the back.
    this.entries.delete(file);
    this.entries.set(file, entry);
    const oldest = this.entries.keys().next();
    if (this.entries.size > maxEntries && !oldest.done) this.entries.delete(oldest.value);
  }

  get size(): number {
    return this.entries.size;
  }
}
