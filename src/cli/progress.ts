/**
 * Live progress on a terminal (stderr): elapsed, frames, fps, bitrate, loss,
 * redrawn in place at most twice a second from the events going by. Off a
 * terminal it is never created, so pipes and files see only results.
 */
import type { Writable } from 'node:stream';
import type { RtspEvent } from '../events/types.js';
import { formatBitrate } from './text-table.js';

const REDRAW_MS = 500;

export class Progress {
  /** Video frames; audio frames until a video frame is seen. */
  private frames = 0;
  private countingVideo = false;
  private fps = 0;
  private bitrate = 0;
  private lost = 0;
  private packets = 0;
  private lastDraw = 0;
  private drawn = false;

  constructor(
    private readonly stderr: Writable,
    private readonly startedAt: number,
    private readonly now: () => number = () => performance.now(),
  ) {}

  observe(event: RtspEvent): void {
    if (event.type === 'video') {
      if (!this.countingVideo) this.frames = 0;
      this.countingVideo = true;
      this.frames++;
    } else if (event.type === 'audio' && !this.countingVideo) this.frames++;
    else if (event.type === 'stats') {
      const video = event.tracks.find((t) => t.media === 'video') ?? event.tracks[0];
      this.fps = video?.fps ?? 0;
      this.bitrate = event.tracks.reduce((sum, t) => sum + t.bitrate, 0);
      this.lost = event.tracks.reduce((sum, t) => sum + t.lost, 0);
      this.packets = event.tracks.reduce((sum, t) => sum + t.packets, 0);
    }
    const now = this.now();
    if (now - this.lastDraw >= REDRAW_MS) {
      this.lastDraw = now;
      this.draw(now);
    }
  }

  /** Clears the line so results and errors start on a clean one. */
  finish(): void {
    if (this.drawn) this.stderr.write('\r\x1b[2K');
  }

  private draw(now: number): void {
    const elapsed = ((now - this.startedAt) / 1000).toFixed(1);
    const total = this.packets + this.lost;
    const loss = total > 0 ? ((100 * this.lost) / total).toFixed(2) : '0.00';
    this.stderr.write(
      `\r\x1b[2K${elapsed} s  ${this.frames} frames  ${this.fps.toFixed(1)} fps  ${formatBitrate(this.bitrate)}  loss ${loss}%`,
    );
    this.drawn = true;
  }
}

/** Passes events through, showing them to `progress` on the way. */
export async function* withProgress(
  events: AsyncIterable<RtspEvent>,
  progress: Progress,
): AsyncGenerator<RtspEvent> {
  for await (const event of events) {
    progress.observe(event);
    yield event;
  }
}
