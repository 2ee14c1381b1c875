import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { joinAnnexB } from '../../../src/codecs/annexb.js';
import { MAX_NAL_UNITS_PER_ACCESS_UNIT } from '../../../src/depacketizers/access-unit.js';
import type { DepacketizerOptions } from '../../../src/depacketizers/depacketizer.js';
import { H264Depacketizer } from '../../../src/depacketizers/h264.js';
import { packetizeH264 } from '../../../src/packetizers/h264.js';
import { annexB, bytes, feed, packet, packetsOf, videoTrack } from './h26x-helpers.js';

// Real parameter sets of test/fixtures/h264-aac.mp4 (640x360 High).
const SPS = [
  0x67, 0x64, 0x00, 0x1e, 0xac, 0xb4, 0x05, 0x01, 0x7f, 0xcb, 0x80, 0x88, 0x00, 0x00, 0x03, 0x00,
  0x08, 0x00, 0x00, 0x03, 0x01, 0x90, 0x78, 0xb1, 0x75,
];
const PPS = [0x68, 0xef, 0x3c, 0xb0];
const SPROP = 'Z2QAHqy0BQF/y4CIAAADAAgAAAMBkHixdQ==,aO88sA==';
const AUD = [0x09, 0xf0];
const SEI = [0x06, 0x05, 0x01, 0xaa, 0x80];
const IDR = [0x65, 0x88, 0x84, 0x21, 0xa0];
const SLICE = [0x41, 0x9a, 0x02, 0x03];
const SLICE2 = [0x41, 0x9b, 0x12, 0x13];

const depacketizer = (fmtp: Record<string, string> = {}, options?: DepacketizerOptions) =>
  new H264Depacketizer(videoTrack('h264', fmtp), options);

/** FU-A payloads of `nal` (RFC 6184 §5.8), split into `chunks` body pieces. */
function fuA(
  nal: number[],
  chunks: number[][],
  startEnd = { start: true, end: true },
): Uint8Array[] {
  const indicator = (nal[0]! & 0xe0) | 28;
  return chunks.map((chunk, i) => {
    const s = startEnd.start && i === 0 ? 0x80 : 0;
    const e = startEnd.end && i === chunks.length - 1 ? 0x40 : 0;
    return bytes([indicator, s | e | (nal[0]! & 0x1f)], chunk);
  });
}

describe('H264Depacketizer', () => {
  it('assembles single NAL unit packets into an Annex B keyframe with the SPS size', () => {
    const d = depacketizer();
    const frames = feed(d, [
      packet(SPS, 3000),
      packet(PPS, 3000),
      packet(IDR, 3000, { marker: true, receivedAt: 42 }),
    ]);
    expect(frames).toEqual([
      {
        kind: 'video',
        codec: 'h264',
        data: annexB(SPS, PPS, IDR),
        timestamp: 3000,
        keyframe: true,
        width: 640,
        height: 360,
        discontinuity: false,
        receivedAt: 42,
      },
    ]);
    expect(d.stats).toEqual({
      frames: 1,
      framesDroppedLoss: 0,
      framesDroppedCap: 0,
      packetsInvalid: 0,
    });
  });

  it('unpacks STAP-A and reassembles FU-A (RFC 6184 §5.7.1, §5.8)', () => {
    const stapA = bytes([0x78], [0, SPS.length], SPS, [0, PPS.length], PPS);
    const [first, middle, last] = fuA(IDR, [IDR.slice(1, 2), IDR.slice(2, 4), IDR.slice(4)]);
    const frames = feed(depacketizer(), [
      packet(stapA, 0),
      packet(first!, 0),
      packet(middle!, 0),
      packet(last!, 0, { marker: true }),
    ]);
    expect(frames.map((f) => f.data)).toEqual([annexB(SPS, PPS, IDR)]);
  });

  it('accepts an FU-A with both S and E set, and empty fragments', () => {
    const [whole] = fuA(SLICE, [SLICE.slice(1)]);
    const pieces = fuA(SLICE2, [[], SLICE2.slice(1), []]);
    const frames = feed(depacketizer(), [
      packet(whole!, 0, { marker: true }),
      ...pieces.map((p, i) => packet(p, 3000, { marker: i === 2 })),
    ]);
    expect(frames.map((f) => f.data)).toEqual([annexB(SLICE), annexB(SLICE2)]);
  });

  it('ends a frame on a new timestamp for cameras that never set the marker', () => {
    const d = depacketizer();
    const frames = feed(d, [packet(SLICE, 0), packet(SLICE2, 0), packet(SLICE, 3000)]);
    expect(frames.map((f) => [f.timestamp, f.data])).toEqual([[0, annexB(SLICE, SLICE2)]]);
    expect(feed(d, [packet(SLICE2, 6000)]).map((f) => f.timestamp)).toEqual([3000]);
  });

  it('does not end a frame on SPS/PPS/SEI/AUD packets carrying the marker', () => {
    const frames = feed(depacketizer(), [
      packet(AUD, 0, { marker: true }),
      packet(SPS, 0, { marker: true }),
      packet(PPS, 0, { marker: true }),
      packet(SEI, 0, { marker: true }),
      packet(IDR, 0, { marker: true }),
    ]);
    expect(frames.map((f) => f.data)).toEqual([annexB(AUD, SPS, PPS, SEI, IDR)]);
  });

  it('carries parameter sets sent with their own timestamp into the next picture', () => {
    const frames = feed(depacketizer(), [
      packet(SPS, 0),
      packet(PPS, 0),
      packet(IDR, 3000, { marker: true }),
    ]);
    expect(frames.map((f) => [f.timestamp, f.data, f.keyframe])).toEqual([
      [3000, annexB(SPS, PPS, IDR), true],
    ]);
  });

  it('drops a frame that lost a fragment, quietly skips the rest of that FU, and flags the next frame', () => {
    const d = depacketizer();
    const [first, , third, last] = fuA(IDR, [[0x88], [0x84], [0x21], [0xa0]]);
    const frames = feed(d, [
      packet(first!, 0),
      packet(third!, 0, { lost: 1 }),
      packet(last!, 0, { marker: true }),
      packet(SLICE, 3000, { marker: true }),
      packet(SLICE2, 6000, { marker: true }),
    ]);
    expect(frames.map((f) => [f.data, f.discontinuity])).toEqual([
      [annexB(SLICE), true],
      [annexB(SLICE2), false],
    ]);
    expect(d.stats).toMatchObject({ frames: 2, framesDroppedLoss: 1, packetsInvalid: 0 });
  });

  it('drops a frame whose FU never ends before the next NAL unit or timestamp', () => {
    const d = depacketizer();
    const [first] = fuA(IDR, [[0x88], [0x84]]);
    const frames = feed(d, [
      packet(first!, 0),
      packet(SLICE2, 0), // the FU's end never came: the rest of this frame is dropped too
      packet(SLICE2, 0, { marker: true }),
      packet(first!, 3000),
      packet(SLICE, 6000, { marker: true }),
    ]);
    expect(frames.map((f) => [f.timestamp, f.data, f.discontinuity])).toEqual([
      [6000, annexB(SLICE), true],
    ]);
    expect(d.stats.framesDroppedLoss).toBe(2);
  });

  it('with waitForKeyframe drops frames at the start and after loss until an IDR', () => {
    const d = depacketizer({ 'sprop-parameter-sets': SPROP }, { waitForKeyframe: true });
    const frames = feed(d, [
      packet(SLICE, 0, { marker: true }),
      packet(IDR, 3000, { marker: true }),
      packet(SLICE, 6000, { marker: true }),
      packet(SLICE, 12000, { marker: true, lost: 1 }),
      packet(SLICE2, 15000, { marker: true }),
      packet(IDR, 18000, { marker: true }),
    ]);
    expect(frames.map((f) => [f.timestamp, f.keyframe, f.discontinuity])).toEqual([
      [3000, true, false],
      [6000, false, false],
      [18000, true, true],
    ]);
    expect(d.stats.framesDroppedLoss).toBe(3);
  });

  it('drops the rest of a frame after loss inside it, not only the part before', () => {
    const d = depacketizer();
    const frames = feed(d, [
      packet(SLICE, 0),
      packet(SLICE2, 0, { lost: 1 }),
      packet(SLICE, 0, { marker: true }),
      packet(SLICE2, 3000, { marker: true }),
    ]);
    expect(frames.map((f) => [f.timestamp, f.discontinuity])).toEqual([[3000, true]]);
    expect(d.stats.framesDroppedLoss).toBe(1);
  });

  it('without waitForKeyframe keeps frames after loss, marking the first', () => {
    const frames = feed(depacketizer(), [
      packet(SLICE, 0, { marker: true }),
      packet(SLICE, 6000, { marker: true, lost: 2 }),
      packet(SLICE, 9000, { marker: true }),
    ]);
    expect(frames.map((f) => f.discontinuity)).toEqual([false, true, false]);
  });

  it('inserts sprop-parameter-sets before an IDR that lacks them, after its AUD', () => {
    const d = depacketizer({ 'sprop-parameter-sets': SPROP, 'packetization-mode': '1' });
    const frames = feed(d, [
      packet(AUD, 0),
      packet(IDR, 0, { marker: true }),
      packet(SLICE, 3000, { marker: true }),
    ]);
    expect(frames.map((f) => f.data)).toEqual([annexB(AUD, SPS, PPS, IDR), annexB(SLICE)]);
    expect(frames[0]).toMatchObject({ width: 640, height: 360 });
  });

  it('inserts only the missing kind, after the in-band one', () => {
    const frames = feed(depacketizer({ 'sprop-parameter-sets': SPROP }), [
      packet(SPS, 0),
      packet(SEI, 0),
      packet(IDR, 0, { marker: true }),
    ]);
    expect(frames[0]!.data).toEqual(annexB(SPS, PPS, SEI, IDR));
  });

  it('lets in-band parameter sets replace sprop ones, and updates the size', () => {
    // Main 1280x720 SPS of test/fixtures/h264-720p.mp4.
    const sps720 = Array.from(Buffer.from('674d401fda014016ec0440000003004000000c83c60ca8', 'hex'));
    const pps720 = [0x68, 0xef, 0x3c, 0x80];
    const d = depacketizer({ 'sprop-parameter-sets': SPROP });
    const frames = feed(d, [
      packet(sps720, 0),
      packet(pps720, 0),
      packet(IDR, 0, { marker: true }),
      packet(IDR, 3000, { marker: true }),
    ]);
    expect(frames.map((f) => [f.data, f.width, f.height])).toEqual([
      [annexB(sps720, pps720, IDR), 1280, 720],
      [annexB(sps720, pps720, IDR), 1280, 720],
    ]);
  });

  it('falls back to in-band parameter sets when the sprop does not decode', () => {
    const d = depacketizer({ 'sprop-parameter-sets': 'Z2QAAA==,aO88sA==' });
    const frames = feed(d, [
      packet(IDR, 0, { marker: true }),
      packet(SPS, 3000),
      packet(PPS, 3000),
      packet(IDR, 3000, { marker: true }),
    ]);
    expect(frames.map((f) => [f.data, f.width])).toEqual([
      [annexB(IDR), undefined],
      [annexB(SPS, PPS, IDR), 640],
    ]);
    expect(d.stats.packetsInvalid).toBe(0);
  });

  it('counts STAP-B, MTAP16, MTAP24, FU-B, reserved types and malformed STAP-A as invalid, keeping the frame', () => {
    const d = depacketizer();
    const frames = feed(d, [
      packet([0x19, 0, 0, 0, 2, 0x41, 0], 0),
      packet([0x1a, 0, 0, 1], 0),
      packet([0x1b, 0, 0, 1], 0),
      packet([0x1d, 0x85, 0, 0, 1], 0),
      packet([0x1e, 1], 0),
      packet([], 0),
      packet([0x78, 0, 9, 0x41], 0), // NAL size runs past the packet
      packet([0x1c], 0), // FU-A without its FU header
      packet(SLICE, 0, { marker: true }),
    ]);
    expect(frames.map((f) => f.data)).toEqual([annexB(SLICE)]);
    expect(d.stats.packetsInvalid).toBe(8);
  });

  it('keeps the complete units of a STAP-A whose last unit is truncated', () => {
    const d = depacketizer();
    const frames = feed(d, [
      packet(bytes([0x78, 0, SLICE.length], SLICE, [0, 40, 1]), 0, { marker: true }),
    ]);
    expect(frames.map((f) => f.data)).toEqual([annexB(SLICE)]);
    expect(d.stats.packetsInvalid).toBe(1);
  });

  it('counts a middle fragment with no FU started as invalid', () => {
    const d = depacketizer();
    const [, middle] = fuA(IDR, [[0x88], [0x84], [0x21]]);
    feed(d, [packet(middle!, 0)]);
    expect(d.stats.packetsInvalid).toBe(1);
  });

  it('drops a frame over maxFrameBytes and stops buffering it at once', () => {
    const d = depacketizer({}, { maxFrameBytes: 1000 });
    const chunk = Array.from({ length: 300 }, () => 0x55);
    const [start, middle] = fuA(SLICE, [chunk, chunk], { start: true, end: false });
    const frames = feed(d, [packet(start!, 0), packet(middle!, 0), packet(middle!, 0)]);
    expect(d.stats.framesDroppedCap).toBe(0);
    // Start code + NAL header + 3 × 300 bytes held.
    expect(d.bufferedBytes).toBe(4 + 1 + 900);
    frames.push(...feed(d, [packet(middle!, 0)]));
    expect(d.stats.framesDroppedCap).toBe(1);
    expect(d.bufferedBytes).toBe(0);
    // The endless FU goes on: ignored, never counted again, never emitted, nothing held.
    for (let i = 0; i < 1000; i++) frames.push(...feed(d, [packet(middle!, 0)]));
    expect(d.bufferedBytes).toBe(0);
    frames.push(
      ...feed(d, [packet(SLICE, 0, { marker: true }), packet(SLICE2, 3000, { marker: true })]),
    );
    expect(frames.map((f) => [f.data, f.discontinuity])).toEqual([[annexB(SLICE2), true]]);
    expect(d.stats).toMatchObject({ framesDroppedCap: 1, framesDroppedLoss: 0, frames: 1 });
  });

  it(`drops a frame of more than ${MAX_NAL_UNITS_PER_ACCESS_UNIT} NAL units`, () => {
    const d = depacketizer();
    const many = Array.from({ length: MAX_NAL_UNITS_PER_ACCESS_UNIT + 1 }, () => packet(SLICE, 0));
    const frames = feed(d, [
      ...many,
      packet(SLICE, 0, { marker: true }),
      packet(SLICE, 3000, { marker: true }),
    ]);
    expect(frames.map((f) => f.timestamp)).toEqual([3000]);
    expect(d.stats.framesDroppedCap).toBe(1);
    const exactly = Array.from({ length: MAX_NAL_UNITS_PER_ACCESS_UNIT }, (_, i) =>
      packet(SLICE, 6000, { marker: i === MAX_NAL_UNITS_PER_ACCESS_UNIT - 1 }),
    );
    expect(feed(d, exactly)).toHaveLength(1);
  });

  it('reset() forgets the partial frame and flags the next one', () => {
    const d = depacketizer();
    feed(d, [packet(SLICE, 0)]);
    d.reset();
    const frames = feed(d, [packet(SLICE2, 0, { marker: true })]);
    expect(frames.map((f) => [f.data, f.discontinuity])).toEqual([[annexB(SLICE2), true]]);
    expect(d.stats.framesDroppedLoss).toBe(0);
  });

  it('rejects a maxFrameBytes that is not a positive integer', () => {
    expect(() => depacketizer({}, { maxFrameBytes: 0 })).toThrow(
      /maxFrameBytes must be a positive integer/,
    );
  });
});

/** NAL units as an encoder makes them: a header with nal_ref_idc 3, then a body. */
const nalOfType = (type: number, maxLength: number) =>
  fc.uint8Array({ minLength: 0, maxLength }).map((body) => Uint8Array.from([0x60 | type, ...body]));

const accessUnit = fc.boolean().chain((keyframe) =>
  fc
    .tuple(
      fc.option(nalOfType(9, 1), { nil: undefined }),
      keyframe ? fc.tuple(nalOfType(7, 30), nalOfType(8, 8)) : fc.constant([]),
      fc.array(nalOfType(6, 40), { maxLength: 2 }),
      fc.array(nalOfType(keyframe ? 5 : 1, 4000), { minLength: 1, maxLength: 3 }),
    )
    .map(([aud, parameterSets, sei, slices]) => ({
      keyframe,
      nalUnits: [...(aud ? [aud] : []), ...parameterSets, ...sei, ...slices],
    })),
);

describe('H264Depacketizer properties', () => {
  it('depacketizes any packetized access units back to the same Annex B frames', () => {
    fc.assert(
      fc.property(
        fc.array(accessUnit, { minLength: 1, maxLength: 5 }),
        fc.integer({ min: 100, max: 1500 }),
        fc.boolean(),
        fc.boolean(),
        (units, mtu, aggregate, withMarker) => {
          const d = depacketizer();
          let sequenceNumber = 0;
          const packets = units.flatMap((au, i) => {
            const payloads = packetizeH264(au.nalUnits, mtu, { aggregate });
            const out = packetsOf(payloads, i * 3000, sequenceNumber);
            sequenceNumber += out.length;
            return withMarker ? out : out.map((p) => ({ ...p, marker: false }));
          });
          // Without markers the last frame ends only when the next timestamp arrives.
          if (!withMarker) packets.push(packet([0x09, 0xf0], units.length * 3000));
          const frames = feed(d, packets);
          expect(frames.map((f) => [f.timestamp, f.keyframe, f.data])).toEqual(
            units.map((au, i) => [i * 3000, au.keyframe, joinAnnexB(au.nalUnits)]),
          );
          expect(d.stats).toEqual({
            frames: units.length,
            framesDroppedLoss: 0,
            framesDroppedCap: 0,
            packetsInvalid: 0,
          });
        },
      ),
      { numRuns: 60 },
    );
  });

  it('never throws on random or mutated packets, keeps frames under the caps and counts what it returns', () => {
    const realPayloads = packetizeH264(
      [
        Uint8Array.from(SPS),
        Uint8Array.from(PPS),
        Uint8Array.from({ length: 900 }, (_, i) => (i === 0 ? 0x65 : i)),
      ],
      200,
      { aggregate: true },
    ).map((p) => p.payload);
    const mutated = fc
      .tuple(
        fc.constantFrom(...realPayloads),
        fc.array(fc.tuple(fc.nat(), fc.nat({ max: 255 })), { maxLength: 3 }),
        fc.nat(),
      )
      .map(([payload, edits, cut]) => {
        const copy = payload.slice(0, cut % (payload.length + 1));
        for (const [at, value] of edits) if (copy.length > 0) copy[at % copy.length] = value;
        return copy;
      });
    const typed = fc
      .tuple(fc.nat({ max: 31 }), fc.nat({ max: 255 }), fc.uint8Array({ maxLength: 300 }))
      .map(([type, second, rest]) => Uint8Array.from([0x60 | type, second, ...rest]));
    const randomPacket = fc.record({
      payload: fc.oneof(mutated, typed, fc.uint8Array({ maxLength: 50 })),
      marker: fc.boolean(),
      tick: fc.nat({ max: 2 }),
      lost: fc.oneof(fc.constant(0), fc.constant(0), fc.nat({ max: 3 })),
    });
    fc.assert(
      fc.property(
        fc.array(randomPacket, { maxLength: 60 }),
        fc.boolean(),
        (packets, waitForKeyframe) => {
          const maxFrameBytes = 2000;
          const d = depacketizer(
            { 'sprop-parameter-sets': SPROP },
            { maxFrameBytes, waitForKeyframe },
          );
          let timestamp = 0;
          const frames = feed(
            d,
            packets.map(({ payload, marker, tick, lost }) =>
              packet(payload, (timestamp += tick * 3000), { marker, lost }),
            ),
          );
          for (const frame of frames) expect(frame.data.length).toBeLessThanOrEqual(maxFrameBytes);
          expect(d.stats.frames).toBe(frames.length);
          for (const count of Object.values(d.stats))
            expect(Number.isInteger(count) && count >= 0).toBe(true);
        },
      ),
      { numRuns: 300 },
    );
  });
});
