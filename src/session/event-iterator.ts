/**
 * The session's `for await` iterator over its EventQueue. Hand-written rather
 * than an async generator: a generator's `yield` costs about three promise
 * ticks per event, this costs one (an already-resolved promise), and a 4K
 * stream over TCP is half a million events a second.
 *
 * Semantics are those of the generator it replaces: events in order until the
 * queue ends, then `onFinish()` is awaited and the queue's end error (if any)
 * rejects the last `next()`; leaving early (`return`, `throw`, break) also
 * awaits `onFinish()`.
 */
import type { EventQueue } from '../events/queue.js';
import type { RtspEvent } from '../events/types.js';

type Step = IteratorResult<RtspEvent, void>;

const DONE: IteratorReturnResult<void> = Object.freeze({ value: undefined, done: true });

export class EventIterator implements AsyncGenerator<RtspEvent, void, undefined> {
  readonly #queue: EventQueue;
  readonly #onFinish: () => Promise<void>;
  #finishing: Promise<void> | undefined;

  constructor(queue: EventQueue, onFinish: () => Promise<void>) {
    this.#queue = queue;
    this.#onFinish = onFinish;
  }

  next(): Promise<Step> {
    if (this.#finishing !== undefined) return this.#finishing.then(() => DONE);
    const queue = this.#queue;
    const event = queue.shift();
    if (event !== undefined) return Promise.resolve({ value: event, done: false });
    if (!queue.done) return queue.readable().then(() => this.next());
    const error = queue.endError;
    return this.#finish().then(() => {
      if (error !== undefined) throw error;
      return DONE;
    });
  }

  async return(): Promise<Step> {
    await this.#finish();
    return DONE;
  }

  async throw(error: unknown): Promise<Step> {
    await this.#finish();
    throw error;
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.#finish();
  }

  #finish(): Promise<void> {
    return (this.#finishing ??= this.#onFinish());
  }
}
