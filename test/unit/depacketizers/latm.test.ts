import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_AAC_ACCESS_UNIT_BYTES } from '../../../src/depacketizers/aac.js';
import { LatmDepacketizer, latmAudioSpecificConfig } from '../../../src/depacketizers/latm.js';
import { ErrorCodes } from '../../../src/errors.js';
import type { Track } from '../../../src/sdp/track.js';
import {
  depacketize,
  mediaPacket,
  randomPayloads,
  track,
  withByteEdits,
  withLosses,
} from './media-packets.js';
import { streamMuxConfig } from './stream-mux-config.js';

const latmTrack = (
  fmtp: Record<string, string> = { cpresent: '0', config: streamMuxConfig() },
): Track => track({ codec: 'mp4a-latm', clockRate: 48000, channels: 2, fmtp });

/** PayloadLengthInfo (§1.7.3.2): 255 for every full 255 bytes, then the rest. */
const lengthInfo = (length: number): number[] => [
  ...Array<number>(Math.floor(length / 255)).fill(255),
  length % 255,
];

/** One AudioMuxElement per AU, split into packets of at most `mtu` bytes, marker on the last. */
function packetizeLatm(
  accessUnits: readonly Uint8Array[],
  mtu: number,
): { payload: Uint8Array; marker: boolean; index: number }[] {
  return accessUnits.flatMap((au, index) => {
    const element = Uint8Array.from([...lengthInfo(au.length), ...au]);
    const packets = [];
    for (let at = 0; at < element.length; at += mtu) {
      packets.push({
        payload: element.subarray(at, at + mtu),
        marker: at + mtu >= element.length,
        index,
      });
    }
    return packets;
  });
}

describe('LatmDepacketizer: RFC 6416 vectors', () => {
  it('reads the StreamMuxConfig cameras send (config=400026203fc0: AAC-LC 24 kHz stereo)', () => {
    const depacketizer = new LatmDepacketizer(latmTrack({ cpresent: '0', config: '400026203fc0' }));
    const [frame] = depacketize(depacketizer, [
      mediaPacket(Uint8Array.of(2, 0xaa, 0xbb), { timestamp: 7 }),
    ]);
    expect(frame).toMatchObject({
      codec: 'aac',
      sampleRate: 24000,
      channels: 2,
      sampleCount: 1024,
      timestamp: 7,
    });
    expect([...frame!.data]).toEqual([0xaa, 0xbb]);
    // What a writer needs: the AudioSpecificConfig inside the StreamMuxConfig.
    expect(depacketizer.audioConfig).toMatchObject({ objectType: 2, samplingFrequencyIndex: 6 });
  });

  it('gives the AudioSpecificConfig inside the StreamMuxConfig as bytes, for writers', () => {
    // 400026203fc0: the config starts at bit 15 (audioMuxVersion 0); 24 kHz stereo AAC-LC is 13 10.
    expect(latmAudioSpecificConfig({ fmtp: { config: '400026203fc0' } })).toEqual(
      Uint8Array.of(0x13, 0x10),
    );
    // audioMuxVersion 1 states the config's length (16 bits here, 3 of them fill bits).
    const v1 = streamMuxConfig({ audioMuxVersion: 1 });
    expect(new LatmDepacketizer(latmTrack({ config: v1 })).audioConfig).toMatchObject({
      sampleRate: 48000,
      channels: 2,
    });
    expect(latmAudioSpecificConfig({ fmtp: { config: v1 } })).toEqual(Uint8Array.of(0x11, 0x90));
    expect(latmAudioSpecificConfig({ fmtp: { cpresent: '1', config: v1 } })).toMatch(
      /in-band StreamMuxConfig/,
    );
  });

  it('adds up 0xFF runs of PayloadLengthInfo', () => {
    const au = new Uint8Array(300).fill(7);
    const frames = depacketize(new LatmDepacketizer(latmTrack()), [
      mediaPacket(Uint8Array.from([255, 45, ...au])),
    ]);
    expect(frames.map((f) => f.data.length)).toEqual([300]);
  });

  it('reassembles an element fragmented until the marker', () => {
    const frames = depacketize(new LatmDepacketizer(latmTrack()), [
      mediaPacket(Uint8Array.of(4, 1, 2), { marker: false }),
      mediaPacket(Uint8Array.of(3, 4)),
    ]);
    expect(frames.map((f) => [...f.data])).toEqual([[1, 2, 3, 4]]);
  });

  it('splits numSubFrames + 1 subframes, one frame length apart', () => {
    const depacketizer = new LatmDepacketizer(
      latmTrack({ config: streamMuxConfig({ subframes: 2 }) }),
    );
    const frames = depacketize(depacketizer, [
      mediaPacket(Uint8Array.of(1, 9, 2, 8, 8), { timestamp: 100 }),
    ]);
    expect(frames.map((f) => [f.timestamp, [...f.data]])).toEqual([
      [100, [9]],
      [1124, [8, 8]],
    ]);
  });

  it('counts an element whose lengths do not match its bytes as invalid', () => {
    const depacketizer = new LatmDepacketizer(latmTrack());
    depacketize(depacketizer, [
      mediaPacket(Uint8Array.of(5, 1, 2)),
      mediaPacket(Uint8Array.of(1, 1, 2)),
    ]);
    expect(depacketizer.stats.packetsInvalid).toBe(2);
  });

  it('drops an element when a fragment is lost, and flags the next frame', () => {
    const depacketizer = new LatmDepacketizer(latmTrack());
    const frames = depacketize(depacketizer, [
      mediaPacket(Uint8Array.of(4, 1), { marker: false, timestamp: 0 }),
      mediaPacket(Uint8Array.of(4), { lost: 1, timestamp: 0 }), // the tail: lengths cannot match
      mediaPacket(Uint8Array.of(1, 5), { timestamp: 1024 }),
    ]);
    expect(frames.map((f) => [f.timestamp, f.discontinuity])).toEqual([[1024, true]]);
    expect(depacketizer.stats).toEqual({
      frames: 1,
      framesDroppedLoss: 2,
      framesDroppedCap: 0,
      packetsInvalid: 0,
    });
  });
});

describe('LatmDepacketizer.validate', () => {
  it.each([
    [{ config: streamMuxConfig(), cpresent: '1' }, /in-band StreamMuxConfig \(cpresent=1\)/],
    [{ cpresent: '0' }, /without fmtp config/],
    [{ config: streamMuxConfig({ program: 1 }) }, /more than one program/],
    [{ config: streamMuxConfig({ frameLengthType: 1 }) }, /frameLengthType 1/],
    [{ config: '40' }, /truncated/],
  ])('gives a reason for %j', (fmtp, reason) => {
    expect(LatmDepacketizer.validate(latmTrack(fmtp))).toMatch(reason);
    expect(() => new LatmDepacketizer(latmTrack(fmtp))).toThrow(
      expect.objectContaining({ code: ErrorCodes.ERR_RTSP_UNSUPPORTED }),
    );
  });
});

describe('LatmDepacketizer properties', () => {
  const accessUnits = fc.array(fc.uint8Array({ minLength: 1, maxLength: 2000 }), {
    minLength: 1,
    maxLength: 6,
  });

  it('elements split at any MTU come back as the same AUs', () => {
    fc.assert(
      fc.property(accessUnits, fc.integer({ min: 1, max: 1500 }), (aus, mtu) => {
        const depacketizer = new LatmDepacketizer(latmTrack());
        const packets = packetizeLatm(aus, mtu).map((p) =>
          mediaPacket(p.payload, { marker: p.marker, timestamp: p.index * 1024 }),
        );
        const frames = depacketize(depacketizer, packets);
        expect(frames.map((f) => Buffer.from(f.data).toString('hex'))).toEqual(
          aus.map((au) => Buffer.from(au).toString('hex')),
        );
        expect(frames.map((f) => f.timestamp)).toEqual(aus.map((_, i) => i * 1024));
      }),
      { numRuns: 150 },
    );
  });

  it('random and mutated packets never throw and never exceed the AU cap', () => {
    const mutated = withByteEdits(
      fc
        .tuple(accessUnits, fc.integer({ min: 1, max: 700 }))
        .map(([aus, mtu]) => packetizeLatm(aus, mtu)),
    );
    const random = randomPayloads(40, 10);
    fc.assert(
      fc.property(
        fc.oneof(mutated, random),
        fc.array(fc.nat(2), { maxLength: 10 }),
        fc.integer({ min: 1, max: 3 }),
        (payloads, losses, subframes) => {
          const depacketizer = new LatmDepacketizer(
            latmTrack({ config: streamMuxConfig({ subframes }) }),
          );
          const frames = depacketize(depacketizer, withLosses(payloads, losses));
          for (const frame of frames)
            expect(frame.data.length).toBeLessThanOrEqual(MAX_AAC_ACCESS_UNIT_BYTES);
          expect(depacketizer.stats.frames).toBe(frames.length);
        },
      ),
      { numRuns: 300 },
    );
  });
});
