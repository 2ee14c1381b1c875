import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { joinAnnexB } from '../../../src/codecs/annexb.js';
import type { DepacketizerOptions } from '../../../src/depacketizers/depacketizer.js';
import { H265Depacketizer } from '../../../src/depacketizers/h265.js';
import { packetizeH265 } from '../../../src/packetizers/h265.js';
import { annexB, bytes, feed, packet, packetsOf, videoTrack } from './h26x-helpers.js';

const fromHex = (text: string): number[] => Array.from(Buffer.from(text, 'hex'));
// Real parameter sets of test/fixtures/h265-360p.mp4 (640x360 Main).
const VPS = fromHex('40010c01ffff01600000030090000003000003003fba0240');
const SPS = fromHex(
  '42010101600000030090000003000003003fa00502016965ba924caf016808000003000800000300c840',
);
const PPS = fromHex('4401c172b46240');
const SPROP = {
  'sprop-vps': Buffer.from(VPS).toString('base64'),
  'sprop-sps': Buffer.from(SPS).toString('base64'),
  'sprop-pps': Buffer.from(PPS).toString('base64'),
};
const AUD = [35 << 1, 1, 0x50];
const IDR = [19 << 1, 1, 0xaf, 0x08, 0x40]; // IDR_W_RADL
const CRA = [21 << 1, 1, 0xaf, 0x10];
const TRAIL = [1 << 1, 1, 0xd0, 0x04];

const depacketizer = (fmtp: Record<string, string> = {}, options?: DepacketizerOptions) =>
  new H265Depacketizer(videoTrack('h265', fmtp), options);

describe('H265Depacketizer', () => {
  it('assembles single NAL unit packets into a keyframe with the SPS size', () => {
    const frames = feed(depacketizer(), [
      packet(VPS, 0),
      packet(SPS, 0),
      packet(PPS, 0),
      packet(IDR, 0, { marker: true }),
      packet(TRAIL, 3000, { marker: true }),
    ]);
    expect(frames.map((f) => [f.data, f.keyframe, f.width, f.height])).toEqual([
      [annexB(VPS, SPS, PPS, IDR), true, 640, 360],
      [annexB(TRAIL), false, 640, 360],
    ]);
  });

  it('treats every IRAP picture (types 16–23) as a keyframe', () => {
    const frames = feed(depacketizer(), [
      packet(CRA, 0, { marker: true }),
      packet([16 << 1, 1, 0x80], 3000, { marker: true }),
    ]);
    expect(frames.map((f) => f.keyframe)).toEqual([true, true]);
  });

  it('unpacks an AP and reassembles an FU (RFC 7798 §4.4.2, §4.4.3)', () => {
    const ap = bytes(
      [48 << 1, 1],
      [0, VPS.length],
      VPS,
      [0, SPS.length],
      SPS,
      [0, PPS.length],
      PPS,
    );
    const fuHeader = [49 << 1, 1];
    const frames = feed(depacketizer(), [
      packet(ap, 0),
      packet(bytes(fuHeader, [0x80 | 19], IDR.slice(2, 3)), 0),
      packet(bytes(fuHeader, [19], []), 0),
      packet(bytes(fuHeader, [0x40 | 19], IDR.slice(3)), 0, { marker: true }),
    ]);
    expect(frames.map((f) => f.data)).toEqual([annexB(VPS, SPS, PPS, IDR)]);
  });

  it('skips DONL and DOND fields when sprop-max-don-diff > 0 (§4.4.1)', () => {
    const d = depacketizer({ 'sprop-max-don-diff': '2' });
    const ap = bytes(
      [48 << 1, 1],
      [0, 7],
      [0, VPS.length],
      VPS,
      [1],
      [0, SPS.length],
      SPS,
      [1],
      [0, PPS.length],
      PPS,
    );
    const fuHeader = [49 << 1, 1];
    const frames = feed(d, [
      packet(ap, 0),
      packet(bytes(fuHeader, [0x80 | 19], [0, 10], IDR.slice(2, 4)), 0),
      packet(bytes(fuHeader, [0x40 | 19], IDR.slice(4)), 0, { marker: true }),
      packet(bytes(TRAIL.slice(0, 2), [0, 11], TRAIL.slice(2)), 3000, { marker: true }),
    ]);
    expect(frames.map((f) => f.data)).toEqual([annexB(VPS, SPS, PPS, IDR), annexB(TRAIL)]);
    expect(d.stats.packetsInvalid).toBe(0);
  });

  it('counts PACI, reserved types and short packets as invalid', () => {
    const d = depacketizer();
    feed(d, [
      packet([50 << 1, 1, 0, 0, 0], 0),
      packet([63 << 1, 1, 0], 0),
      packet([2], 0),
      packet([49 << 1, 1], 0),
      packet(TRAIL, 0, { marker: true }),
    ]);
    expect(d.stats).toMatchObject({ packetsInvalid: 4, frames: 1 });
  });

  it('inserts VPS/SPS/PPS from sprop before an IRAP picture after its AUD', () => {
    const d = depacketizer(SPROP);
    const frames = feed(d, [packet(AUD, 0), packet(IDR, 0, { marker: true })]);
    expect(frames.map((f) => [f.data, f.width])).toEqual([[annexB(AUD, VPS, SPS, PPS, IDR), 640]]);
  });

  it('ignores an sprop-sps that does not decode', () => {
    const frames = feed(depacketizer({ ...SPROP, 'sprop-sps': 'QgEB' }), [
      packet(IDR, 0, { marker: true }),
    ]);
    expect(frames.map((f) => [f.data, f.width])).toEqual([[annexB(IDR), undefined]]);
  });

  it('with waitForKeyframe drops pictures until an IRAP', () => {
    const d = depacketizer(SPROP, { waitForKeyframe: true });
    const frames = feed(d, [
      packet(TRAIL, 0, { marker: true }),
      packet(CRA, 3000, { marker: true }),
    ]);
    expect(frames.map((f) => f.timestamp)).toEqual([3000]);
    expect(d.stats.framesDroppedLoss).toBe(1);
  });
});

const nalOfType = (type: number, maxLength: number) =>
  fc
    .uint8Array({ minLength: 0, maxLength })
    .map((body) => Uint8Array.from([type << 1, 1, ...body]));

const accessUnit = fc.constantFrom(1, 19, 21).chain((sliceType) =>
  fc
    .tuple(
      sliceType === 1
        ? fc.constant([])
        : fc.tuple(nalOfType(32, 20), nalOfType(33, 40), nalOfType(34, 8)),
      fc.array(nalOfType(39, 30), { maxLength: 2 }),
      fc.array(nalOfType(sliceType, 4000), { minLength: 1, maxLength: 3 }),
    )
    .map(([parameterSets, sei, slices]) => ({
      keyframe: sliceType !== 1,
      nalUnits: [...parameterSets, ...sei, ...slices],
    })),
);

describe('H265Depacketizer properties', () => {
  it('depacketizes any packetized access units back to the same Annex B frames', () => {
    fc.assert(
      fc.property(
        fc.array(accessUnit, { minLength: 1, maxLength: 5 }),
        fc.integer({ min: 100, max: 1500 }),
        fc.boolean(),
        (units, mtu, aggregate) => {
          const d = depacketizer();
          const packets = units.flatMap((au, i) =>
            packetsOf(packetizeH265(au.nalUnits, mtu, { aggregate }), i * 3000),
          );
          const frames = feed(d, packets);
          expect(frames.map((f) => [f.keyframe, f.data])).toEqual(
            units.map((au) => [au.keyframe, joinAnnexB(au.nalUnits)]),
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

  it('never throws on random packets and keeps frames under the cap', () => {
    const randomPacket = fc.record({
      payload: fc
        .tuple(fc.nat({ max: 63 }), fc.uint8Array({ maxLength: 300 }))
        .map(([type, rest]) => Uint8Array.from([type << 1, ...rest])),
      marker: fc.boolean(),
      tick: fc.nat({ max: 2 }),
      lost: fc.oneof(fc.constant(0), fc.nat({ max: 2 })),
    });
    fc.assert(
      fc.property(fc.array(randomPacket, { maxLength: 60 }), fc.boolean(), (packets, withDon) => {
        const d = depacketizer(
          { ...SPROP, ...(withDon ? { 'sprop-max-don-diff': '1' } : {}) },
          { maxFrameBytes: 1500 },
        );
        let timestamp = 0;
        const frames = feed(
          d,
          packets.map(({ payload, marker, tick, lost }) =>
            packet(payload, (timestamp += tick * 3000), { marker, lost }),
          ),
        );
        for (const frame of frames) expect(frame.data.length).toBeLessThanOrEqual(1500);
        expect(d.stats.frames).toBe(frames.length);
      }),
      { numRuns: 300 },
    );
  });
});
