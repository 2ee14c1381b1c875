import { describe, expect, it } from 'vitest';
import { RtspError } from '../../../src/errors.js';
import { EventQueue } from '../../../src/events/queue.js';
import type { RtspEvent } from '../../../src/events/types.js';
import { EventIterator } from '../../../src/session/event-iterator.js';

function stats(at: number): RtspEvent {
  return { type: 'stats', sessionElapsedMs: 0, tracks: [], timings: { methods: {} }, at };
}

function setup(): { queue: EventQueue; iterator: EventIterator; finishes: () => number } {
  const queue = new EventQueue({ overflow: 'pause' });
  let finishes = 0;
  const iterator = new EventIterator(queue, () => {
    finishes++;
    return Promise.resolve();
  });
  return { queue, iterator, finishes: () => finishes };
}

const atOf = (events: RtspEvent[]): number[] =>
  events.map((event) => (event.type === 'stats' ? event.at : -1));

describe('EventIterator', () => {
  it('yields queued and later events in order, then finishes once the queue ends', async () => {
    const { queue, iterator, finishes } = setup();
    queue.push(stats(1));
    setTimeout(() => {
      queue.push(stats(2));
      queue.push(stats(3));
      setTimeout(() => queue.end(), 5);
    }, 5);
    const seen: RtspEvent[] = [];
    for await (const event of iterator) seen.push(event);
    expect(atOf(seen)).toEqual([1, 2, 3]);
    expect(finishes()).toBe(1);
    await expect(iterator.next()).resolves.toEqual({ value: undefined, done: true });
    expect(finishes()).toBe(1);
  });

  it('rejects after the last event with the error the queue ended with', async () => {
    const { queue, iterator, finishes } = setup();
    const error = new RtspError('gone');
    queue.push(stats(1));
    queue.end(error);
    await expect(iterator.next()).resolves.toEqual({ value: stats(1), done: false });
    await expect(iterator.next()).rejects.toBe(error);
    expect(finishes()).toBe(1);
  });

  it('finishes when the consumer breaks out of the loop, and yields nothing after', async () => {
    const { queue, iterator, finishes } = setup();
    queue.push(stats(1));
    queue.push(stats(2));
    for await (const event of iterator) {
      expect(event).toEqual(stats(1));
      break;
    }
    expect(finishes()).toBe(1);
    await expect(iterator.next()).resolves.toEqual({ value: undefined, done: true });
  });

  it('throw() finishes and rethrows; dispose finishes once', async () => {
    const { iterator, finishes } = setup();
    const error = new Error('consumer failed');
    await expect(iterator.throw(error)).rejects.toBe(error);
    await iterator[Symbol.asyncDispose]();
    expect(finishes()).toBe(1);
  });
});
