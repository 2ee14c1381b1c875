/**
 * Real encoder output through packetizer and depacketizer: the fixtures' Annex B
 * streams (made by test/fixtures/make-fixtures.sh) come back frame for frame,
 * and ffprobe decodes the result to the same number of frames.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { joinAnnexB, splitAnnexB } from '../../../src/codecs/annexb.js';
import type {
  DepacketizedVideoFrame,
  Depacketizer,
} from '../../../src/depacketizers/depacketizer.js';
import { H264Depacketizer } from '../../../src/depacketizers/h264.js';
import { H265Depacketizer } from '../../../src/depacketizers/h265.js';
import { packetizeH264 } from '../../../src/packetizers/h264.js';
import { packetizeH265 } from '../../../src/packetizers/h265.js';
import type { RtpPayload } from '../../../src/packetizers/packetizer.js';
import { feed, packetsOf, videoTrack } from './h26x-helpers.js';

const fixture = (name: string) =>
  new Uint8Array(readFileSync(new URL(`../../fixtures/${name}`, import.meta.url)));

interface Codec {
  file: string;
  format: string;
  frames: number;
  width: number;
  height: number;
  typeOf: (nal: Uint8Array) => number;
  isVcl: (type: number) => boolean;
  parameterSetTypes: number[];
  packetize: (nals: readonly Uint8Array[], mtu: number, o: { aggregate: boolean }) => RtpPayload[];
  depacketizer: (fmtp: Record<string, string>) => Depacketizer<DepacketizedVideoFrame>;
  sprop: (sets: Uint8Array[]) => Record<string, string>;
}

const base64 = (nals: Uint8Array[]) => nals.map((n) => Buffer.from(n).toString('base64')).join(',');

const CODECS: Codec[] = [
  {
    file: 'h264-720p.h264',
    format: 'h264',
    frames: 100,
    width: 1280,
    height: 720,
    typeOf: (nal) => nal[0]! & 0x1f,
    isVcl: (type) => type >= 1 && type <= 5,
    parameterSetTypes: [7, 8],
    packetize: packetizeH264,
    depacketizer: (fmtp) => new H264Depacketizer(videoTrack('h264', fmtp)),
    sprop: (sets) => ({ 'sprop-parameter-sets': base64(sets) }),
  },
  {
    file: 'h265-360p.h265',
    format: 'hevc',
    frames: 75,
    width: 640,
    height: 360,
    typeOf: (nal) => (nal[0]! >> 1) & 0x3f,
    isVcl: (type) => type < 32,
    parameterSetTypes: [32, 33, 34],
    packetize: packetizeH265,
    depacketizer: (fmtp) => new H265Depacketizer(videoTrack('h265', fmtp)),
    sprop: (sets) => ({
      'sprop-vps': base64(sets.slice(0, 1)),
      'sprop-sps': base64(sets.slice(1, 2)),
      'sprop-pps': base64(sets.slice(2, 3)),
    }),
  },
];

/** Access units of a stream with one slice per picture: each ends with its VCL NAL unit. */
function accessUnits(codec: Codec, stream: Uint8Array): Uint8Array[][] {
  const units: Uint8Array[][] = [[]];
  for (const nal of splitAnnexB(stream)) {
    units[units.length - 1]!.push(nal);
    if (codec.isVcl(codec.typeOf(nal))) units.push([]);
  }
  return units.filter((u) => u.length > 0);
}

/** Indexes of frames whose data differs from the expected Annex B (toEqual on 100 frames is slow). */
function mismatches(frames: DepacketizedVideoFrame[], expected: Uint8Array[]): number[] {
  expect(frames).toHaveLength(expected.length);
  return frames.flatMap((f, i) => (Buffer.from(f.data).equals(expected[i]!) ? [] : [i]));
}

function depacketizeAll(
  codec: Codec,
  units: Uint8Array[][],
  fmtp: Record<string, string>,
  mtu: number,
) {
  const d = codec.depacketizer(fmtp);
  let sequenceNumber = 0;
  const packets = units.flatMap((au, i) => {
    const out = packetsOf(codec.packetize(au, mtu, { aggregate: true }), i * 3600, sequenceNumber);
    sequenceNumber += out.length;
    return out;
  });
  return { frames: feed(d, packets), stats: d.stats };
}

describe.each(CODECS)('$file through packetizer and depacketizer', (codec) => {
  const units = accessUnits(codec, fixture(codec.file));

  it('has one picture per access unit, as the grouping assumes', () => {
    expect(units).toHaveLength(codec.frames);
  });

  it('comes back frame for frame with keyframes and size', () => {
    const { frames, stats } = depacketizeAll(codec, units, {}, 1400);
    expect(
      mismatches(
        frames,
        units.map((au) => joinAnnexB(au)),
      ),
    ).toEqual([]);
    const keyframes = units.map((au) =>
      au.some((nal) => codec.parameterSetTypes.includes(codec.typeOf(nal))),
    );
    expect(frames.map((f) => f.keyframe)).toEqual(keyframes);
    expect(frames.every((f) => f.width === codec.width && f.height === codec.height)).toBe(true);
    expect(stats).toMatchObject({ framesDroppedLoss: 0, framesDroppedCap: 0, packetsInvalid: 0 });
  });

  // Needs ffprobe (installed by .ci/run with ffmpeg), as the integration tests do.
  it('decodes with ffprobe when parameter sets come only from sprop', () => {
    const isParameterSet = (nal: Uint8Array) => codec.parameterSetTypes.includes(codec.typeOf(nal));
    const parameterSets = units[0]!.filter(isParameterSet);
    const stripped = units.map((au) => au.filter((nal) => !isParameterSet(nal)));
    const { frames } = depacketizeAll(codec, stripped, codec.sprop(parameterSets), 500);
    // The streams have no AUD: the parameter sets go first.
    const expected = stripped.map((au, i) =>
      joinAnnexB(frames[i]?.keyframe === true ? [...parameterSets, ...au] : au),
    );
    expect(mismatches(frames, expected)).toEqual([]);
    const dir = mkdtempSync(join(tmpdir(), 'rtspkit-h26x-'));
    try {
      const file = join(dir, `out.${codec.format}`);
      writeFileSync(file, Buffer.concat(frames.map((f) => f.data)));
      const probe = spawnSync(
        'ffprobe',
        [
          '-v',
          'error',
          '-f',
          codec.format,
          '-count_frames',
          '-select_streams',
          'v:0',
          '-show_entries',
          'stream=nb_read_frames,width,height',
          '-of',
          'csv=p=0',
          file,
        ],
        { encoding: 'utf8' },
      );
      expect(probe.stderr).toBe('');
      expect(probe.stdout.trim()).toBe(`${codec.width},${codec.height},${codec.frames}`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
