import { describe, expect, it } from 'vitest';
import { MjpegWriter } from '../../../src/writers/mjpeg-writer.js';
import { decodeErrors, jpegFrames, probe, videoFrames } from './fixture-frames.js';
import { tempDir } from './temp-dir.js';

const file = tempDir('mjpeg');

describe('MjpegWriter', () => {
  it('concatenates JPEG frames into a stream ffmpeg decodes frame by frame', async () => {
    const frames = jpegFrames('mjpeg-320x240.mkv');
    expect(frames.length).toBeGreaterThan(10);
    const out = file('out.mjpeg');
    const writer = new MjpegWriter(out);
    for (const frame of frames) await writer.write(frame);
    await writer.close();
    const [stream] = probe(out);
    expect(stream).toMatchObject({ codec_name: 'mjpeg', width: 320, height: 240 });
    expect(Number(stream?.nb_read_frames)).toBe(frames.length);
    expect(decodeErrors(out)).toBe('');
  });

  it('refuses H.264 frames', async () => {
    const writer = new MjpegWriter(file('bad.mjpeg'));
    await expect(writer.write(videoFrames('h264-720p.mp4', 'h264')[0]!)).rejects.toThrow(
      /MjpegWriter writes jpeg, not h264/,
    );
    await writer.close();
  });
});
