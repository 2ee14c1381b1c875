import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  adtsHeader,
  buildAudioSpecificConfig,
  parseAudioSpecificConfig,
} from '../../../src/codecs/aac-config.js';
import { AacDepacketizer, MAX_AAC_ACCESS_UNIT_BYTES } from '../../../src/depacketizers/aac.js';
import { ErrorCodes } from '../../../src/errors.js';
import { aacFmtp, packetizeAac } from '../../../src/packetizers/aac.js';
import type { Track } from '../../../src/sdp/track.js';
import {
  depacketize,
  mediaPacket,
  randomPayloads,
  track,
  withByteEdits,
  withLosses,
} from './media-packets.js';

const HBR = {
  config: '1190',
  mode: 'AAC-hbr',
  sizelength: '13',
  indexlength: '3',
  indexdeltalength: '3',
};
const aacTrack = (fmtp: Record<string, string> = HBR, fields: Partial<Track> = {}): Track =>
  track({ codec: 'mpeg4-generic', clockRate: 48000, channels: 2, fmtp, ...fields });
const bytes = (...values: number[]): Uint8Array => Uint8Array.from(values);

describe('AacDepacketizer: RFC 3640 vectors', () => {
  it('AAC-hbr, one AU: data, timing and format from the config', () => {
    const frames = depacketize(new AacDepacketizer(aacTrack()), [
      mediaPacket(bytes(0x00, 0x10, 0x00, 0x18, 0xaa, 0xbb, 0xcc), { timestamp: 4800 }),
    ]);
    expect(frames).toEqual([
      expect.objectContaining({
        codec: 'aac',
        timestamp: 4800,
        sampleRate: 48000,
        channels: 2,
        sampleCount: 1024,
        discontinuity: false,
      }),
    ]);
    expect([...frames[0]!.data]).toEqual([0xaa, 0xbb, 0xcc]);
  });

  it('AAC-hbr, two AUs: the second is one frame later (§3.2.3.1)', () => {
    const frames = depacketize(new AacDepacketizer(aacTrack()), [
      mediaPacket(bytes(0x00, 0x20, 0x00, 0x10, 0x00, 0x08, 0x11, 0x22, 0x33), { timestamp: 1000 }),
    ]);
    expect(frames.map((f) => [f.timestamp, [...f.data]])).toEqual([
      [1000, [0x11, 0x22]],
      [2024, [0x33]],
    ]);
  });

  it('reassembles an AU fragmented over packets until the marker (§3.2.3.2)', () => {
    const depacketizer = new AacDepacketizer(aacTrack());
    const frames = depacketize(depacketizer, [
      mediaPacket(bytes(0x00, 0x10, 0x00, 0x28, 1, 2, 3), { marker: false }),
      mediaPacket(bytes(0x00, 0x10, 0x00, 0x28, 4, 5)),
    ]);
    expect(frames.map((f) => [...f.data])).toEqual([[1, 2, 3, 4, 5]]);
    expect(depacketizer.stats).toEqual({
      frames: 1,
      framesDroppedLoss: 0,
      framesDroppedCap: 0,
      packetsInvalid: 0,
    });
  });

  it('AAC-lbr: 6-bit sizes and 2-bit indexes', () => {
    const fmtp = {
      config: '1190',
      mode: 'AAC-lbr',
      sizelength: '6',
      indexlength: '2',
      indexdeltalength: '2',
    };
    const frames = depacketize(new AacDepacketizer(aacTrack(fmtp)), [
      mediaPacket(bytes(0x00, 0x10, 0x08, 0x04, 7, 8, 9)),
    ]);
    expect(frames.map((f) => [...f.data])).toEqual([[7, 8], [9]]);
  });

  it('a camera that sends only mode=AAC-hbr gets the mode’s field lengths', () => {
    const frames = depacketize(new AacDepacketizer(aacTrack({ config: '1190', mode: 'AAC-hbr' })), [
      mediaPacket(bytes(0x00, 0x10, 0x00, 0x08, 0x42)),
    ]);
    expect(frames.map((f) => [...f.data])).toEqual([[0x42]]);
  });

  it('constantsize without AU headers: the data section is whole AUs', () => {
    const frames = depacketize(
      new AacDepacketizer(aacTrack({ config: '1190', constantsize: '2' })),
      [mediaPacket(bytes(1, 2, 3, 4), { timestamp: 0 })],
    );
    expect(frames.map((f) => [f.timestamp, [...f.data]])).toEqual([
      [0, [1, 2]],
      [1024, [3, 4]],
    ]);
  });

  it('skips CTS flag and RAP flag fields, with the header padded to a byte', () => {
    const fmtp = { ...HBR, ctsdeltalength: '16', randomaccessindication: '1' };
    // 18 header bits: size 2, index 0, CTS-flag 0, RAP-flag 1, then 6 padding bits.
    const frames = depacketize(new AacDepacketizer(aacTrack(fmtp)), [
      mediaPacket(bytes(0x00, 0x12, 0x00, 0x10, 0x40, 0xab, 0xcd)),
    ]);
    expect(frames.map((f) => [...f.data])).toEqual([[0xab, 0xcd]]);
  });

  it('derives AU duration in RTP ticks when the clock differs from the core rate (HE-AAC)', () => {
    // 24 kHz core config, 48 kHz RTP clock: each AU lasts 2048 ticks.
    const frames = depacketize(new AacDepacketizer(aacTrack({ ...HBR, config: '1310' })), [
      mediaPacket(bytes(0x00, 0x20, 0x00, 0x08, 0x00, 0x08, 1, 2)),
    ]);
    expect(frames.map((f) => f.timestamp)).toEqual([0, 2048]);
    expect(frames[0]).toMatchObject({ sampleRate: 24000, channels: 2 });
  });

  it('counts interleaved packets (non-zero AU-Index) as invalid', () => {
    const depacketizer = new AacDepacketizer(aacTrack());
    expect(depacketize(depacketizer, [mediaPacket(bytes(0x00, 0x10, 0x00, 0x09, 0x42))])).toEqual(
      [],
    );
    expect(depacketizer.stats.packetsInvalid).toBe(1);
  });

  it('drops a fragmented AU when a fragment is lost, and flags the next frame', () => {
    const depacketizer = new AacDepacketizer(aacTrack());
    const frames = depacketize(depacketizer, [
      mediaPacket(bytes(0x00, 0x10, 0x00, 0x30, 1, 2), { marker: false, timestamp: 0 }),
      // fragment "3, 4" lost
      mediaPacket(bytes(0x00, 0x10, 0x00, 0x30, 5, 6), { lost: 1, timestamp: 0 }),
      mediaPacket(bytes(0x00, 0x10, 0x00, 0x08, 9), { timestamp: 1024 }),
    ]);
    expect(frames.map((f) => [f.timestamp, f.discontinuity])).toEqual([[1024, true]]);
    expect(depacketizer.stats).toEqual({
      frames: 1,
      framesDroppedLoss: 1,
      framesDroppedCap: 0,
      packetsInvalid: 0,
    });
  });

  it(`drops an AU over ${MAX_AAC_ACCESS_UNIT_BYTES} bytes and skips its fragments`, () => {
    const depacketizer = new AacDepacketizer(aacTrack());
    const size = (MAX_AAC_ACCESS_UNIT_BYTES + 1) << 3;
    const header = [0x00, 0x10, size >> 8, size & 0xff];
    const frames = depacketize(depacketizer, [
      mediaPacket(bytes(...header, 1), { marker: false }),
      mediaPacket(bytes(...header, 2), { marker: false }),
      mediaPacket(bytes(...header, 3)),
      mediaPacket(bytes(0x00, 0x10, 0x00, 0x08, 9)),
    ]);
    // The dropped AU leaves a hole in the audio: the next frame says so.
    expect(frames.map((f) => [[...f.data], f.discontinuity])).toEqual([[[9], true]]);
    expect(depacketizer.stats).toEqual({
      frames: 1,
      framesDroppedLoss: 0,
      framesDroppedCap: 1,
      packetsInvalid: 0,
    });
  });

  it('drops an AU whose fragment disagrees with its size or timestamp, and flags the next frame', () => {
    const depacketizer = new AacDepacketizer(aacTrack());
    const frames = depacketize(depacketizer, [
      mediaPacket(bytes(0x00, 0x10, 0x00, 0x28, 1, 2, 3), { marker: false }),
      mediaPacket(bytes(0x00, 0x10, 0x00, 0x30, 4, 5)), // AU-size changed mid-AU (§3.2.3.2)
      mediaPacket(bytes(0x00, 0x10, 0x00, 0x08, 9), { timestamp: 1024 }),
    ]);
    expect(frames.map((f) => [[...f.data], f.discontinuity])).toEqual([[[9], true]]);
    expect(depacketizer.stats).toMatchObject({
      frames: 1,
      framesDroppedLoss: 1,
      packetsInvalid: 1,
    });
  });

  it('counts packets whose AU sizes overrun the data', () => {
    const depacketizer = new AacDepacketizer(aacTrack());
    depacketize(depacketizer, [
      mediaPacket(bytes(0x00, 0x20, 0x00, 0x10, 0x00, 0x10, 1, 2, 3)),
      mediaPacket(bytes(0x00)),
    ]);
    expect(depacketizer.stats.packetsInvalid).toBe(2);
  });
});

describe('AacDepacketizer.validate', () => {
  it.each([
    [{}, /without fmtp config/],
    [{ config: 'xyz' }, /not hex/],
    [{ config: '11' }, /truncated/],
    [{ config: '1190' }, /neither sizelength nor constantsize/],
    [{ ...HBR, sizelength: '13bits' }, /sizelength=13bits is not an integer/],
  ])('gives a reason for %j', (fmtp, reason) => {
    expect(AacDepacketizer.validate(aacTrack(fmtp))).toMatch(reason);
    expect(() => new AacDepacketizer(aacTrack(fmtp))).toThrow(
      expect.objectContaining({ code: ErrorCodes.ERR_RTSP_UNSUPPORTED }),
    );
  });

  it('accepts the fmtp our packetizer advertises', () => {
    expect(AacDepacketizer.validate(aacTrack(aacFmtp(Uint8Array.of(0x11, 0x90))))).toBeUndefined();
    expect(new AacDepacketizer(aacTrack()).audioConfig).toMatchObject({
      objectType: 2,
      sampleRate: 48000,
    });
  });
});

describe('AacDepacketizer properties', () => {
  const accessUnits = fc.array(fc.uint8Array({ minLength: 1, maxLength: 3000 }), {
    minLength: 1,
    maxLength: 8,
  });

  it('AUs packetized with any MTU come back identical, one frame length apart', () => {
    fc.assert(
      fc.property(accessUnits, fc.integer({ min: 5, max: 1500 }), (aus, mtu) => {
        const depacketizer = new AacDepacketizer(aacTrack(aacFmtp(Uint8Array.of(0x11, 0x90))));
        const packets = packetizeAac(aus, mtu).map((p) =>
          mediaPacket(p.payload, {
            marker: p.marker,
            timestamp: 90_000 + p.accessUnitIndex * 1024,
          }),
        );
        const frames = depacketize(depacketizer, packets);
        expect(frames.map((f) => Buffer.from(f.data).toString('hex'))).toEqual(
          aus.map((au) => Buffer.from(au).toString('hex')),
        );
        expect(frames.map((f) => f.timestamp)).toEqual(aus.map((_, i) => 90_000 + i * 1024));
        expect(depacketizer.stats).toEqual({
          frames: aus.length,
          framesDroppedLoss: 0,
          framesDroppedCap: 0,
          packetsInvalid: 0,
        });
      }),
      { numRuns: 150 },
    );
  });

  const layouts = fc.constantFrom<Record<string, string>>(
    HBR,
    { config: '1190', mode: 'AAC-lbr', sizelength: '6', indexlength: '2', indexdeltalength: '2' },
    {
      ...HBR,
      ctsdeltalength: '7',
      dtsdeltalength: '5',
      randomaccessindication: '1',
      streamstateindication: '3',
      auxiliarydatasizelength: '4',
    },
    { config: '1190', constantsize: '3' },
  );

  it('random and mutated packets never throw, never exceed the AU cap, and are counted', () => {
    const valid = fc
      .tuple(accessUnits, fc.integer({ min: 5, max: 600 }))
      .map(([aus, mtu]) => packetizeAac(aus, mtu));
    // Mutated, and about one packet in seven lost without the loss being reported.
    const mutated = fc
      .tuple(withByteEdits(valid), fc.array(fc.nat(6), { maxLength: 40 }))
      .map(([payloads, keep]) => payloads.filter((_, i) => keep[i] !== 0));
    const random = randomPayloads(64, 12);
    fc.assert(
      fc.property(
        layouts,
        fc.oneof(mutated, random),
        fc.array(fc.nat(2), { maxLength: 12 }),
        (fmtp, payloads, losses) => {
          const depacketizer = new AacDepacketizer(aacTrack(fmtp));
          const packets = withLosses(payloads, losses);
          const frames = depacketize(depacketizer, packets);
          for (const frame of frames)
            expect(frame.data.length).toBeLessThanOrEqual(MAX_AAC_ACCESS_UNIT_BYTES);
          const { frames: returned, packetsInvalid } = depacketizer.stats;
          expect(returned).toBe(frames.length);
          // A packet that yields nothing either was counted or belongs to a fragmented AU.
          if (
            frames.length === 0 &&
            packets.length > 0 &&
            packets.every((p) => p.marker && p.lost === 0)
          ) {
            expect(packetsInvalid + depacketizer.stats.framesDroppedCap).toBeGreaterThan(0);
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('AacDepacketizer with real AAC (ffmpeg)', () => {
  const m4a = fileURLToPath(new URL('../../fixtures/aac-48k-stereo.m4a', import.meta.url));

  /** The raw AUs of an ADTS stream (headers with or without CRC). */
  function splitAdts(adts: Buffer): Uint8Array[] {
    const frames: Uint8Array[] = [];
    for (let at = 0; at + 7 <= adts.length;) {
      const length = ((adts[at + 3]! & 3) << 11) | (adts[at + 4]! << 3) | (adts[at + 5]! >> 5);
      const headerLength = adts[at + 1]! & 1 ? 7 : 9;
      frames.push(adts.subarray(at + headerLength, at + length));
      at += length;
    }
    return frames;
  }

  it('packetized, depacketized and written as ADTS, decodes to as many frames as the source', () => {
    const source = execFileSync(
      'ffmpeg',
      ['-v', 'error', '-i', m4a, '-c', 'copy', '-f', 'adts', '-'],
      { maxBuffer: 1 << 24 },
    );
    const accessUnits = splitAdts(source);
    const profile = (source[2]! >> 6) + 1;
    const config = buildAudioSpecificConfig({
      objectType: profile,
      sampleRate: 48000,
      channels: 2,
    });
    const depacketizer = new AacDepacketizer(aacTrack(aacFmtp(config)));
    const packets = packetizeAac(accessUnits, 1400).map((p) =>
      mediaPacket(p.payload, { marker: p.marker, timestamp: p.accessUnitIndex * 1024 }),
    );
    expect(packets.length).toBeLessThan(accessUnits.length); // several AUs share a packet
    const asc = parseAudioSpecificConfig(config);
    const adts = Buffer.concat(
      depacketize(depacketizer, packets).flatMap((f) => [adtsHeader(asc, f.data.length), f.data]),
    );
    expect(adts.equals(source)).toBe(true);
    const probe = execFileSync(
      'ffprobe',
      [
        '-v',
        'error',
        '-f',
        'aac',
        '-count_frames',
        '-select_streams',
        'a:0',
        '-show_entries',
        'stream=nb_read_frames',
        '-of',
        'csv=p=0',
        '-',
      ],
      { input: adts },
    );
    expect(Number(probe.toString().trim())).toBe(accessUnits.length);
  });
});
