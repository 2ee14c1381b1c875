/**
 * `rtspkit` command lines (DESIGN §2) parsed with node:util parseArgs into one
 * typed object per command. Everything the user can get wrong is a
 * UsageError (exit 2) here, before any connection is made.
 */
import path from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from './cli-errors.js';

export const COMMANDS = ['probe', 'events', 'dump', 'record', 'timing', 'serve'] as const;
export type CommandName = (typeof COMMANDS)[number];

export type Transport = 'tcp' | 'udp' | 'auto';
export const LOG_LEVELS = ['silent', 'fatal', 'error', 'warn', 'info', 'debug', 'trace'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Flags every command that pulls a stream accepts. */
export interface SessionFlags {
  url: string;
  transport: Transport;
  timeoutMs: number;
  video: boolean;
  audio: boolean;
  logLevel: LogLevel;
}

/** When a streaming command stops on its own (it also stops on Ctrl-C/SIGTERM). */
export interface StopFlags {
  durationMs: number | undefined;
  frames: number | undefined;
}

export type VideoFileKind = 'h264' | 'h265' | 'mjpeg';
export type AudioFileKind = 'aac' | 'wav';

export type CommandLine =
  | { command: 'help'; topic: CommandName | undefined }
  | { command: 'version' }
  | ({ command: 'probe'; json: boolean } & SessionFlags)
  | ({ command: 'events'; withData: boolean } & SessionFlags & StopFlags)
  | ({
      command: 'dump';
      /** Path, or '-' for stdout (kind undefined: whatever the stream's codec is). */
      videoOut: { path: string; kind: VideoFileKind | undefined } | undefined;
      audioOut: { path: string; kind: AudioFileKind } | undefined;
    } & SessionFlags &
      StopFlags)
  | ({ command: 'record'; output: string } & SessionFlags & StopFlags)
  | ({ command: 'timing'; json: boolean; report: string | undefined } & SessionFlags & StopFlags)
  | { command: 'serve'; root: string; host: string; port: number; logLevel: LogLevel };

type Options = NonNullable<ParseArgsConfig['options']>;

const HELP: Options = { help: { type: 'boolean', short: 'h' } };
const LOG: Options = { 'log-level': { type: 'string' } };
const SESSION: Options = {
  ...HELP,
  ...LOG,
  transport: { type: 'string' },
  timeout: { type: 'string' },
  'no-audio': { type: 'boolean' },
  'no-video': { type: 'boolean' },
};
const STOP: Options = { duration: { type: 'string' }, frames: { type: 'string' } };

const OPTIONS: Record<CommandName, Options> = {
  probe: { ...SESSION, json: { type: 'boolean' } },
  events: { ...SESSION, ...STOP, 'with-data': { type: 'boolean' } },
  dump: { ...SESSION, ...STOP, output: { type: 'string', short: 'o' }, audio: { type: 'string' } },
  record: { ...SESSION, ...STOP, output: { type: 'string', short: 'o' } },
  timing: { ...SESSION, ...STOP, json: { type: 'boolean' }, report: { type: 'string' } },
  serve: { ...HELP, ...LOG, host: { type: 'string' }, port: { type: 'string' } },
};

const DEFAULT_TIMEOUT_MS = 5000;
/** `timing` measures for this long unless told otherwise. */
export const DEFAULT_TIMING_DURATION_MS = 10_000;

type Values = Record<string, string | boolean | undefined>;

export function parseCommandLine(argv: readonly string[]): CommandLine {
  const [first, ...rest] = argv;
  if (first === undefined || first === '--help' || first === '-h')
    return { command: 'help', topic: undefined };
  if (first === 'help')
    return { command: 'help', topic: rest[0] === undefined ? undefined : commandName(rest[0]) };
  if (first === '--version' || first === '-V') return { command: 'version' };
  const command = commandName(first);
  let parsed: { values: Values; positionals: string[] };
  try {
    parsed = parseArgs({
      args: [...rest],
      options: OPTIONS[command],
      allowPositionals: true,
      strict: true,
    }) as typeof parsed;
  } catch (error) {
    throw new UsageError(
      (error as Error).message.replace(/\. To specify a positional.*$/s, ''),
      command,
    );
  }
  const { values, positionals } = parsed;
  if (values.help === true) return { command: 'help', topic: command };
  if (command === 'serve') {
    return {
      command,
      root: onePositional(command, positionals, 'DIR'),
      host: stringValue(values, 'host') ?? '127.0.0.1',
      port: integer(command, 'port', stringValue(values, 'port'), 0, 65535) ?? 8554,
      logLevel: logLevel(command, values),
    };
  }
  const session = sessionFlags(command, values, positionals);
  const stop = stopFlags(command, values);
  switch (command) {
    case 'probe':
      return { command, json: values.json === true, ...session };
    case 'events':
      return { command, withData: values['with-data'] === true, ...session, ...stop };
    case 'dump':
      return dumpCommand(values, session, stop);
    case 'record': {
      const output = stringValue(values, 'output');
      if (output === undefined) throw new UsageError('record needs -o FILE.mp4', command);
      if (path.extname(output).toLowerCase() !== '.mp4')
        throw new UsageError(`record writes .mp4 files, not ${JSON.stringify(output)}`, command);
      return { command, output, ...session, ...stop };
    }
    case 'timing':
      return {
        command,
        json: values.json === true,
        report: stringValue(values, 'report'),
        ...session,
        ...stop,
        durationMs: stop.durationMs ?? DEFAULT_TIMING_DURATION_MS,
      };
  }
}

function commandName(word: string): CommandName {
  if ((COMMANDS as readonly string[]).includes(word)) return word as CommandName;
  throw new UsageError(
    `unknown command ${JSON.stringify(word)} (commands: ${COMMANDS.join(', ')})`,
  );
}

function onePositional(command: CommandName, positionals: string[], what: string): string {
  if (positionals.length === 0) throw new UsageError(`${command} needs ${what}`, command);
  if (positionals.length > 1)
    throw new UsageError(
      `${command} takes one ${what}, got ${positionals.length} arguments`,
      command,
    );
  return positionals[0]!;
}

function stringValue(values: Values, name: string): string | undefined {
  const value = values[name];
  return typeof value === 'string' ? value : undefined;
}

function integer(
  command: CommandName,
  name: string,
  text: string | undefined,
  min: number,
  max: number,
): number | undefined {
  if (text === undefined) return undefined;
  const value = /^\d+$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw new UsageError(
      `--${name} must be an integer from ${min} to ${max}, not ${JSON.stringify(text)}`,
      command,
    );
  }
  return value;
}

function logLevel(command: CommandName, values: Values): LogLevel {
  const level = stringValue(values, 'log-level') ?? 'silent';
  if (!(LOG_LEVELS as readonly string[]).includes(level)) {
    throw new UsageError(
      `--log-level must be one of ${LOG_LEVELS.join(', ')}, not ${JSON.stringify(level)}`,
      command,
    );
  }
  return level as LogLevel;
}

function sessionFlags(command: CommandName, values: Values, positionals: string[]): SessionFlags {
  const url = onePositional(command, positionals, 'URL');
  if (!/^rtsps?:\/\//i.test(url))
    throw new UsageError(`URL must start with rtsp:// or rtsps://`, command);
  const transport = stringValue(values, 'transport') ?? 'auto';
  if (transport !== 'tcp' && transport !== 'udp' && transport !== 'auto') {
    throw new UsageError(
      `--transport must be tcp, udp or auto, not ${JSON.stringify(transport)}`,
      command,
    );
  }
  const video = values['no-video'] !== true;
  const audio = values['no-audio'] !== true;
  if (!video && !audio)
    throw new UsageError('--no-video and --no-audio leave nothing to play', command);
  return {
    url,
    transport,
    timeoutMs:
      integer(command, 'timeout', stringValue(values, 'timeout'), 1, 3_600_000) ??
      DEFAULT_TIMEOUT_MS,
    video,
    audio,
    logLevel: logLevel(command, values),
  };
}

function stopFlags(command: CommandName, values: Values): StopFlags {
  const duration = stringValue(values, 'duration');
  let durationMs: number | undefined;
  if (duration !== undefined) {
    const seconds = /^\d+(\.\d+)?$/.test(duration) ? Number(duration) : Number.NaN;
    if (!(seconds > 0))
      throw new UsageError(
        `--duration must be a positive number of seconds, not ${JSON.stringify(duration)}`,
        command,
      );
    durationMs = Math.round(seconds * 1000);
  }
  return {
    durationMs,
    frames: integer(command, 'frames', stringValue(values, 'frames'), 1, Number.MAX_SAFE_INTEGER),
  };
}

const VIDEO_EXTENSIONS: Record<string, VideoFileKind> = {
  '.h264': 'h264',
  '.264': 'h264',
  '.h265': 'h265',
  '.265': 'h265',
  '.hevc': 'h265',
  '.mjpeg': 'mjpeg',
  '.mjpg': 'mjpeg',
};
const AUDIO_EXTENSIONS: Record<string, AudioFileKind> = { '.aac': 'aac', '.wav': 'wav' };

function dumpCommand(values: Values, session: SessionFlags, stop: StopFlags): CommandLine {
  const output = stringValue(values, 'output');
  const audio = stringValue(values, 'audio');
  if (output === undefined && audio === undefined)
    throw new UsageError(
      'dump needs -o FILE (.h264, .h265, .mjpeg) and/or --audio FILE (.aac, .wav)',
      'dump',
    );
  const videoKind =
    output === undefined ? undefined : VIDEO_EXTENSIONS[path.extname(output).toLowerCase()];
  if (output !== undefined && output !== '-' && videoKind === undefined) {
    throw new UsageError(
      `-o ${JSON.stringify(output)}: the extension says the format: .h264, .h265 or .mjpeg`,
      'dump',
    );
  }
  const audioKind =
    audio === undefined ? undefined : AUDIO_EXTENSIONS[path.extname(audio).toLowerCase()];
  if (audio !== undefined && audioKind === undefined) {
    throw new UsageError(
      `--audio ${JSON.stringify(audio)}: the extension says the format: .aac or .wav`,
      'dump',
    );
  }
  if (output === undefined && !session.audio)
    throw new UsageError('--no-audio with only --audio leaves nothing to dump', 'dump');
  return {
    command: 'dump',
    videoOut:
      output === undefined || !session.video ? undefined : { path: output, kind: videoKind },
    audioOut: audio === undefined || !session.audio ? undefined : { path: audio, kind: audioKind! },
    ...session,
    // Only what is written is set up: no audio SETUP without --audio, no video without -o.
    video: session.video && output !== undefined,
    audio: session.audio && audio !== undefined,
    ...stop,
  };
}
