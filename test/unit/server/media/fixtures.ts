import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const fixturesDir = fileURLToPath(new URL('../../../fixtures/', import.meta.url));

export function fixture(name: string): Uint8Array {
  return readFileSync(fixturesDir + name);
}
