import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll } from 'vitest';

/** A fresh directory for the calling test file, removed after it. */
export function tempDir(prefix: string): (name: string) => string {
  const dir = mkdtempSync(path.join(tmpdir(), `rtspkit-${prefix}-`));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  return (name) => path.join(dir, name);
}
