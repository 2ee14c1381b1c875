import { copyFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { AudioFrame, VideoFrame } from '../../../src/events/types.js';
import { audioSpecificConfigFromFmtp } from '../../../src/writers/adts-writer.js';
import { Mp4Writer } from '../../../src/writers/mp4/mp4-writer.js';
import { bitString, streamMuxConfig } from '../depacketizers/stream-mux-config.js';
import {
  aacFrames,
  decodeErrors,
  g711Frames,
  packetTimes,
  probe,
  videoFrames,
} from './fixture-frames.js';
import { tempDir } from './temp-dir.js';

const file = tempDir('mp4');

/** Frames of both tracks in arrival order, as a session yields them. */
function interleave(video: VideoFrame[], audio: AudioFrame[]): (VideoFrame | AudioFrame)[] {
  return [...video, ...audio].sort((a, b) => a.receivedAt - b.receivedAt);
}

async function writeAll(writer: Mp4Writer, frames: (VideoFrame | AudioFrame)[]): Promise<void> {
  for (const frame of frames) await writer.write(frame);
  await writer.close();
}

describe('Mp4Writer', () => {
  it('muxes H.264 and AAC into a fragmented MP4 that ffmpeg decodes in sync', async () => {
    const video = videoFrames('h264-aac.mp4', 'h264');
    const { config, frames: audio } = aacFrames('h264-aac.mp4');
    const out = file('av.mp4');
    const writer = new Mp4Writer(out, {
      video: { codec: 'h264' },
      audio: { codec: 'aac', config },
    });
    await writeAll(writer, interleave(video, audio));
    const streams = probe(out);
    expect(streams.map((s) => s.codec_name)).toEqual(['h264', 'aac']);
    expect(Number(streams[0]?.nb_read_frames)).toBe(video.length);
    expect(streams[0]).toMatchObject({ width: 640, height: 360 });
    expect(Number(streams[1]?.nb_read_frames)).toBeGreaterThanOrEqual(audio.length - 1);
    expect(decodeErrors(out)).toBe('');
    // Both tracks start where they were received: within one video frame (40 ms).
    const [firstVideo] = packetTimes(out, 'v');
    const [firstAudio] = packetTimes(out, 'a');
    expect(Math.abs(firstVideo! - firstAudio!)).toBeLessThan(0.04);
    // 25 fps from RTP timestamps: the last frame is at 99 × 40 ms.
    expect(packetTimes(out, 'v').at(-1)).toBeCloseTo(3.96, 2);
  });

  it.each([0, 1] as const)(
    'records MP4A-LATM audio (audioMuxVersion %i) with the AudioSpecificConfig of its StreamMuxConfig',
    async (audioMuxVersion) => {
      const { config, frames } = aacFrames('aac-48k-stereo.m4a');
      // AAC-LC: object type, frequency index, channels, then GASpecificConfig's 3 flags.
      const fmtp = {
        cpresent: '0',
        config: streamMuxConfig({ ascBits: bitString(config, 16), audioMuxVersion }),
      };
      const latmConfig = audioSpecificConfigFromFmtp(fmtp, 'mp4a-latm');
      expect(latmConfig).toEqual(config);
      const out = file(`latm-v${audioMuxVersion}.mp4`);
      await writeAll(
        new Mp4Writer(out, { audio: { codec: 'aac', config: latmConfig, clockRate: 48000 } }),
        frames,
      );
      const [stream] = probe(out);
      expect(stream).toMatchObject({ codec_name: 'aac', sample_rate: '48000', channels: 2 });
      expect(Number(stream?.nb_read_frames)).toBeGreaterThanOrEqual(frames.length - 1);
      expect(decodeErrors(out)).toBe('');
    },
  );

  it('writes H.265 as hvc1 with an hvcC built from in-band parameter sets', async () => {
    const video = videoFrames('h265-360p.mp4', 'h265');
    const out = file('hevc.mp4');
    await writeAll(new Mp4Writer(out, { video: { codec: 'h265' } }), video);
    const [stream] = probe(out);
    expect(stream).toMatchObject({ codec_name: 'hevc', width: 640, height: 360 });
    expect(Number(stream?.nb_read_frames)).toBe(video.length);
    expect(decodeErrors(out)).toBe('');
  });

  it.each([
    ['pcma', 'pcma-8k.wav', 'pcm_alaw'],
    ['pcmu', 'pcmu-8k.wav', 'pcm_mulaw'],
  ] as const)(
    'stores G.711 %s in an ISO BMFF %s sample entry that ffmpeg plays',
    async (codec, fixture, ffCodec) => {
      const video = videoFrames('h264-720p.mp4', 'h264');
      const audio = g711Frames(fixture, codec);
      const out = file(`${codec}.mp4`);
      await writeAll(
        new Mp4Writer(out, { video: { codec: 'h264' }, audio: { codec, sampleRate: 8000 } }),
        interleave(video, audio),
      );
      const streams = probe(out);
      expect(streams.map((s) => s.codec_name)).toEqual(['h264', ffCodec]);
      expect(streams[1]).toMatchObject({ sample_rate: '8000', channels: 1 });
      expect(decodeErrors(out)).toBe('');
    },
  );

  it('starts at a keyframe: earlier video and audio are skipped, not written', async () => {
    const video = videoFrames('h264-aac.mp4', 'h264');
    const { config, frames: audio } = aacFrames('h264-aac.mp4');
    const firstKeyAfterStart = video.findIndex((f, i) => i > 0 && f.keyframe);
    const frames = interleave(video.slice(1), audio);
    const writer = new Mp4Writer(file('late.mp4'), {
      video: { codec: 'h264' },
      audio: { codec: 'aac', config },
    });
    await writeAll(writer, frames);
    const skippedAudio = audio.filter(
      (a) => a.receivedAt < video[firstKeyAfterStart]!.receivedAt,
    ).length;
    expect(writer.framesSkipped).toBe(firstKeyAfterStart - 1 + skippedAudio);
    expect(decodeErrors(file('late.mp4'))).toBe('');
  });

  it('places audio by RTCP capture time when both tracks have it', async () => {
    const video = videoFrames('h264-aac.mp4', 'h264').map((f) => ({
      ...f,
      ntpTime: f.receivedAt - 100,
    }));
    const { config, frames } = aacFrames('h264-aac.mp4');
    // Audio arrives 300 ms after capture (a slower path), video 100 ms: arrival order lies, capture time does not.
    const audio = frames.map((f) => ({
      ...f,
      ntpTime: f.receivedAt,
      receivedAt: f.receivedAt + 300,
    }));
    const out = file('ntp.mp4');
    await writeAll(
      new Mp4Writer(out, { video: { codec: 'h264' }, audio: { codec: 'aac', config } }),
      interleave(video, audio),
    );
    const firstAudio = packetTimes(out, 'a')[0]!;
    // The first audio written was captured at or after the video start (t=0), not 300 ms late.
    expect(firstAudio).toBeGreaterThanOrEqual(0);
    expect(firstAudio).toBeLessThan(0.15);
  });

  it('leaves a playable file when the process dies mid-recording (no close)', async () => {
    const video = videoFrames('h264-aac.mp4', 'h264');
    const { config, frames: audio } = aacFrames('h264-aac.mp4');
    const out = file('killed.mp4');
    const writer = new Mp4Writer(out, {
      video: { codec: 'h264' },
      audio: { codec: 'aac', config },
      fragmentDurationMs: 500,
    });
    const frames = interleave(video, audio);
    for (const frame of frames.slice(0, Math.floor(frames.length * 0.6))) await writer.write(frame);
    const snapshot = file('snapshot.mp4');
    copyFileSync(out, snapshot);
    const streams = probe(snapshot);
    expect(streams.map((s) => s.codec_name)).toEqual(['h264', 'aac']);
    // 60% of 4 s written; at most one 500 ms fragment per track pending.
    expect(Number(streams[0]?.nb_read_frames)).toBeGreaterThan(40);
    expect(decodeErrors(snapshot)).toBe('');
    await writer.close();
  });

  it('needs at least one track', () => {
    expect(() => new Mp4Writer(file('none.mp4'), {})).toThrow(/needs a video or an audio track/);
  });
});
