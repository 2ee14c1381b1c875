/** What a command runs against: its event stream, where to print, and how to stop the session. */
import type { Writable } from 'node:stream';
import type { RtspEvent } from '../events/types.js';

export interface CliIo {
  stdout: Writable;
  stderr: Writable;
  /** stderr is a terminal: live progress is drawn there. Otherwise only results are printed. */
  interactive: boolean;
}

export interface CommandContext {
  events: AsyncIterable<RtspEvent>;
  io: CliIo;
}
