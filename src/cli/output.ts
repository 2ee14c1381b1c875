/** Text to stdout/stderr honouring backpressure: a slow pipe slows us, never grows memory. */
import { once } from 'node:events';
import type { Writable } from 'node:stream';

export async function writeText(stream: Writable, text: string): Promise<void> {
  if (!stream.write(text)) await once(stream, 'drain');
}
