/**
 * Incremental RTSP framing: bytes pushed as they arrive, messages and `$`
 * interleaved frames (RFC 2326 §10.12) taken out in order, however the bytes
 * were split. No I/O, no timers; every size a peer controls is bounded by
 * `RtspLimits` before more of it is buffered.
 */
import { RtspProtocolError } from '../errors.js';
import { ChunkQueue } from './chunk-queue.js';
import { lineText, parseHead, parseStartLine, type ParsedHead, type StartLine } from './head.js';
import { resolveLimits, type RtspLimits } from './limits.js';
import type { InterleavedFrame, RtspMessage } from './message.js';

const LF = 0x0a;
const CR = 0x0d;
const SP = 0x20;
const HT = 0x09;
const DOLLAR = 0x24;
/** `$`, channel, 16-bit length. */
const INTERLEAVED_HEADER_BYTES = 4;

export class RtspMessageParser {
  readonly #limits: RtspLimits;
  readonly #queue = new ChunkQueue();
  #failed = false;
  #failure: unknown;
  /** Head being scanned: where each complete line ends, from the message's first byte. */
  #lineEnds: number[] = [];
  /** Head bytes already searched for a line end. */
  #scanned = 0;
  #headerCount = 0;
  #startLine: StartLine | undefined;
  /** Head parsed, body not yet all buffered. */
  #awaitingBody: ParsedHead | undefined;

  constructor(limits?: Partial<RtspLimits>) {
    this.#limits = resolveLimits(limits);
  }

  /** Bytes held, not yet returned as messages. */
  get buffered(): number {
    return this.#queue.length;
  }

  /**
   * Keeps a reference to `chunk` (no copy, no parsing): the caller must not
   * modify it afterwards. Ignored once the parser has failed.
   */
  push(chunk: Uint8Array): void {
    if (!this.#failed) this.#queue.push(chunk);
  }

  /**
   * The next message, or undefined until more bytes are pushed. Throws
   * RtspProtocolError (stream `position`, `limit` when a limit was hit);
   * after that every call throws the same error.
   */
  next(): RtspMessage | undefined {
    if (this.#failed) throw this.#failure;
    try {
      return this.#next();
    } catch (error) {
      this.#failed = true;
      this.#failure = error;
      this.#queue.clear();
      throw error;
    }
  }

  #next(): RtspMessage | undefined {
    if (this.#awaitingBody !== undefined) return this.#takeBody(this.#awaitingBody);
    const queue = this.#queue;
    if (this.#scanned === 0) {
      // Between messages: stray line endings (e.g. after a body) are skipped, as RFC 2616 §4.1
      // asks of HTTP readers and RFC 2326 §4 inherits.
      for (let byte = queue.byteAt(0); byte === CR || byte === LF; byte = queue.byteAt(0))
        queue.skip(1);
      const first = queue.byteAt(0);
      if (first === -1) return undefined;
      if (first === DOLLAR) return this.#interleavedFrame();
      if (!isTokenByte(first)) {
        throw new RtspProtocolError(
          `expected an RTSP status line, request line or '$' frame, got byte 0x${first.toString(16).padStart(2, '0')} at byte ${queue.position}`,
          { position: queue.position, phase: 'parse' },
        );
      }
    }
    const headLength = this.#scanHead();
    if (headLength === undefined) return undefined;
    const startLine = this.#startLine!; // set when line 0 ended, before the head could end
    const parsed = parseHead(
      startLine,
      queue.peek(headLength),
      this.#lineEnds,
      queue.position,
      this.#limits,
    );
    queue.skip(headLength);
    this.#lineEnds = [];
    this.#scanned = 0;
    this.#headerCount = 0;
    this.#startLine = undefined;
    return this.#takeBody(parsed);
  }

  #interleavedFrame(): InterleavedFrame | undefined {
    const queue = this.#queue;
    if (queue.length < INTERLEAVED_HEADER_BYTES) return undefined;
    const length = (queue.byteAt(2) << 8) | queue.byteAt(3);
    if (queue.length < INTERLEAVED_HEADER_BYTES + length) return undefined;
    const channel = queue.byteAt(1);
    queue.skip(INTERLEAVED_HEADER_BYTES);
    return { kind: 'interleaved', channel, data: queue.take(length) };
  }

  #takeBody(parsed: ParsedHead): RtspMessage | undefined {
    if (this.#queue.length < parsed.bodyLength) {
      this.#awaitingBody = parsed;
      return undefined;
    }
    this.#awaitingBody = undefined;
    if (parsed.bodyLength > 0) parsed.message.body = this.#queue.take(parsed.bodyLength);
    return parsed.message;
  }

  /**
   * Finds the empty line ending the head, checking each limit as soon as the
   * bytes buffered exceed it (a 100 MB header fails after maxHeadBytes, not at
   * its end). Resumes where the previous call stopped. Returns the head's length.
   */
  #scanHead(): number | undefined {
    const queue = this.#queue;
    const limits = this.#limits;
    for (;;) {
      const lineIndex = this.#lineEnds.length;
      const lineStart = lineIndex === 0 ? 0 : this.#lineEnds[lineIndex - 1]! + 1; // lineIndex >= 1
      const lf = queue.indexOf(LF, this.#scanned);
      const end = lf < 0 ? queue.length : lf;
      const lineBytes = end - lineStart - (end > lineStart && queue.byteAt(end - 1) === CR ? 1 : 0);
      const lineLimit = lineIndex === 0 ? 'maxStartLineBytes' : 'maxHeaderLineBytes';
      if (lineBytes > limits[lineLimit]) {
        throw limitError(
          lineIndex === 0 ? 'start line' : 'header line',
          lineLimit,
          limits,
          queue.position + lineStart,
        );
      }
      if ((lf < 0 ? queue.length : lf + 1) > limits.maxHeadBytes) {
        throw limitError('message head', 'maxHeadBytes', limits, queue.position);
      }
      if (lf < 0) {
        this.#scanned = queue.length;
        return undefined;
      }
      this.#lineEnds.push(lf);
      this.#scanned = lf + 1;
      if (lineIndex === 0) {
        // Checked now, not at the head's end, so garbage fails at its first line.
        this.#startLine = parseStartLine(lineText(queue.peek(lf + 1), 0, lf), queue.position);
        continue;
      }
      if (lineBytes === 0) return lf + 1;
      const first = queue.byteAt(lineStart);
      if (first !== SP && first !== HT && ++this.#headerCount > limits.maxHeaderCount) {
        throw limitError('header count', 'maxHeaderCount', limits, queue.position + lineStart);
      }
    }
  }
}

function limitError(
  what: string,
  limit: keyof RtspLimits,
  limits: RtspLimits,
  position: number,
): RtspProtocolError {
  return new RtspProtocolError(`${what} exceeds ${limit} (${limits[limit]}) at byte ${position}`, {
    position,
    limit,
    phase: 'parse',
  });
}

/** tchar (RFC 7230 §3.2.6): what a method name or `RTSP/` starts with. */
function isTokenByte(byte: number): boolean {
  return (
    (byte >= 0x30 && byte <= 0x39) ||
    (byte >= 0x41 && byte <= 0x5a) ||
    (byte >= 0x61 && byte <= 0x7a) ||
    "!#$%&'*+-.^_`|~".includes(String.fromCharCode(byte))
  );
}
