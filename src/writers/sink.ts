/**
 * Where a writer's bytes go: a file (opened here, closed by the writer) or a
 * caller's Writable (e.g. stdout). Every write resolves once the bytes are
 * handed to the OS or the stream accepted them without exceeding its
 * high-water mark, so a writer that awaits each write holds at most one frame.
 */
import { once } from 'node:events';
import { open, type FileHandle } from 'node:fs/promises';
import type { Writable } from 'node:stream';
import { ErrorCodes, RtspError } from '../errors.js';

/** A file path, or a stream the caller owns (it is ended on close only when `end` is set). */
export type SinkTarget = string | Writable;

export interface ByteSink {
  /** Bytes written so far (the offset of the next write). */
  readonly position: number;
  /** Whether `overwrite` works: true for files, false for streams. */
  readonly seekable: boolean;
  /** Appends the chunks in order, without joining them. */
  write(...chunks: Uint8Array[]): Promise<void>;
  /** Rewrites bytes already written (a header's size fields); files only. */
  overwrite(position: number, bytes: Uint8Array): Promise<void>;
  close(): Promise<void>;
}

export interface OpenSinkOptions {
  /** End a caller's Writable on close (default false: stdout stays open). */
  end?: boolean;
}

/** A file is created on the first write (or on close, so an empty run still leaves the file). */
export function createSink(target: SinkTarget, options: OpenSinkOptions = {}): ByteSink {
  return typeof target === 'string'
    ? new FileSink(target)
    : new StreamSink(target, options.end ?? false);
}

class FileSink implements ByteSink {
  readonly seekable = true;
  position = 0;
  private handle: Promise<FileHandle> | undefined;
  constructor(private readonly path: string) {}

  private file(): Promise<FileHandle> {
    this.handle ??= open(this.path, 'w').catch((error: unknown) => {
      throw new RtspError(
        `cannot open ${this.path} for writing: ${(error as Error).message}`,
        ErrorCodes.ERR_RTSP,
        {
          cause: error,
        },
      );
    });
    return this.handle;
  }

  async write(...chunks: Uint8Array[]): Promise<void> {
    const file = await this.file();
    const { bytesWritten } =
      chunks.length === 1 ? await file.write(chunks[0]!) : await file.writev(chunks);
    this.position += bytesWritten;
  }

  async overwrite(position: number, bytes: Uint8Array): Promise<void> {
    await (await this.file()).write(bytes, 0, bytes.length, position);
  }

  async close(): Promise<void> {
    await (await this.file()).close();
  }
}

class StreamSink implements ByteSink {
  readonly seekable = false;
  position = 0;
  constructor(
    private readonly stream: Writable,
    private readonly endOnClose: boolean,
  ) {}

  async write(...chunks: Uint8Array[]): Promise<void> {
    if (this.stream.destroyed || this.stream.writableEnded) {
      throw new RtspError('output stream is closed', ErrorCodes.ERR_RTSP);
    }
    let accepted = true;
    for (const chunk of chunks) {
      accepted = this.stream.write(chunk);
      this.position += chunk.length;
    }
    if (!accepted) await drained(this.stream);
  }

  overwrite(): Promise<void> {
    return Promise.reject(
      new RtspError(
        'cannot rewrite bytes already sent to a stream',
        ErrorCodes.ERR_RTSP_INVALID_ARGUMENT,
      ),
    );
  }

  async close(): Promise<void> {
    if (!this.endOnClose || this.stream.writableEnded) return;
    this.stream.end();
    await once(this.stream, 'finish');
  }
}

/** Resolves on 'drain'; rejects if the stream errors or closes first (a reader hung up). */
async function drained(stream: Writable): Promise<void> {
  const ac = new AbortController();
  try {
    await Promise.race([
      once(stream, 'drain', { signal: ac.signal }),
      once(stream, 'close', { signal: ac.signal }).then(() => {
        throw new RtspError('output stream closed while writing', ErrorCodes.ERR_RTSP);
      }),
    ]);
  } finally {
    ac.abort();
  }
}
