import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RtspError } from '../../../src/errors.js';
import { EventQueue } from '../../../src/events/queue.js';
import type { RtspEvent } from '../../../src/events/types.js';

function rtp(sequenceNumber: number, bytes = 100): RtspEvent {
  return {
    type: 'rtp',
    sessionElapsedMs: 0,
    track: 0,
    media: 'video',
    sequenceNumber,
    timestamp: 0,
    marker: false,
    payloadType: 96,
    ssrc: 1,
    payload: new Uint8Array(bytes),
    receivedAt: 0,
  };
}

function stats(at: number): RtspEvent {
  return { type: 'stats', sessionElapsedMs: 0, tracks: [], timings: { methods: {} }, at };
}

function drain(queue: EventQueue): RtspEvent[] {
  const events: RtspEvent[] = [];
  for (let event = queue.shift(); event !== undefined; event = queue.shift()) events.push(event);
  return events;
}

describe('EventQueue, pause policy (TCP)', () => {
  it('asks the producer to pause past the high-water mark and to resume at half of it', () => {
    const pressure: boolean[] = [];
    const queue = new EventQueue({
      highWaterMark: 4,
      overflow: 'pause',
      onPressure: (paused) => pressure.push(paused),
    });
    for (let i = 0; i < 5; i++) queue.push(rtp(i));
    expect(pressure).toEqual([true]);
    expect(queue.paused).toBe(true);
    queue.shift();
    queue.shift();
    expect(pressure).toEqual([true]);
    queue.shift();
    expect(pressure).toEqual([true, false]);
    expect(queue.size).toBe(2);
  });

  it('pauses on payload bytes too and never drops', () => {
    const pressure: boolean[] = [];
    const queue = new EventQueue({
      highWaterBytes: 1000,
      overflow: 'pause',
      onPressure: (paused) => pressure.push(paused),
    });
    for (let i = 0; i < 20; i++) queue.push(rtp(i, 100));
    expect(pressure).toEqual([true]);
    expect(drain(queue)).toHaveLength(20);
    expect(pressure).toEqual([true, false]);
  });
});

describe('EventQueue, drop-oldest policy (UDP)', () => {
  it('drops the oldest media events and reports each', () => {
    const dropped: RtspEvent[] = [];
    const queue = new EventQueue({
      highWaterMark: 3,
      overflow: 'drop-oldest',
      onDrop: (event) => dropped.push(event),
    });
    for (let i = 0; i < 6; i++) queue.push(rtp(i));
    expect(dropped.map((event) => (event.type === 'rtp' ? event.sequenceNumber : -1))).toEqual([
      0, 1, 2,
    ]);
    expect(drain(queue).map((event) => (event.type === 'rtp' ? event.sequenceNumber : -1))).toEqual(
      [3, 4, 5],
    );
  });

  it('never drops control events', () => {
    const queue = new EventQueue({ highWaterMark: 2, overflow: 'drop-oldest' });
    queue.push(stats(1));
    queue.push(rtp(0));
    queue.push(stats(2));
    queue.push(rtp(1));
    queue.push(rtp(2));
    const types = drain(queue).map((event) => event.type);
    expect(types.filter((type) => type === 'stats')).toHaveLength(2);
  });

  it('keeps every control event and the newest media, in order, for any mix (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.boolean(), { maxLength: 300 }),
        fc.integer({ min: 1, max: 20 }),
        (kinds, limit) => {
          const queue = new EventQueue({ highWaterMark: limit, overflow: 'drop-oldest' });
          let droppedCount = 0;
          const counting = new EventQueue({
            highWaterMark: limit,
            overflow: 'drop-oldest',
            onDrop: () => droppedCount++,
          });
          kinds.forEach((isControl, i) => {
            const event = isControl ? stats(i) : rtp(i);
            queue.push(event);
            counting.push(event);
          });
          const out = drain(queue);
          const order = out.map((event) =>
            event.type === 'stats' ? event.at : event.type === 'rtp' ? event.sequenceNumber : -1,
          );
          expect(order).toEqual([...order].sort((a, b) => a - b));
          expect(out.filter((event) => event.type === 'stats')).toHaveLength(
            kinds.filter(Boolean).length,
          );
          expect(drain(counting).length + droppedCount).toBe(kinds.length);
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('EventQueue delivery', () => {
  it('hands out one shared promise while empty and resolves it on push', async () => {
    const queue = new EventQueue({ overflow: 'pause' });
    const first = queue.readable();
    expect(queue.readable()).toBe(first);
    queue.push(stats(1));
    await first;
    expect(queue.shift()).toMatchObject({ type: 'stats' });
  });

  it('ends after the queued events and keeps the end error', async () => {
    const queue = new EventQueue({ overflow: 'pause' });
    queue.push(stats(1));
    const error = new RtspError('boom');
    queue.end(error);
    queue.push(stats(2));
    expect(queue.done).toBe(false);
    expect(queue.shift()).toMatchObject({ at: 1 });
    expect(queue.done).toBe(true);
    expect(queue.endError).toBe(error);
    await queue.readable();
  });

  it('wakes a waiting consumer when the queue ends', async () => {
    const queue = new EventQueue({ overflow: 'pause' });
    const waiting = queue.readable();
    queue.end();
    await waiting;
    expect(queue.done).toBe(true);
  });

  it('keeps a long stream in order while compacting its storage', () => {
    const queue = new EventQueue({ highWaterMark: 10_000, overflow: 'pause' });
    let next = 0;
    for (let round = 0; round < 50; round++) {
      for (let i = 0; i < 100; i++) queue.push(rtp(round * 100 + i));
      for (let i = 0; i < 90; i++) {
        const event = queue.shift();
        expect(event?.type === 'rtp' && event.sequenceNumber).toBe(next++);
      }
    }
    expect(queue.size).toBe(500);
  });
});
