/** Runs the built `rtspkit` (dist/cli/main.js) as a child process, as users do. */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const cliPath = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export function startCli(args: string[], options: { cwd?: string } = {}): ChildProcess {
  if (!existsSync(cliPath))
    throw new Error(`${cliPath} is missing: run \`npm run build\` first (npm test does)`);
  return spawn(process.execPath, [cliPath, ...args], {
    cwd: options.cwd,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

export function finished(child: ChildProcess): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve) =>
    child.once('close', (code, signal) => resolve({ code, signal, stdout, stderr })),
  );
}

export function runCliProcess(args: string[], options: { cwd?: string } = {}): Promise<CliResult> {
  return finished(startCli(args, options));
}
