/**
 * The `rtspkit` command: parse, run one command against its event source,
 * map the outcome to an exit status (0 ok, 1 runtime failure, 2 usage).
 * Everything the process provides (streams, signals, the session factory)
 * comes in through `CliDeps`, so tests run commands on fake event streams.
 */
import { readFileSync } from 'node:fs';
import { redactText } from '../rtsp/url.js';
import { parseCommandLine, type CommandLine, type SessionFlags, type StopFlags } from './args.js';
import { UsageError } from './cli-errors.js';
import { dumpCommand } from './commands/dump.js';
import { eventsCommand } from './commands/events.js';
import { probeCommand } from './commands/probe.js';
import { recordCommand } from './commands/record.js';
import { serveCommand } from './commands/serve.js';
import { timingCommand } from './commands/timing.js';
import type { CliIo, CommandContext } from './context.js';
import { commandHelp, generalHelp } from './help.js';
import { writeText } from './output.js';
import { Progress, withProgress } from './progress.js';
import type { OpenEvents } from './session-source.js';

export interface CliDeps {
  io: CliIo;
  openEvents: OpenEvents;
  /** Aborted on SIGINT/SIGTERM: commands stop, close their files and exit 0. */
  signal: AbortSignal;
}

export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;

export async function runCli(argv: readonly string[], deps: CliDeps): Promise<number> {
  const { io } = deps;
  let commandLine: CommandLine;
  try {
    commandLine = parseCommandLine(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    const hint = error.command ? `rtspkit ${error.command} --help` : 'rtspkit --help';
    await writeText(io.stderr, `rtspkit: ${error.message}\nRun '${hint}' for usage.\n`);
    return EXIT_USAGE;
  }
  try {
    await runCommand(commandLine, deps);
    return EXIT_OK;
  } catch (error) {
    // `rtspkit events URL | head`: the reader had enough; that is not a failure.
    if ((error as NodeJS.ErrnoException).code === 'EPIPE') return EXIT_OK;
    await writeText(io.stderr, `rtspkit: ${failureMessage(error)}\n`);
    return EXIT_FAILURE;
  }
}

async function runCommand(commandLine: CommandLine, deps: CliDeps): Promise<void> {
  const { io } = deps;
  switch (commandLine.command) {
    case 'help':
      return writeText(
        io.stdout,
        commandLine.topic ? commandHelp(commandLine.topic) : generalHelp(),
      );
    case 'version':
      return writeText(io.stdout, `${packageVersion()}\n`);
    case 'serve':
      return serveCommand(io, commandLine, deps.signal);
    case 'probe':
      return withSession(commandLine, deps, async (ctx) => {
        await probeCommand(ctx, commandLine);
      });
    case 'events':
      return withSession(commandLine, deps, (ctx) => eventsCommand(ctx, commandLine));
    case 'dump':
      return withSession(commandLine, deps, async (ctx) => {
        const files = await dumpCommand(ctx, commandLine);
        if (io.interactive) {
          await writeText(
            io.stderr,
            files.map((f) => `wrote ${f.path}: ${f.framesWritten} frames\n`).join(''),
          );
        }
      });
    case 'record':
      return withSession(commandLine, deps, async (ctx) => {
        const result = await recordCommand(ctx, commandLine);
        if (io.interactive)
          await writeText(
            io.stderr,
            `wrote ${result.path}: ${result.framesWritten} frames (${[result.video, result.audio].filter(Boolean).join(' + ')})\n`,
          );
      });
    case 'timing':
      return withSession(commandLine, deps, async (ctx) => {
        await timingCommand(ctx, { ...commandLine, startedAt: Date.now() });
      });
  }
}

/**
 * Opens the session, stops it on the process signal or after --duration,
 * shows progress on a terminal, and always closes it (TEARDOWN) at the end.
 */
async function withSession(
  flags: SessionFlags & Partial<StopFlags> & { command: string },
  deps: CliDeps,
  run: (ctx: CommandContext) => Promise<void>,
): Promise<void> {
  const stop = new AbortController();
  const onSignal = (): void => stop.abort();
  deps.signal.addEventListener('abort', onSignal, { once: true });
  const timer = flags.durationMs === undefined ? undefined : setTimeout(onSignal, flags.durationMs);
  const source = deps.openEvents(flags, stop.signal);
  // probe is over in milliseconds: progress is for the streaming commands.
  const progress =
    deps.io.interactive && flags.command !== 'probe'
      ? new Progress(deps.io.stderr, performance.now())
      : undefined;
  try {
    await run({ events: progress ? withProgress(source, progress) : source, io: deps.io });
  } finally {
    clearTimeout(timer);
    deps.signal.removeEventListener('abort', onSignal);
    progress?.finish();
    await source.close().catch(() => undefined);
  }
}

/** The error's own message names the step (`DESCRIBE 401 Unauthorized`); URLs are redacted. */
function failureMessage(error: unknown): string {
  return redactText(error instanceof Error ? error.message : String(error));
}

function packageVersion(): string {
  // dist/cli/ and src/cli/ are both two levels below the package root.
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
    version: string;
  };
  return pkg.version;
}
