import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RtspError } from '../../../../src/errors.js';
import { readMjpeg, splitLabFrames } from '../../../../src/server/media/mjpeg-source.js';
import { fixture } from './fixtures.js';

const lab = (...frames: Uint8Array[]): Uint8Array =>
  Buffer.concat(frames.flatMap((f) => [Buffer.from(String(f.length).padStart(5, '0')), f]));

describe('splitLabFrames', () => {
  it('splits the fixture into its 30 JPEGs', () => {
    const frames = splitLabFrames(fixture('mjpeg-320x240.mjpeg'));
    expect(frames).toHaveLength(30);
    for (const f of frames)
      expect([f[0], f[1], f.at(-2), f.at(-1)]).toEqual([0xff, 0xd8, 0xff, 0xd9]);
  });

  it('names the byte where the format breaks', () => {
    expect(() => splitLabFrames(Buffer.from('00003abc12x'))).toThrow(/byte 8/);
    expect(() => splitLabFrames(Buffer.from('00009abc'))).toThrow(/9 bytes at byte 5 overruns/);
    expect(() => splitLabFrames(Buffer.from('0000'))).toThrow(/truncated length at byte 0/);
    expect(() => splitLabFrames(new Uint8Array())).toThrow(/no frames/);
  });

  it('any split of valid frames is found again; random bytes only produce RtspError', () => {
    fc.assert(
      fc.property(
        fc.array(fc.uint8Array({ minLength: 1, maxLength: 40 }), { minLength: 1, maxLength: 5 }),
        (frames) => {
          expect(splitLabFrames(lab(...frames)).map((f) => [...f])).toEqual(
            frames.map((f) => [...f]),
          );
        },
      ),
      { numRuns: 100 },
    );
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 60 }), (bytes) => {
        try {
          splitLabFrames(bytes);
        } catch (err) {
          expect(err).toBeInstanceOf(RtspError);
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('readMjpeg', () => {
  it('makes one RTP/JPEG track at 10 fps by default', () => {
    const source = readMjpeg(fixture('mjpeg-320x240.mjpeg'), 1400);
    const track = source.tracks[0]!;
    expect(track.format).toEqual({ payloadType: 26, encoding: 'JPEG', clockRate: 90000 });
    expect(track.samples).toHaveLength(30);
    expect(track.samples[3]).toMatchObject({ timestamp: 27000, sendTimeMs: 300, keyframe: true });
    for (const s of track.samples) expect(s.payloads.at(-1)?.marker).toBe(true);
    expect(source.durationMs).toBe(3000);
  });

  it('rejects a frame that is not a baseline JPEG, naming the frame', () => {
    expect(() => readMjpeg(lab(Uint8Array.of(1, 2, 3)), 1400)).toThrow(/mjpeg: frame 0/);
  });
});
