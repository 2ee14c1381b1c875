import { describe, expect, it } from 'vitest';
import { createDepacketizer } from '../../../src/depacketizers/registry.js';
import type { Track } from '../../../src/sdp/track.js';
import { videoTrack } from './h26x-helpers.js';

const audioTrack = (
  codec: string,
  payloadType: number,
  fmtp: Record<string, string> = {},
): Track => ({
  ...videoTrack('h264'),
  media: 'audio',
  codec,
  payloadType,
  clockRate: 8000,
  channels: 1,
  fmtp,
});

describe('createDepacketizer', () => {
  it.each([
    ['h264', 'video'],
    ['h265', 'video'],
    ['jpeg', 'video'],
  ] as const)('gives a %s depacketizer for a %s track', (codec, media) => {
    const result = createDepacketizer({ ...videoTrack('h264'), codec, media });
    expect(result.ok && [result.depacketizer.codec, result.depacketizer.media]).toEqual([
      codec,
      media,
    ]);
  });

  it.each([
    ['pcma', 8],
    ['pcmu', 0],
  ])('gives a G.711 depacketizer for %s', (codec, payloadType) => {
    const result = createDepacketizer(audioTrack(codec, payloadType));
    expect(result.ok && result.depacketizer.codec).toBe(codec);
  });

  it('gives an AAC depacketizer for mpeg4-generic audio with a config', () => {
    const fmtp = {
      mode: 'AAC-hbr',
      config: '1210',
      sizelength: '13',
      indexlength: '3',
      indexdeltalength: '3',
    };
    const result = createDepacketizer({
      ...audioTrack('mpeg4-generic', 97, fmtp),
      clockRate: 44100,
    });
    expect(result.ok && result.depacketizer.codec).toBe('aac');
  });

  it('gives a LATM depacketizer for mp4a-latm with an out-of-band StreamMuxConfig', () => {
    const fmtp = { cpresent: '0', config: '400024203fc0', object: '2' };
    const result = createDepacketizer({ ...audioTrack('mp4a-latm', 96, fmtp), clockRate: 48000 });
    expect(result.ok && result.depacketizer.codec).toBe('aac');
  });

  it('reports what the AAC depacketizer cannot handle instead of throwing', () => {
    const result = createDepacketizer(audioTrack('mpeg4-generic', 97, {}));
    expect(result.ok).toBe(false);
  });

  it('names an unsupported codec and its payload type', () => {
    expect(createDepacketizer({ ...videoTrack('h264'), codec: 'mpv', payloadType: 32 })).toEqual({
      ok: false,
      reason: 'unsupported codec mpv (payload type 32)',
    });
    expect(createDepacketizer({ ...videoTrack('h264'), codec: 'pcma' })).toMatchObject({
      ok: false,
    });
    expect(createDepacketizer({ ...videoTrack('h264'), codec: 'constructor' })).toMatchObject({
      ok: false,
    });
  });

  it('reports H.264 interleaved mode as unsupported at SETUP time', () => {
    const result = createDepacketizer(videoTrack('h264', { 'packetization-mode': '2' }));
    expect(result).toEqual({ ok: false, reason: expect.stringMatching(/packetization-mode=2/) });
  });

  it('passes options through and still throws on bad options', () => {
    expect(() => createDepacketizer(videoTrack('h265'), { maxFrameBytes: -1 })).toThrow(
      /maxFrameBytes/,
    );
  });
});
