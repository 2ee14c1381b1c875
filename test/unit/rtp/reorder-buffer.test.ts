import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RtspError } from '../../../src/errors.js';
import { MAX_DROPOUT, ReorderBuffer } from '../../../src/rtp/reorder-buffer.js';
import { seqAdd } from '../../../src/rtp/sequence.js';

/** Every packet `pop` releases at `nowMs`, as [seq, lost]. */
function drain(buffer: ReorderBuffer<number>, nowMs: number): [number, number][] {
  const out: [number, number][] = [];
  for (let seq = buffer.pop(nowMs); seq !== undefined; seq = buffer.pop(nowMs))
    out.push([seq, buffer.lostBeforePopped]);
  return out;
}

/** Pushes each seq (the item is the seq) at `nowMs` and drains after each. */
function feed(buffer: ReorderBuffer<number>, seqs: number[], nowMs = 0): [number, number][] {
  return seqs.flatMap((seq) => {
    buffer.push(seq, seq, nowMs);
    return drain(buffer, nowMs);
  });
}

describe('ReorderBuffer', () => {
  it('once started, releases in-order packets at once', () => {
    const buffer = new ReorderBuffer<number>({ firstSequence: 7 });
    expect(feed(buffer, [7, 8, 9])).toEqual([
      [7, 0],
      [8, 0],
      [9, 0],
    ]);
    expect(buffer.nextDeadline()).toBeUndefined();
    expect(buffer.size).toBe(0);
  });

  it('holds a packet that came early until the gap before it fills', () => {
    const buffer = new ReorderBuffer<number>({ firstSequence: 1 });
    expect(feed(buffer, [1, 3])).toEqual([[1, 0]]);
    expect(buffer.nextDeadline()).toBe(100);
    expect(feed(buffer, [2])).toEqual([
      [2, 0],
      [3, 0],
    ]);
    expect([buffer.reordered, buffer.lost]).toEqual([1, 0]);
  });

  it('declares a gap lost when the oldest held packet waited windowMs', () => {
    const buffer = new ReorderBuffer<number>({ windowMs: 100, firstSequence: 1 });
    feed(buffer, [1], 0);
    buffer.push(3, 3, 10);
    buffer.push(4, 4, 30);
    expect(drain(buffer, 109)).toEqual([]);
    expect(buffer.nextDeadline()).toBe(110);
    expect(drain(buffer, 110)).toEqual([
      [3, 1],
      [4, 0],
    ]);
    expect(buffer.lost).toBe(1);
    // The late packet is dropped and counted, not released out of order.
    expect(buffer.push(2, 2, 120)).toBe('late');
    expect(buffer.late).toBe(1);
  });

  it('keeps waiting on the next gap only as long as its own oldest packet', () => {
    const buffer = new ReorderBuffer<number>({ windowMs: 100, firstSequence: 1 });
    feed(buffer, [1], 0);
    buffer.push(3, 3, 0);
    buffer.push(6, 6, 90);
    expect(drain(buffer, 100)).toEqual([[3, 1]]);
    expect(buffer.nextDeadline()).toBe(190);
    expect(drain(buffer, 190)).toEqual([[6, 2]]);
  });

  it('declares a gap lost when a packet arrives beyond a full window', () => {
    const buffer = new ReorderBuffer<number>({ windowPackets: 4 });
    expect(feed(buffer, [1, 3, 4, 5])).toEqual([[1, 0]]);
    expect(feed(buffer, [6])).toEqual([
      [3, 1],
      [4, 0],
      [5, 0],
      [6, 0],
    ]);
    // A gap wider than the window, below MAX_DROPOUT, is loss counted without a step per packet;
    // only the last windowPackets - 1 sequence numbers before it still get their wait.
    expect(feed(buffer, [1006])).toEqual([]);
    expect(buffer.lost).toBe(1 + 996);
    expect(drain(buffer, 100)).toEqual([[1006, 999]]);
    expect(buffer.lost).toBe(1 + 999);
  });

  it('drops duplicates, held or already released', () => {
    const buffer = new ReorderBuffer<number>({ firstSequence: 1 });
    feed(buffer, [1, 3]);
    expect(buffer.push(3, 3, 0)).toBe('duplicate');
    expect(buffer.push(1, 1, 0)).toBe('duplicate');
    expect(feed(buffer, [2])).toEqual([
      [2, 0],
      [3, 0],
    ]);
    expect(buffer.duplicates).toBe(2);
  });

  it('reorders across the 16-bit wrap', () => {
    const buffer = new ReorderBuffer<number>({ firstSequence: 65534 });
    expect(feed(buffer, [65534, 0, 65535, 2, 1])).toEqual([
      [65534, 0],
      [65535, 0],
      [0, 0],
      [1, 0],
      [2, 0],
    ]);
    expect(buffer.lost).toBe(0);
  });

  it('treats a +20000 jump confirmed by the next packet as a restart, not a lost burst', () => {
    const buffer = new ReorderBuffer<number>({ firstSequence: 10 });
    expect(feed(buffer, [10, 11])).toEqual([
      [10, 0],
      [11, 0],
    ]);
    expect(buffer.push(20011, 20011, 0)).toBe('probation');
    expect(drain(buffer, 1000)).toEqual([]);
    expect(feed(buffer, [20013, 20012])).toEqual([
      [20011, 1],
      [20012, 0],
      [20013, 0],
    ]);
    expect([buffer.lost, buffer.restarts]).toEqual([0, 1]);
  });

  it('flushes held packets of the old sequence before a restart, and restarts on a big backwards jump', () => {
    const buffer = new ReorderBuffer<number>({ firstSequence: 5000 });
    feed(buffer, [5000, 5002]);
    buffer.push(100, 100, 0);
    expect(feed(buffer, [101])).toEqual([
      [5002, 1],
      [100, 1],
      [101, 0],
    ]);
    expect(buffer.restarts).toBe(1);
  });

  it('drops a lone stray packet that the next packet does not confirm', () => {
    const buffer = new ReorderBuffer<number>({ firstSequence: 10 });
    expect(feed(buffer, [10, 11 + MAX_DROPOUT, 11])).toEqual([
      [10, 0],
      [11, 0],
    ]);
    expect([buffer.late, buffer.restarts, buffer.lost]).toEqual([1, 0, 0]);
  });

  it('with a window of one packet (TCP), releases at once and counts gaps', () => {
    const buffer = new ReorderBuffer<number>({ windowPackets: 1 });
    expect(feed(buffer, [1, 2, 5, 4, 6])).toEqual([
      [1, 0],
      [2, 0],
      [5, 2],
      [6, 0],
    ]);
    expect([buffer.lost, buffer.late]).toEqual([2, 1]);
  });

  it('restart() releases what is held in order, then starts a new sequence, provisionally again, as a discontinuity', () => {
    const buffer = new ReorderBuffer<number>({ firstSequence: 1 });
    feed(buffer, [1, 3]);
    buffer.restart();
    // The new source's first packets may be reordered too, and the old RTP-Info seq says nothing of it.
    expect(feed(buffer, [40001, 40000])).toEqual([[3, 1]]);
    expect(drain(buffer, 100)).toEqual([
      [40000, 1],
      [40001, 0],
    ]);
    expect([buffer.lost, buffer.late]).toEqual([1, 0]);
  });

  describe('provisional start (the first packet may have been overtaken)', () => {
    it('holds the first packets for windowMs, then starts at the lowest: the overtaken one is not lost', () => {
      const buffer = new ReorderBuffer<number>({ windowMs: 100 });
      expect(feed(buffer, [11, 10, 12], 0)).toEqual([]);
      expect(buffer.nextDeadline()).toBe(100);
      expect(drain(buffer, 99)).toEqual([]);
      expect(drain(buffer, 100)).toEqual([
        [10, 0],
        [11, 0],
        [12, 0],
      ]);
      expect([buffer.lost, buffer.late, buffer.reordered]).toEqual([0, 0, 1]);
    });

    it('moves the start back across the 16-bit wrap', () => {
      const buffer = new ReorderBuffer<number>();
      expect(feed(buffer, [1, 65535, 0])).toEqual([]);
      expect(drain(buffer, 100)).toEqual([
        [65535, 0],
        [0, 0],
        [1, 0],
      ]);
      expect(buffer.lost).toBe(0);
    });

    it('starts without waiting once the held span fills the window', () => {
      const buffer = new ReorderBuffer<number>({ windowPackets: 4 });
      expect(feed(buffer, [3, 1, 2])).toEqual([]);
      expect(feed(buffer, [4])).toEqual([
        [1, 0],
        [2, 0],
        [3, 0],
        [4, 0],
      ]);
      expect(buffer.push(0, 0, 0)).toBe('late');
    });

    it('does not stretch the span beyond the window for an earlier packet: that one is late', () => {
      const buffer = new ReorderBuffer<number>({ windowPackets: 4 });
      feed(buffer, [5]);
      expect(buffer.push(1, 1, 0)).toBe('late');
      expect(buffer.push(2, 2, 0)).toBe('queued');
      expect(drain(buffer, 100)).toEqual([
        [2, 0],
        [5, 2],
      ]);
    });

    it('is fixed once the oldest packet waited windowMs: an earlier packet is then late', () => {
      const buffer = new ReorderBuffer<number>({ windowMs: 100 });
      feed(buffer, [11], 0);
      expect(buffer.push(10, 10, 100)).toBe('late');
      expect(drain(buffer, 100)).toEqual([[11, 0]]);
    });

    it('with the first sequence known (RTP-Info seq), releases as soon as that packet is here', () => {
      const buffer = new ReorderBuffer<number>();
      expect(feed(buffer, [11, 12])).toEqual([]);
      buffer.expectFirst(10);
      expect(drain(buffer, 0)).toEqual([]);
      expect(feed(buffer, [10])).toEqual([
        [10, 0],
        [11, 0],
        [12, 0],
      ]);
      // Announced after its packet arrived: released at once too.
      const late = new ReorderBuffer<number>();
      feed(late, [5, 6]);
      late.expectFirst(5);
      expect(drain(late, 0)).toEqual([
        [5, 0],
        [6, 0],
      ]);
    });

    it('a first sequence that never arrives only costs the wait; ignored once the sequence started', () => {
      const buffer = new ReorderBuffer<number>({ firstSequence: 100 });
      expect(feed(buffer, [3, 4])).toEqual([]);
      expect(drain(buffer, 100)).toEqual([
        [3, 0],
        [4, 0],
      ]);
      buffer.expectFirst(2);
      expect(buffer.push(2, 2, 100)).toBe('late');
    });

    it('with a window of one packet (TCP), is not provisional', () => {
      const buffer = new ReorderBuffer<number>({ windowPackets: 1 });
      expect(feed(buffer, [8])).toEqual([[8, 0]]);
    });
  });

  it('rejects windows it cannot bound', () => {
    expect(() => new ReorderBuffer({ windowPackets: 0 })).toThrow(RtspError);
    expect(() => new ReorderBuffer({ windowPackets: 5000 })).toThrow(/outside 1..1024/);
    expect(() => new ReorderBuffer({ windowMs: Number.NaN })).toThrow(RtspError);
  });

  it('releases any permutation within the window of a contiguous run in order, each once, lost 0, first packet included (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 0xffff }),
        fc.integer({ min: 1, max: 64 }),
        fc.array(fc.integer({ min: 1, max: 16 }), { minLength: 1, maxLength: 20 }),
        fc.infiniteStream(fc.nat()),
        fc.boolean(),
        (start, windowPackets, blockSizes, randomness, firstKnown) => {
          const buffer = new ReorderBuffer<number>({
            windowPackets,
            firstSequence: firstKnown ? start : undefined,
          });
          const sent: number[] = [];
          const arrivals: number[] = [];
          for (const size of blockSizes.map((b) => Math.min(b, windowPackets))) {
            const block = Array.from({ length: size }, (_, i) => seqAdd(start, sent.length + i));
            sent.push(...block);
            // Fisher-Yates: any permutation of a block stays within the window.
            const random = [...randomness.take(size)];
            for (let i = block.length - 1; i > 0; i--) {
              const j = random[i]! % (i + 1);
              [block[i], block[j]] = [block[j]!, block[i]!];
            }
            arrivals.push(...block);
          }
          const released = [...feed(buffer, arrivals), ...drain(buffer, 1000)];
          expect(released.map(([seq]) => seq)).toEqual(sent);
          expect(released.every(([, lost]) => lost === 0)).toBe(true);
          expect([buffer.lost, buffer.late, buffer.duplicates]).toEqual([0, 0, 0]);
          expect(buffer.size).toBe(0);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('reports randomly dropped packets as lost, exactly (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 0xffff }),
        fc.array(fc.boolean(), { minLength: 2, maxLength: 300 }),
        fc.integer({ min: 1, max: 64 }),
        (start, delivered, windowPackets) => {
          delivered[0] = true;
          delivered[delivered.length - 1] = true;
          const buffer = new ReorderBuffer<number>({ windowPackets, windowMs: 50 });
          const released: [number, number][] = [];
          delivered.forEach((arrives, i) => {
            if (arrives) buffer.push(seqAdd(start, i), seqAdd(start, i), i * 10);
            released.push(...drain(buffer, i * 10));
          });
          released.push(...drain(buffer, delivered.length * 10 + 1000));
          const dropped = delivered.filter((d) => !d).length;
          expect(released.map(([seq]) => seq)).toEqual(
            delivered.flatMap((d, i) => (d ? [seqAdd(start, i)] : [])),
          );
          expect(released.reduce((sum, [, lost]) => sum + lost, 0)).toBe(dropped);
          expect(buffer.lost).toBe(dropped);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('under any mix of reordering, drops, duplicates and time, releases an increasing sequence whose gaps are its lost counts (property)', () => {
    const event = fc.record({
      offset: fc.integer({ min: -8, max: 8 }),
      advance: fc.integer({ min: 0, max: 3 }),
      waitMs: fc.integer({ min: 0, max: 60 }),
    });
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 0xffff }),
        fc.array(event, { maxLength: 200 }),
        fc.integer({ min: 1, max: 16 }),
        (start, events, windowPackets) => {
          const buffer = new ReorderBuffer<number>({ windowPackets, windowMs: 40 });
          const released: [number, number][] = [];
          let cursor = 0;
          let now = 0;
          buffer.push(start, 0, now);
          for (const { offset, advance, waitMs } of events) {
            cursor += advance;
            now += waitMs;
            const extended = Math.max(0, cursor + offset);
            buffer.push(seqAdd(start, extended), extended, now);
            released.push(...drain(buffer, now));
          }
          released.push(...drain(buffer, now + 1000));
          expect(buffer.size).toBe(0);
          expect(released[0]).toEqual([0, 0]);
          for (let i = 1; i < released.length; i++) {
            const [previous] = released[i - 1]!;
            const [extended, lost] = released[i]!;
            expect(extended - previous - 1).toBe(lost);
          }
          expect(buffer.lost).toBe(released.reduce((sum, [, lost]) => sum + lost, 0));
        },
      ),
      { numRuns: 200 },
    );
  });
});
