/**
 * ffmpeg as users run it to pull RTSP: `-c copy -f null -` (demux only, no
 * decoding), with `-progress` on stdout so frames can be counted while it runs.
 */
import { spawn, type ChildProcess } from 'node:child_process';

export interface FfmpegReaderOptions {
  transport: 'tcp' | 'udp';
  /** Extra input options (e.g. the low-latency probing flags). */
  inputFlags?: readonly string[];
  /** Write the copied video to stdout as raw H.264 (to time the first packet) instead of discarding it. */
  output?: 'null' | 'stdout';
}

export class FfmpegReader {
  readonly process: ChildProcess;
  /** Frame counter from the last progress report. */
  frames = 0;
  /** (monotonic ms, frames) of every progress report. */
  readonly progress: { at: number; frames: number }[] = [];
  /** Monotonic ms of the first byte ffmpeg wrote to its output (output: 'stdout'). */
  firstOutputAt: number | undefined;
  readonly #exited: Promise<void>;
  #stderr = '';

  constructor(url: string, options: FfmpegReaderOptions) {
    const toStdout = options.output === 'stdout';
    const args = [
      ...['-hide_banner', '-nostdin', '-loglevel', 'error'],
      ...(toStdout ? [] : ['-progress', 'pipe:1', '-stats_period', '0.5']),
      ...['-rtsp_transport', options.transport],
      ...(options.inputFlags ?? []),
      ...['-i', url, '-map', '0:v', '-c', 'copy'],
      // -flush_packets 1: each packet reaches the pipe at once, not when avio's 32 KiB buffer fills.
      ...(toStdout ? ['-flush_packets', '1', '-f', 'h264', 'pipe:1'] : ['-f', 'null', '-']),
    ];
    this.process = spawn('ffmpeg', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    this.process.stdout!.on('data', (chunk: Buffer) => {
      if (toStdout) this.firstOutputAt ??= performance.now();
      else this.#onProgress(chunk.toString('latin1'));
    });
    this.process.stderr!.on('data', (chunk: Buffer) => {
      if (this.#stderr.length < 4096) this.#stderr += chunk.toString();
    });
    this.#exited = new Promise((resolve) => this.process.once('exit', () => resolve()));
  }

  get pid(): number {
    return this.process.pid!;
  }

  /** What ffmpeg printed on stderr (errors only at this log level). */
  get errors(): string {
    return this.#stderr.trim();
  }

  /** Frames per second between the progress reports closest inside [fromMs, toMs]. */
  framesPerSecond(fromMs: number, toMs: number): number {
    const inside = this.progress.filter((p) => p.at >= fromMs && p.at <= toMs);
    const first = inside[0];
    const last = inside[inside.length - 1];
    if (first === undefined || last === undefined || last.at === first.at) return Number.NaN;
    return ((last.frames - first.frames) * 1000) / (last.at - first.at);
  }

  /** SIGTERM (ffmpeg closes its session), SIGKILL after `graceMs`. */
  async stop(graceMs = 3000): Promise<void> {
    if (this.process.exitCode !== null || this.process.signalCode !== null) return;
    this.process.kill('SIGTERM');
    const timer = setTimeout(() => this.process.kill('SIGKILL'), graceMs);
    await this.#exited;
    clearTimeout(timer);
  }

  #onProgress(text: string): void {
    for (const match of text.matchAll(/^frame=(\d+)$/gm)) {
      this.frames = Number(match[1]);
      this.progress.push({ at: performance.now(), frames: this.frames });
    }
  }
}
