import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { RtspError } from '../../../../src/errors.js';
import { demuxMp4 } from '../../../../src/server/media/mp4-demux.js';
import { fixture } from './fixtures.js';

describe('demuxMp4', () => {
  it('reads H.264 configuration and every sample', () => {
    const { tracks, skipped } = demuxMp4(fixture('h264-720p.mp4'));
    expect(skipped).toEqual([]);
    const [video] = tracks;
    expect(video?.codec).toMatchObject({ kind: 'h264', lengthSize: 4 });
    if (video?.codec.kind !== 'h264') throw new Error('not h264');
    expect([
      video.codec.sps.length,
      video.codec.pps.length,
      video.codec.sps[0]![0]! & 0x1f,
    ]).toEqual([1, 1, 7]);
    expect(video.samples).toHaveLength(100);
    expect(video.timescale).toBe(12800);
    expect(video.samples[1]).toMatchObject({ dts: 512, duration: 512, sync: false });
    expect(video.samples[25]?.sync).toBe(true);
  });

  it('reads H.265 parameter sets by NAL type', () => {
    const codec = demuxMp4(fixture('h265-360p.mp4')).tracks[0]?.codec;
    expect(codec?.kind).toBe('h265');
    if (codec?.kind !== 'h265') return;
    expect(
      [codec.vps, codec.sps, codec.pps].map((l) => l.map((nal) => (nal[0]! >> 1) & 0x3f)),
    ).toEqual([[32], [33], [34]]);
  });

  it('reads the AAC AudioSpecificConfig of each audio track', () => {
    const [audio] = demuxMp4(fixture('aac-48k-stereo.m4a')).tracks;
    expect(audio?.codec).toEqual({
      kind: 'aac',
      audioSpecificConfig: Uint8Array.from(Buffer.from('119056e500', 'hex')),
    });
    expect(audio?.samples).toHaveLength(189);
    const both = demuxMp4(fixture('h264-aac.mp4')).tracks.map((t) => t.codec.kind);
    expect(both).toEqual(['h264', 'aac']);
  });

  it('random and mutated files only ever produce RtspError', () => {
    // mp4box reports invalid boxes on console.error; its lowest log level still does.
    const quiet = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const valid = fixture('aac-48k-stereo.m4a').subarray(0, 4000);
    const mutated = fc
      .array(fc.tuple(fc.nat(valid.length - 1), fc.integer({ min: 0, max: 255 })), {
        minLength: 1,
        maxLength: 6,
      })
      .map((edits) => {
        const copy = valid.slice();
        for (const [at, value] of edits) copy[at] = value;
        return copy;
      });
    fc.assert(
      fc.property(fc.oneof(fc.uint8Array({ maxLength: 200 }), mutated), (bytes) => {
        try {
          demuxMp4(bytes);
        } catch (err) {
          expect(err).toBeInstanceOf(RtspError);
        }
      }),
      { numRuns: 60 },
    );
    quiet.mockRestore();
  });
});
