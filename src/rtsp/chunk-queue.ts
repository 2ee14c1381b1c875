/**
 * The bytes a parser holds: references to the pushed chunks plus a read offset,
 * so a push never copies and a range inside one chunk is returned as a view.
 * Chunks are never written to.
 */
export class ChunkQueue {
  #chunks: Uint8Array[] = [];
  /** Index of the first live chunk; consumed chunks before it are dropped lazily. */
  #first = 0;
  /** Read offset inside the first live chunk. */
  #offset = 0;
  #length = 0;
  #position = 0;

  /** Bytes held. */
  get length(): number {
    return this.#length;
  }

  /** Stream offset of the next byte to read (bytes consumed so far). */
  get position(): number {
    return this.#position;
  }

  push(chunk: Uint8Array): void {
    if (chunk.length === 0) return;
    this.#chunks.push(chunk);
    this.#length += chunk.length;
  }

  /** The byte at `index` bytes past the read position, or -1 past the end. */
  byteAt(index: number): number {
    const first = this.#chunks[this.#first];
    // Fast path for the frame header bytes, without locating a chunk.
    if (first !== undefined && index >= 0 && this.#offset + index < first.length)
      return first[this.#offset + index]!;
    if (index < 0 || index >= this.#length) return -1;
    const { chunk, start } = this.#chunkContaining(index);
    return this.#chunks[chunk]?.[index - start] ?? -1;
  }

  /** Index (from the read position) of the first `byte` at or after `from`, or -1. */
  indexOf(byte: number, from: number): number {
    if (from < 0 || from >= this.#length) return -1;
    let { chunk: i, start } = this.#chunkContaining(from);
    for (; i < this.#chunks.length; i++) {
      const chunk = this.#chunks[i]!; // i < chunks.length
      const found = chunk.indexOf(byte, Math.max(from - start, 0));
      if (found >= 0) return start + found;
      start += chunk.length;
    }
    return -1;
  }

  /** The next `length` bytes without consuming them: a view inside one chunk, else a copy. */
  peek(length: number): Uint8Array {
    const first = this.#chunks[this.#first];
    if (first !== undefined && this.#offset + length <= first.length) {
      return first.subarray(this.#offset, this.#offset + length);
    }
    const copy = new Uint8Array(length);
    let written = 0;
    for (let i = this.#first; written < length && i < this.#chunks.length; i++) {
      const chunk = this.#chunks[i]!; // i < chunks.length
      const start = i === this.#first ? this.#offset : 0;
      const part = chunk.subarray(start, Math.min(chunk.length, start + length - written));
      copy.set(part, written);
      written += part.length;
    }
    return copy;
  }

  /** Consumes and returns the next `length` bytes (see `peek`); the caller checked `length <= this.length`. */
  take(length: number): Uint8Array {
    const bytes = this.peek(length);
    this.skip(length);
    return bytes;
  }

  skip(length: number): void {
    const count = Math.min(length, this.#length);
    this.#length -= count;
    this.#position += count;
    let offset = this.#offset + count;
    for (
      let chunk = this.#chunks[this.#first];
      chunk !== undefined && offset >= chunk.length;
      chunk = this.#chunks[this.#first]
    ) {
      offset -= chunk.length;
      this.#first++;
    }
    this.#offset = offset;
    this.#compact();
  }

  /** Drops every byte held (the parser failed). */
  clear(): void {
    this.skip(this.#length);
  }

  /**
   * The live chunk holding byte `index` (from the read position), and the index
   * its byte 0 has (negative for the first chunk when partly read).
   */
  #chunkContaining(index: number): { chunk: number; start: number } {
    // Walk from the nearer end: scans look at the newest bytes, frame headers at the oldest, and a
    // walk over every chunk per byte is quadratic when a peer sends one byte per segment.
    if (index < this.#length / 2) {
      let start = -this.#offset;
      for (let i = this.#first; i < this.#chunks.length - 1; i++) {
        const end = start + this.#chunks[i]!.length; // i < chunks.length
        if (index < end) return { chunk: i, start };
        start = end;
      }
      return { chunk: this.#chunks.length - 1, start };
    }
    let start = this.#length;
    for (let i = this.#chunks.length - 1; i > this.#first; i--) {
      start -= this.#chunks[i]!.length; // i < chunks.length
      if (index >= start) return { chunk: i, start };
    }
    return { chunk: this.#first, start: -this.#offset };
  }

  #compact(): void {
    if (this.#length === 0) {
      this.#chunks.length = 0;
      this.#first = 0;
      this.#offset = 0;
    } else if (this.#first > 64 && this.#first * 2 > this.#chunks.length) {
      this.#chunks = this.#chunks.slice(this.#first);
      this.#first = 0;
    }
  }
}
