import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ChunkQueue } from '../../../src/rtsp/chunk-queue.js';
import { splitAt } from './support.js';

describe('ChunkQueue', () => {
  it('behaves like one flat array under any chunking and reads', () => {
    const operation = fc.oneof(
      fc.record({ op: fc.constant('skip' as const), n: fc.nat({ max: 12 }) }),
      fc.record({ op: fc.constant('take' as const), n: fc.nat({ max: 12 }) }),
      fc.record({
        op: fc.constant('indexOf' as const),
        n: fc.nat({ max: 40 }),
        byte: fc.nat({ max: 3 }),
      }),
    );
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 60, max: 3 }),
        fc.array(fc.nat({ max: 60 }), { maxLength: 10 }),
        fc.array(operation, { maxLength: 20 }),
        (bytes, cuts, operations) => {
          const queue = new ChunkQueue();
          for (const chunk of splitAt(
            bytes,
            cuts.filter((cut) => cut <= bytes.length).sort((a, b) => a - b),
          ))
            queue.push(chunk);
          let model = [...bytes];
          let position = 0;
          for (const operation of operations) {
            expect(queue.length).toBe(model.length);
            expect(queue.position).toBe(position);
            for (let i = -1; i <= model.length; i++) expect(queue.byteAt(i)).toBe(model[i] ?? -1);
            const n = Math.min(operation.n, model.length);
            if (operation.op === 'indexOf') {
              const expected = model.indexOf(operation.byte, operation.n);
              expect(queue.indexOf(operation.byte, operation.n)).toBe(
                operation.n >= model.length ? -1 : expected,
              );
              continue;
            }
            if (operation.op === 'take') expect([...queue.take(n)]).toEqual(model.slice(0, n));
            else queue.skip(n);
            model = model.slice(n);
            position += n;
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('returns a view when the range lies in one chunk and a copy otherwise', () => {
    const queue = new ChunkQueue();
    const first = Uint8Array.of(1, 2, 3);
    const second = Uint8Array.of(4, 5);
    queue.push(first);
    queue.push(second);
    expect(queue.peek(2).buffer).toBe(first.buffer);
    const spanning = queue.take(4);
    expect([...spanning]).toEqual([1, 2, 3, 4]);
    expect(spanning.buffer).not.toBe(first.buffer);
    expect(queue.take(1).buffer).toBe(second.buffer);
    expect(queue.length).toBe(0);
  });

  it('drops consumed chunks, also after many small pushes', () => {
    const queue = new ChunkQueue();
    for (let i = 0; i < 1000; i++) {
      queue.push(Uint8Array.of(i & 0xff));
      if (i % 2 === 1) queue.skip(1);
    }
    expect(queue.length).toBe(500);
    expect(queue.byteAt(0)).toBe(500 & 0xff);
    queue.clear();
    expect(queue.length).toBe(0);
    expect(queue.position).toBe(1000);
  });
});
