/** `rtspkit serve DIR`: the embedded file server until the signal says stop. */
import { once } from 'node:events';
import { serve } from '../../server/index.js';
import type { CliIo } from '../context.js';
import { writeText } from '../output.js';

export interface ServeCommandOptions {
  root: string;
  host: string;
  port: number;
}

export async function serveCommand(
  io: CliIo,
  options: ServeCommandOptions,
  signal: AbortSignal,
): Promise<void> {
  const server = await serve(options.root, { host: options.host, port: options.port });
  try {
    await writeText(io.stdout, `serving ${options.root} at ${server.url('')}\n`);
    if (!signal.aborted) await once(signal, 'abort');
  } finally {
    await server.close();
  }
}
