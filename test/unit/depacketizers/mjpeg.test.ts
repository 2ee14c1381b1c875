import { execFileSync } from 'node:child_process';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { recodeWithStandardTables } from '../../../src/codecs/jpeg-huffman.js';
import { quantizationTablesForQuality } from '../../../src/codecs/jpeg-tables.js';
import { parseJpeg } from '../../../src/codecs/jpeg.js';
import { MjpegDepacketizer } from '../../../src/depacketizers/mjpeg.js';
import type { DepacketizerOptions } from '../../../src/depacketizers/depacketizer.js';
import { packetizeJpeg } from '../../../src/packetizers/mjpeg.js';
import {
  decodeMjpegToYuv,
  encodeWithFfmpeg,
  fixtureJpegs,
  withRestartInterval,
} from '../codecs/jpeg-fixtures.js';
import {
  depacketize,
  mediaPacket,
  mediaPackets,
  randomPayloads,
  track,
  withByteEdits,
  withLosses,
} from './media-packets.js';

const jpegTrack = track({ codec: 'jpeg', clockRate: 90000, media: 'video', payloadType: 26 });
const depacketizer = (options?: DepacketizerOptions): MjpegDepacketizer =>
  new MjpegDepacketizer(jpegTrack, options);

/** An RTP/JPEG payload: main header (§3.1), optional restart (§3.1.7) and table (§3.1.8) headers, data. */
function rtpJpeg(
  fields: { offset?: number; type?: number; q?: number; restart?: number[]; tables?: number[] },
  data: number[],
): Uint8Array {
  const { offset = 0, type = 1, q = 50, restart = [], tables } = fields;
  const tableHeader =
    tables === undefined ? [] : [0, 0, tables.length >> 8, tables.length & 0xff, ...tables];
  return Uint8Array.from([
    0,
    offset >> 16,
    (offset >> 8) & 0xff,
    offset & 0xff,
    type,
    q,
    2,
    2,
    ...restart,
    ...tableHeader,
    ...data,
  ]);
}

describe('MjpegDepacketizer: RFC 2435 vectors', () => {
  it('rebuilds a JPEG around the scan data, tables computed from Q < 128 (Appendix A)', () => {
    const d = depacketizer();
    const frames = depacketize(d, [
      mediaPacket(rtpJpeg({}, [1, 2, 3]), { marker: false, timestamp: 3000 }),
      mediaPacket(rtpJpeg({ offset: 3 }, [4, 5]), { timestamp: 3000 }),
    ]);
    expect(frames).toEqual([
      expect.objectContaining({
        codec: 'jpeg',
        keyframe: true,
        width: 16,
        height: 16,
        timestamp: 3000,
        discontinuity: false,
      }),
    ]);
    const image = parseJpeg(frames[0]!.data);
    expect(image).toMatchObject({ width: 16, height: 16, type: 1, restartInterval: 0 });
    expect([...image.quantizationTables]).toEqual([...quantizationTablesForQuality(50)]);
    expect([...image.scanData]).toEqual([1, 2, 3, 4, 5]);
    expect([...frames[0]!.data.subarray(-2)]).toEqual([0xff, 0xd9]);
  });

  it('uses in-band tables (Q ≥ 128) and remembers those of Q 128–254 for frames sent without them', () => {
    const tables = Array.from({ length: 128 }, (_, i) => i + 1);
    const frames = depacketize(depacketizer(), [
      mediaPacket(rtpJpeg({ q: 200, tables }, [9])),
      mediaPacket(rtpJpeg({ q: 200, tables: [] }, [8])),
    ]);
    expect(frames.map((f) => [...parseJpeg(f.data).quantizationTables])).toEqual([tables, tables]);
  });

  it('refuses Q 255 without tables, and reserved Q and types', () => {
    const d = depacketizer();
    depacketize(d, [
      mediaPacket(rtpJpeg({ q: 255, tables: [] }, [1])),
      mediaPacket(rtpJpeg({ q: 100 }, [1])),
      mediaPacket(rtpJpeg({ type: 2 }, [1])),
      mediaPacket(Uint8Array.of(0, 0, 0)),
    ]);
    expect(d.stats).toEqual({
      frames: 0,
      framesDroppedLoss: 0,
      framesDroppedCap: 0,
      packetsInvalid: 4,
    });
  });

  it('types 64–127 carry a restart marker header, and the JPEG gets a DRI', () => {
    const frames = depacketize(depacketizer(), [
      mediaPacket(rtpJpeg({ type: 65, restart: [0, 7, 0xff, 0xff] }, [1, 2])),
    ]);
    const image = parseJpeg(frames[0]!.data);
    expect(image.restartInterval).toBe(7);
    expect([...image.scanData]).toEqual([1, 2]);
  });

  it('does not add a second EOI when the sender kept it', () => {
    const frames = depacketize(depacketizer(), [mediaPacket(rtpJpeg({}, [1, 0xff, 0xd9]))]);
    expect([...frames[0]!.data.subarray(-4)]).toEqual([0, 1, 0xff, 0xd9]);
  });

  it('rejects a maxFrameBytes that is not a positive integer, as the H.264/H.265 ones do', () => {
    expect(() => depacketizer({ maxFrameBytes: 0 })).toThrow(
      /maxFrameBytes must be a positive integer/,
    );
    expect(() => depacketizer({ maxFrameBytes: Number.NaN })).toThrow(/maxFrameBytes/);
  });

  it('drops a frame with a gap in its fragment offsets, and flags the next one', () => {
    const d = depacketizer();
    const frames = depacketize(d, [
      mediaPacket(rtpJpeg({}, [1, 2]), { marker: false, timestamp: 0 }),
      mediaPacket(rtpJpeg({ offset: 5 }, [6]), { timestamp: 0 }),
      mediaPacket(rtpJpeg({}, [7]), { timestamp: 3000 }),
    ]);
    expect(frames.map((f) => [f.timestamp, f.discontinuity])).toEqual([[3000, true]]);
    expect(d.stats).toEqual({
      frames: 1,
      framesDroppedLoss: 1,
      framesDroppedCap: 0,
      packetsInvalid: 0,
    });
  });

  it('drops the partial frame on reported loss; ignores the rest of a frame whose start it never saw', () => {
    const d = depacketizer();
    const frames = depacketize(d, [
      mediaPacket(rtpJpeg({ offset: 10 }, [1]), { marker: false, timestamp: 0 }),
      mediaPacket(rtpJpeg({}, [1, 2]), { marker: false, timestamp: 3000 }),
      mediaPacket(rtpJpeg({ offset: 2 }, [3]), { lost: 1, timestamp: 3000 }),
      mediaPacket(rtpJpeg({}, [4]), { timestamp: 6000 }),
    ]);
    expect(frames.map((f) => [f.timestamp, f.discontinuity])).toEqual([[6000, true]]);
    expect(d.stats.framesDroppedLoss).toBe(1);
    expect(d.stats.packetsInvalid).toBe(0);
  });

  it('drops frames over maxFrameBytes and counts them', () => {
    const d = depacketizer({ maxFrameBytes: 1000 });
    const frames = depacketize(d, [
      mediaPacket(rtpJpeg({}, new Array(400).fill(1)), { marker: false }),
      mediaPacket(rtpJpeg({ offset: 400 }, new Array(400).fill(1))),
      mediaPacket(rtpJpeg({}, [1])),
    ]);
    expect(frames).toHaveLength(1);
    expect(d.stats.framesDroppedCap).toBe(1);
  });
});

describe('MjpegDepacketizer properties', () => {
  const jpegs = fixtureJpegs();

  it('JPEGs packetized with any MTU come back with the same scan, tables and size', () => {
    fc.assert(
      fc.property(fc.nat(jpegs.length - 1), fc.integer({ min: 150, max: 9000 }), (index, mtu) => {
        const image = parseJpeg(jpegs[index]!);
        const [frame, ...rest] = depacketize(
          depacketizer(),
          mediaPackets(packetizeJpeg(jpegs[index]!, mtu), 90),
        );
        expect(rest).toEqual([]);
        const rebuilt = parseJpeg(frame!.data);
        expect(
          Buffer.from(rebuilt.scanData).equals(Buffer.from(recodeWithStandardTables(image))),
        ).toBe(true);
        expect(rebuilt).toMatchObject({
          width: 320,
          height: 240,
          type: image.type,
          quantizationTables: image.quantizationTables,
        });
      }),
      { numRuns: 25 },
    );
  });

  it('random and mutated packets never throw, stay under the cap, and only yield whole JPEGs', () => {
    const valid = fc.integer({ min: 150, max: 2000 }).map((mtu) => packetizeJpeg(jpegs[3]!, mtu));
    const mutated = withByteEdits(valid, 16); // the headers
    const random = randomPayloads(40, 10);
    fc.assert(
      fc.property(
        fc.oneof(mutated, random),
        fc.array(fc.nat(2), { maxLength: 10 }),
        (payloads, losses) => {
          const d = depacketizer({ maxFrameBytes: 12_000 });
          const frames = depacketize(d, withLosses(payloads, losses));
          for (const frame of frames) {
            expect(frame.data.length).toBeLessThanOrEqual(12_000);
            expect([...frame.data.subarray(0, 2), ...frame.data.subarray(-2)]).toEqual([
              0xff, 0xd8, 0xff, 0xd9,
            ]);
          }
          expect(d.stats.frames).toBe(frames.length);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('MjpegDepacketizer with real JPEGs (ffmpeg)', () => {
  it('every fixture frame comes out as a 320x240 JPEG that decodes to the same pixels', () => {
    const jpegs = fixtureJpegs();
    const d = depacketizer();
    const frames = jpegs.flatMap((jpeg, i) =>
      depacketize(d, mediaPackets(packetizeJpeg(jpeg, 1400), i * 9000)),
    );
    expect(frames.map((f) => [f.width, f.height])).toEqual(jpegs.map(() => [320, 240]));
    const rebuilt = Buffer.concat(frames.map((f) => f.data));
    const probe = execFileSync(
      'ffprobe',
      [
        '-v',
        'error',
        '-f',
        'mjpeg',
        '-count_frames',
        '-show_entries',
        'stream=width,height,nb_read_frames',
        '-of',
        'csv=p=0',
        '-',
      ],
      { input: rebuilt },
    );
    expect(probe.toString().trim()).toBe(`320,240,${jpegs.length}`);
    expect(decodeMjpegToYuv(rebuilt).equals(decodeMjpegToYuv(Buffer.concat(jpegs)))).toBe(true);
  });

  it('a JPEG with standard tables and DRI goes through as type 65 unchanged', () => {
    const standard = withRestartInterval(
      encodeWithFfmpeg(['-c:v', 'mjpeg', '-huffman', 'default', '-pix_fmt', 'yuvj420p']),
      3,
    );
    const [frame] = depacketize(depacketizer(), mediaPackets(packetizeJpeg(standard, 300), 0));
    expect(parseJpeg(frame!.data)).toMatchObject({
      restartInterval: 3,
      scanData: parseJpeg(standard).scanData,
    });
  });
});
