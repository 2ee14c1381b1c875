import { mkdir, mkdtemp, realpath, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseResourcePath, ResourceResolver } from '../../../src/server/resource-resolver.js';

describe('parseResourcePath', () => {
  it('decodes segments and splits off a trailing trackID', () => {
    expect(parseResourcePath('/a%20b/c.mp4/trackID=1')).toEqual({
      segments: ['a b', 'c.mp4'],
      track: 1,
    });
    expect(parseResourcePath('/c.mp4/')).toEqual({ segments: ['c.mp4'], track: undefined });
    expect(parseResourcePath('//c.mp4')).toEqual({ segments: ['c.mp4'], track: undefined });
  });

  it.each([
    '/../etc/passwd',
    '/%2e%2e/etc/passwd',
    '/a/%2E%2E/b',
    '/./a',
    '/a%2fb',
    '/a%5cb',
    '/a%00b',
    '/%zz',
    '/',
    '/trackID=0',
  ])('refuses %s', (pathname) => {
    expect(parseResourcePath(pathname)).toBeUndefined();
  });

  it('never yields a segment that could leave the root', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(fc.string(), fc.constantFrom('..', '.', '%2e%2e', '%2E.', '%2f', '%5c', 'a')),
          { maxLength: 6 },
        ),
        (parts) => {
          const parsed = parseResourcePath('/' + parts.join('/'));
          for (const segment of parsed?.segments ?? []) {
            expect(segment === '.' || segment === '..' || /[/\\\0]/.test(segment)).toBe(false);
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('ResourceResolver', () => {
  let dir: string;
  let root: string;
  let resolver: ResourceResolver;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'rtspkit-resolver-'));
    root = path.join(dir, 'root');
    await mkdir(path.join(root, 'sub dir'), { recursive: true });
    await writeFile(path.join(root, 'a.mp4'), 'x');
    await writeFile(path.join(root, 'sub dir', 'b é.wav'), 'yy');
    await writeFile(path.join(dir, 'secret.mp4'), 'secret');
    await symlink(path.join(dir, 'secret.mp4'), path.join(root, 'out.mp4'));
    await symlink(path.join(root, 'a.mp4'), path.join(root, 'in.mp4'));
    await symlink(dir, path.join(root, 'updir'));
    resolver = new ResourceResolver(root);
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('finds files, nested and with unusual names', async () => {
    expect(await resolver.resolve(['a.mp4'])).toMatchObject({ name: 'a.mp4', size: 1 });
    expect(await resolver.resolve(['sub dir', 'b é.wav'])).toMatchObject({
      name: 'sub dir/b é.wav',
      size: 2,
    });
  });

  it('follows symlinks that stay inside the root', async () => {
    expect((await resolver.resolve(['in.mp4']))?.file).toBe(
      path.join(await realpath(root), 'a.mp4'),
    );
  });

  it('refuses symlinks out of the root, directories and missing files', async () => {
    expect(await resolver.resolve(['out.mp4'])).toBeUndefined();
    expect(await resolver.resolve(['updir', 'secret.mp4'])).toBeUndefined();
    expect(await resolver.resolve(['sub dir'])).toBeUndefined();
    expect(await resolver.resolve(['missing.mp4'])).toBeUndefined();
  });
});
