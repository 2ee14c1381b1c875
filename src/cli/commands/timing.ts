/**
 * `rtspkit timing`: runs the session for --duration (or --frames), then
 * prints the timing report as a table or JSON and, with --report, writes the
 * HTML page. The report is written even when the session failed after PLAY:
 * that is when it is most useful.
 */
import { writeFile } from 'node:fs/promises';
import { throwIfFailed } from '../cli-errors.js';
import type { CommandContext } from '../context.js';
import { FrameCounter } from '../frame-counter.js';
import { writeText } from '../output.js';
import { TimingCollector, type TimingReport } from '../timing/collector.js';
import { timingHtml } from '../timing/html-report.js';
import { timingText } from '../timing/timing-text.js';

export interface TimingOptions {
  url: string;
  json: boolean;
  report: string | undefined;
  frames: number | undefined;
  video: boolean;
  /** Wall-clock epoch ms at start, for the report's header. */
  startedAt: number;
}

export async function timingCommand(
  ctx: CommandContext,
  options: TimingOptions,
): Promise<TimingReport> {
  const collector = new TimingCollector(options.url, options.startedAt);
  const counter = new FrameCounter(options.frames, options.video);
  let failure: Error | undefined;
  try {
    for await (const event of ctx.events) {
      collector.add(event);
      if (event.type === 'closed') throwIfFailed(event);
      if (counter.count(event)) break;
    }
  } catch (error) {
    failure = error instanceof Error ? error : new Error(String(error));
  }
  const report = collector.report();
  // Before PLAY a failure has nothing to report beyond its message.
  if (failure !== undefined && report.steps.length === 0) throw failure;
  await writeText(ctx.io.stdout, options.json ? `${JSON.stringify(report)}\n` : timingText(report));
  if (options.report !== undefined) await writeFile(options.report, timingHtml(report));
  if (failure !== undefined) throw failure;
  return report;
}
