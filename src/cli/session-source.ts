/** The thin layer between a parsed command line and a live RtspSession. */
import { pino } from 'pino';
import type { RtspEvent } from '../events/types.js';
import type { Logger } from '../logger.js';
import { RtspSession } from '../session/session.js';
import type { LogLevel, SessionFlags } from './args.js';

export interface EventSource extends AsyncIterable<RtspEvent> {
  close(): Promise<void>;
}

/** Opens the session a command reads; tests substitute fake event streams. */
export type OpenEvents = (flags: SessionFlags, signal: AbortSignal) => EventSource;

export const openSession: OpenEvents = (flags, signal) =>
  new RtspSession(flags.url, {
    transport: flags.transport,
    timeoutMs: flags.timeoutMs,
    video: flags.video,
    audio: flags.audio,
    signal,
    logger: cliLogger(flags.logLevel),
  });

/** pino on stderr at the chosen level; the session redacts what it logs. */
export function cliLogger(level: LogLevel): Logger | undefined {
  return level === 'silent' ? undefined : pino({ level }, pino.destination(2));
}
