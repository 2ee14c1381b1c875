#!/usr/bin/env node
/** The `rtspkit` executable: process wiring only; the command logic is in run.ts. */
import { runCli } from './run.js';
import { openSession } from './session-source.js';

const stop = new AbortController();
let signals = 0;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    // The first signal stops cleanly (files closed, TEARDOWN sent); a second one forces the exit.
    if (++signals > 1) process.exit(130);
    stop.abort();
  });
}
// `rtspkit events URL | head` closes the pipe: that ends the command, it is not a crash.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') stop.abort();
});

process.exitCode = await runCli(process.argv.slice(2), {
  io: {
    stdout: process.stdout,
    stderr: process.stderr,
    interactive: process.stderr.isTTY === true,
  },
  openEvents: openSession,
  signal: stop.signal,
});
