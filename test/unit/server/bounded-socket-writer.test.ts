import { describe, expect, it } from 'vitest';
import {
  BoundedSocketWriter,
  type WritableSocket,
} from '../../../src/server/bounded-socket-writer.js';

class FakeSocket implements WritableSocket {
  writableLength = 0;
  destroyed = false;
  written: Uint8Array[] = [];
  destroyError: Error | undefined;
  cork(): void {}
  uncork(): void {}
  write(chunk: Uint8Array): boolean {
    this.written.push(chunk);
    this.writableLength += chunk.length;
    return true;
  }
  destroy(error?: Error): void {
    this.destroyed = true;
    this.destroyError = error;
  }
}

const limits = { softLimitBytes: 100, hardLimitBytes: 300, stallTimeoutMs: 1000 };

function setup() {
  const socket = new FakeSocket();
  let drops = 0;
  let now = 0;
  const writer = new BoundedSocketWriter(
    socket,
    limits,
    () => drops++,
    () => now,
  );
  return { socket, writer, drops: () => drops, advance: (ms: number) => (now += ms) };
}

describe('BoundedSocketWriter', () => {
  it('writes media while the client keeps up', () => {
    const { socket, writer, drops } = setup();
    expect(writer.writeMedia(new Uint8Array(16), new Uint8Array(50))).toBe(true);
    expect(socket.written.map((c) => c.length)).toEqual([16, 50]);
    expect(drops()).toBe(0);
  });

  it('drops and counts media over the soft limit, and resumes when the buffer drains', () => {
    const { socket, writer, drops } = setup();
    socket.writableLength = 101;
    expect(writer.writeMedia(new Uint8Array(16), new Uint8Array(50))).toBe(false);
    expect(writer.writeMedia(new Uint8Array(16), new Uint8Array(50))).toBe(false);
    expect(drops()).toBe(2);
    expect(socket.written).toHaveLength(0);
    socket.writableLength = 0;
    expect(writer.writeMedia(new Uint8Array(16), new Uint8Array(50))).toBe(true);
  });

  it('disconnects a client that stays stalled past the timeout', () => {
    const { socket, writer, advance } = setup();
    socket.writableLength = 101;
    writer.writeMedia(new Uint8Array(16), new Uint8Array(1));
    advance(999);
    writer.writeMedia(new Uint8Array(16), new Uint8Array(1));
    expect(socket.destroyed).toBe(false);
    advance(2);
    writer.writeMedia(new Uint8Array(16), new Uint8Array(1));
    expect(socket.destroyed).toBe(true);
    expect(socket.destroyError?.message).toMatch(/stalled/);
  });

  it('always writes control data but disconnects past the hard limit', () => {
    const { socket, writer } = setup();
    socket.writableLength = 150;
    writer.writeControl(new Uint8Array(100));
    expect(socket.destroyed).toBe(false);
    writer.writeControl(new Uint8Array(100));
    expect(socket.destroyed).toBe(true);
    expect(socket.destroyError?.message).toMatch(/not reading/);
  });
});
