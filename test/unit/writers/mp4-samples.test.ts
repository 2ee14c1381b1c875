import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { joinAnnexB, splitLengthPrefixed } from '../../../src/codecs/annexb.js';
import { TrackTimeline } from '../../../src/writers/mp4/track-timeline.js';
import { lengthPrefixedSample } from '../../../src/writers/mp4/video-sample.js';

/** NAL units with no start code inside and a non-zero last byte, so Annex B framing is unambiguous. */
const nalUnit = fc
  .uint8Array({ minLength: 1, maxLength: 40 })
  .map((bytes) => bytes.map((b) => (b === 0 ? 1 : b)));

describe('MP4 sample conversion', () => {
  it.each([
    ['h264', (n: Uint8Array) => n[0]! & 0x1f, [7, 8, 9]],
    ['h265', (n: Uint8Array) => (n[0]! >> 1) & 0x3f, [32, 33, 34, 35]],
  ] as const)(
    '%s: Annex B → 4-byte lengths keeps every NAL unit but parameter sets and AUDs, in order',
    (codec, nalType, outOfBand) => {
      fc.assert(
        fc.property(fc.array(nalUnit, { maxLength: 12 }), (nals) => {
          const sample = lengthPrefixedSample(codec, joinAnnexB(nals));
          const kept = nals.filter((n) => !(outOfBand as readonly number[]).includes(nalType(n)));
          expect(splitLengthPrefixed(sample, 4).map((n) => [...n])).toEqual(
            kept.map((n) => [...n]),
          );
        }),
        { numRuns: 200 },
      );
    },
  );
});

describe('TrackTimeline', () => {
  it('gives strictly increasing decode times whose durations tile the timeline', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: -3000, max: 9000 }), { minLength: 1, maxLength: 60 }),
        fc.nat(2000),
        (steps, offsetMs) => {
          const timeline = new TrackTimeline(1, 90000, 3600);
          let timestamp = 1_000_000;
          for (const step of steps) {
            timestamp += step;
            timeline.add(new Uint8Array(1), timestamp, true, 0, undefined);
          }
          timeline.releaseHeld();
          expect(timeline.place(offsetMs)).toBe(0);
          const samples = timeline.takeReady();
          expect(samples).toHaveLength(steps.length);
          expect(samples[0]!.dts).toBe(Math.round((offsetMs / 1000) * 90000));
          for (let i = 1; i < samples.length; i++) {
            expect(samples[i]!.dts).toBeGreaterThan(samples[i - 1]!.dts);
            expect(samples[i - 1]!.dts + samples[i - 1]!.duration).toBe(samples[i]!.dts);
          }
          expect(samples.at(-1)!.duration).toBeGreaterThan(0);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('estimates the first capture from the least delayed sample (audio sent in bursts)', () => {
    const timeline = new TrackTimeline(2, 48000, 1024);
    // Seven 1024-sample AUs per packet; each packet arrives when its last AU is ready, plus 3 ms.
    for (let au = 0; au < 28; au++) {
      const lastOfPacket = Math.floor(au / 7) * 7 + 6;
      timeline.add(
        new Uint8Array(1),
        au * 1024,
        true,
        10_000 + (lastOfPacket * 1024 * 1000) / 48000 + 3,
        5_000 + (au * 1024 * 1000) / 48000,
      );
    }
    expect(timeline.captureEstimate.arrival).toBeCloseTo(10_003, 6);
    expect(timeline.captureEstimate.ntp).toBeCloseTo(5_000, 6);
  });

  it('drops samples placed before the file start', () => {
    const timeline = new TrackTimeline(2, 1000, 20);
    for (let i = 0; i < 10; i++) timeline.add(new Uint8Array(1), i * 20, true, i * 20, undefined);
    expect(timeline.place(-50)).toBe(3); // dts -50, -30, -10 go
    expect(timeline.takeReady()[0]!.dts).toBe(10);
  });
});
