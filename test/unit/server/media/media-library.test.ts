import { copyFile, mkdtemp, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErrorCodes } from '../../../../src/errors.js';
import { isPublishable, MediaLibrary } from '../../../../src/server/media/media-library.js';
import type { Resource } from '../../../../src/server/resource-resolver.js';
import { fixturesDir } from './fixtures.js';

async function resource(file: string): Promise<Resource> {
  const info = await stat(file);
  return { file, name: path.basename(file), mtimeMs: info.mtimeMs, size: info.size };
}

describe('MediaLibrary', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'rtspkit-library-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('knows the published extensions', () => {
    expect(['a.mp4', 'b.M4A', 'c.wav', 'd.mjpeg'].every(isPublishable)).toBe(true);
    expect(['notes.txt', 'mp4', 'x.mkv'].some(isPublishable)).toBe(false);
  });

  it('loads a file once for every client, and again when it changes', async () => {
    const file = path.join(dir, 'a.wav');
    await copyFile(path.join(fixturesDir, 'pcma-8k.wav'), file);
    const library = new MediaLibrary(1400);
    const first = await library.load(await resource(file));
    expect(await library.load(await resource(file))).toBe(first);
    await copyFile(path.join(fixturesDir, 'pcm-16k-stereo.wav'), file);
    await utimes(file, new Date(), new Date(Date.now() + 5000));
    const reloaded = await library.load(await resource(file));
    expect(reloaded).not.toBe(first);
    expect(library.size).toBe(1);
  });

  it('keeps at most 16 files parsed, dropping the least recently used', async () => {
    const library = new MediaLibrary(1400);
    const files = await Promise.all(
      Array.from({ length: 17 }, async (_, i) => {
        const file = path.join(dir, `many-${i}.wav`);
        await copyFile(path.join(fixturesDir, 'pcmu-8k.wav'), file);
        return resource(file);
      }),
    );
    const loaded = [];
    for (const r of files.slice(0, 16)) loaded.push(await library.load(r));
    // Touch the first, so the second becomes the least recently used.
    expect(await library.load(files[0]!)).toBe(loaded[0]);
    await library.load(files[16]!);
    expect(library.size).toBe(16);
    expect(await library.load(files[0]!)).toBe(loaded[0]);
    expect(await library.load(files[1]!)).not.toBe(loaded[1]);
  });

  it('rejects unpublishable files with ERR_RTSP_UNSUPPORTED and does not cache the failure', async () => {
    const file = path.join(dir, 'b.wav');
    await writeFile(file, 'not a wav');
    const library = new MediaLibrary(1400);
    await expect(library.load(await resource(file))).rejects.toMatchObject({
      code: ErrorCodes.ERR_RTSP_UNSUPPORTED,
    });
    expect(library.size).toBe(0);
  });
});
