/**
 * `rtspkit events`: the event stream as NDJSON on stdout. Each line is
 * written before the next event is taken, and a full pipe pauses the loop, so
 * nothing is dropped here: a slow reader slows the session, whose bounded
 * queue then applies its own policy (and counts what it drops in `stats`).
 */
import { throwIfFailed } from '../cli-errors.js';
import type { CommandContext } from '../context.js';
import { eventLine } from '../ndjson.js';
import { FrameCounter } from '../frame-counter.js';
import { writeText } from '../output.js';

export interface EventsOptions {
  withData: boolean;
  frames: number | undefined;
  video: boolean;
}

export async function eventsCommand(ctx: CommandContext, options: EventsOptions): Promise<void> {
  const { stdout } = ctx.io;
  const counter = new FrameCounter(options.frames, options.video);
  for await (const event of ctx.events) {
    await writeText(stdout, eventLine(event, options.withData));
    if (event.type === 'closed') throwIfFailed(event);
    if (counter.count(event)) break;
  }
}
