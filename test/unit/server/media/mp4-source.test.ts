import { describe, expect, it, vi } from 'vitest';
import { readMp4 } from '../../../../src/server/media/mp4-source.js';
import { fixture } from './fixtures.js';

const mtu = 1200;

describe('readMp4', () => {
  it('publishes H.264 with sprops, profile and in-band parameter sets before keyframes', () => {
    const source = readMp4(fixture('h264-720p.mp4'), mtu);
    expect(source.durationMs).toBe(4000);
    const [video] = source.tracks;
    expect(video?.media).toBe('video');
    expect(video?.format).toMatchObject({ payloadType: 96, encoding: 'H264', clockRate: 90000 });
    expect(video?.format.fmtp).toMatchObject({
      'packetization-mode': '1',
      'profile-level-id': '4d401f',
    });
    expect(video?.format.fmtp?.['sprop-parameter-sets']).toMatch(
      /^Z[A-Za-z0-9+/=]+,aO[A-Za-z0-9+/=]+$/,
    );
    expect(video?.samples).toHaveLength(100);
    expect(video?.samples[1]).toMatchObject({ timestamp: 3600, sendTimeMs: 40, keyframe: false });

    const first = video!.samples[0]!;
    expect(first.keyframe).toBe(true);
    expect(first.payloads.slice(0, 2).map((p) => p.payload[0]! & 0x1f)).toEqual([7, 8]);
    for (const s of video!.samples) {
      expect(s.payloads.at(-1)?.marker).toBe(true);
      for (const p of s.payloads) expect(p.payload.length).toBeLessThanOrEqual(mtu);
    }
    const fragmented = video!.samples[0]!.payloads.filter((p) => (p.payload[0]! & 0x1f) === 28);
    expect(fragmented.length).toBeGreaterThan(1);
    // A non-keyframe gets no parameter sets.
    expect(video!.samples[1]!.payloads[0]!.payload[0]! & 0x1f).not.toBe(7);
  });

  it('publishes H.265 with sprop-vps/sps/pps and VPS first in keyframes', () => {
    const [video] = readMp4(fixture('h265-360p.mp4'), mtu).tracks;
    expect(video?.format.encoding).toBe('H265');
    expect(Object.keys(video?.format.fmtp ?? {})).toEqual(['sprop-vps', 'sprop-sps', 'sprop-pps']);
    expect((video!.samples[0]!.payloads[0]!.payload[0]! >> 1) & 0x3f).toBe(32);
    expect(video?.samples).toHaveLength(75);
  });

  it('publishes AAC as mpeg4-generic at the sampling rate, one access unit per sample', () => {
    const [audio] = readMp4(fixture('aac-48k-stereo.m4a'), mtu).tracks;
    expect(audio?.format).toMatchObject({
      encoding: 'MPEG4-GENERIC',
      clockRate: 48000,
      channels: 2,
    });
    expect(audio?.format.fmtp).toMatchObject({
      mode: 'AAC-hbr',
      sizelength: '13',
      config: '119056e500',
    });
    expect(audio?.samples[2]).toMatchObject({ timestamp: 2048, keyframe: true });
    expect(audio?.samples[2]?.sendTimeMs).toBeCloseTo(42.667, 2);
  });

  it('gives each track of a file its own dynamic payload type', () => {
    const source = readMp4(fixture('h264-aac.mp4'), mtu);
    expect(source.tracks.map((t) => [t.media, t.format.payloadType, t.format.clockRate])).toEqual([
      ['video', 96, 90000],
      ['audio', 97, 44100],
    ]);
  });

  it('explains a file without a playable track', () => {
    const quiet = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    expect(() => readMp4(new Uint8Array(16), mtu)).toThrow(/mp4: /);
    quiet.mockRestore();
  });
});
