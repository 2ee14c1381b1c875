/**
 * The bounded queue between the network and the consumer's `for await`.
 *
 * Two overflow policies, chosen by the transport:
 * - `pause` (TCP): past the high-water mark the producer is told to stop
 *   reading the socket, so TCP flow control reaches the server; it is told to
 *   resume once the consumer has drained the queue to the low-water mark.
 * - `drop-oldest` (UDP, which has no flow control): the oldest media events
 *   are dropped and reported through `onDrop` (counted in stats.eventsDropped).
 * Control events (connect, rtsp, stats, closed, ...) are never dropped.
 *
 * The consumer pulls: `shift()` is synchronous, and `readable()` hands out one
 * shared promise only when the queue is empty, so queued events cost no promise.
 */
import type { RtspError } from '../errors.js';
import type { RtspEvent } from './types.js';

export type OverflowPolicy = 'pause' | 'drop-oldest';

export interface EventQueueOptions {
  /** Events held before the policy applies (default 1024). */
  highWaterMark?: number;
  /** Payload bytes held before the policy applies (default 64 MiB). */
  highWaterBytes?: number;
  overflow: OverflowPolicy;
  /** `pause` policy: true when the producer should stop reading, false when it may go on. */
  onPressure?: (paused: boolean) => void;
  /** `drop-oldest` policy: a media event that was dropped. */
  onDrop?: (event: RtspEvent) => void;
}

export const defaultQueueLimits = {
  highWaterMark: 1024,
  highWaterBytes: 64 * 1024 * 1024,
} as const;

/** Payload bytes an event holds (what makes a queue expensive), 0 for control events. */
export function payloadBytes(event: RtspEvent): number {
  if (event.type === 'rtp') return event.payload.byteLength;
  if (event.type === 'video' || event.type === 'audio') return event.frame.data.byteLength;
  return 0;
}

function isMedia(event: RtspEvent): boolean {
  return (
    event.type === 'rtp' ||
    event.type === 'rtcp' ||
    event.type === 'video' ||
    event.type === 'audio'
  );
}

export class EventQueue {
  readonly #highWaterMark: number;
  readonly #highWaterBytes: number;
  #overflow: OverflowPolicy;
  readonly #onPressure: ((paused: boolean) => void) | undefined;
  readonly #onDrop: ((event: RtspEvent) => void) | undefined;
  /** Slots from #head on; a dropped event leaves `undefined` behind until the head passes it. */
  #slots: (RtspEvent | undefined)[] = [];
  #head = 0;
  /** Where the search for the oldest media event resumes (everything before it is control or gone). */
  #dropCursor = 0;
  #count = 0;
  #bytes = 0;
  #paused = false;
  #ended = false;
  #endError: RtspError | undefined;
  #wake: (() => void) | undefined;
  #wakePromise: Promise<void> | undefined;

  constructor(options: EventQueueOptions) {
    this.#highWaterMark = options.highWaterMark ?? defaultQueueLimits.highWaterMark;
    this.#highWaterBytes = options.highWaterBytes ?? defaultQueueLimits.highWaterBytes;
    this.#overflow = options.overflow;
    this.#onPressure = options.onPressure;
    this.#onDrop = options.onDrop;
  }

  /** Events held. */
  get size(): number {
    return this.#count;
  }

  /** Payload bytes held. */
  get bytes(): number {
    return this.#bytes;
  }

  /** True while the producer has been asked to stop reading (pause policy). */
  get paused(): boolean {
    return this.#paused;
  }

  /** True once end() was called and every event was taken. */
  get done(): boolean {
    return this.#ended && this.#count === 0;
  }

  /** The error given to end(), rethrown to the consumer after the last event. */
  get endError(): RtspError | undefined {
    return this.#endError;
  }

  /** The transport can change (auto falls back from UDP to TCP). */
  setOverflow(policy: OverflowPolicy): void {
    this.#overflow = policy;
    if (policy === 'drop-oldest') this.#setPaused(false);
  }

  push(event: RtspEvent): void {
    if (this.#ended) return;
    this.#slots.push(event);
    this.#count++;
    this.#bytes += payloadBytes(event);
    if (this.#count > this.#highWaterMark || this.#bytes > this.#highWaterBytes) this.#overflowed();
    if (this.#wake !== undefined) {
      const wake = this.#wake;
      this.#wake = undefined;
      this.#wakePromise = undefined;
      wake();
    }
  }

  /** The oldest event, or undefined when none is queued. */
  shift(): RtspEvent | undefined {
    while (this.#head < this.#slots.length) {
      const event = this.#slots[this.#head];
      this.#slots[this.#head] = undefined;
      this.#head++;
      if (event === undefined) continue;
      this.#count--;
      this.#bytes -= payloadBytes(event);
      this.#compact();
      if (
        this.#paused &&
        this.#count <= this.#highWaterMark / 2 &&
        this.#bytes <= this.#highWaterBytes / 2
      ) {
        this.#setPaused(false);
      }
      return event;
    }
    return undefined;
  }

  /** Resolves when an event is queued or the queue ends; immediately if either is already so. */
  readable(): Promise<void> {
    if (this.#count > 0 || this.#ended) return Promise.resolve();
    this.#wakePromise ??= new Promise<void>((resolve) => (this.#wake = resolve));
    return this.#wakePromise;
  }

  /** No more events after those queued; the consumer then gets `error`, if any. */
  end(error?: RtspError): void {
    if (this.#ended) return;
    this.#ended = true;
    this.#endError = error;
    this.#setPaused(false);
    this.#wake?.();
    this.#wake = undefined;
    this.#wakePromise = undefined;
  }

  #overflowed(): void {
    if (this.#overflow === 'pause') {
      this.#setPaused(true);
      return;
    }
    while (this.#count > this.#highWaterMark || this.#bytes > this.#highWaterBytes) {
      if (!this.#dropOldestMedia()) return;
    }
  }

  #dropOldestMedia(): boolean {
    const slots = this.#slots;
    let index = Math.max(this.#dropCursor, this.#head);
    while (index < slots.length) {
      const event = slots[index];
      if (event !== undefined && isMedia(event)) {
        slots[index] = undefined;
        this.#count--;
        this.#bytes -= payloadBytes(event);
        this.#dropCursor = index + 1;
        this.#onDrop?.(event);
        return true;
      }
      index++;
    }
    this.#dropCursor = index;
    return false;
  }

  /** Reclaims the consumed prefix now and then, so slots do not grow without bound. */
  #compact(): void {
    if (this.#head === this.#slots.length) {
      this.#slots.length = 0;
    } else {
      if (this.#head < 1024 || this.#head * 2 < this.#slots.length) return;
      this.#slots.splice(0, this.#head);
    }
    this.#dropCursor = Math.max(0, this.#dropCursor - this.#head);
    this.#head = 0;
  }

  #setPaused(paused: boolean): void {
    if (this.#paused === paused) return;
    this.#paused = paused;
    this.#onPressure?.(paused);
  }
}
