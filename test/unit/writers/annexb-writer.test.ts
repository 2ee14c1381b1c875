import { readFileSync } from 'node:fs';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { AnnexBWriter } from '../../../src/writers/annexb-writer.js';
import { decodeErrors, probe, videoFrames } from './fixture-frames.js';
import { tempDir } from './temp-dir.js';

const file = tempDir('annexb');

describe('AnnexBWriter', () => {
  it.each([
    ['h264', 'h264-720p.mp4', 'h264'],
    ['h265', 'h265-360p.mp4', 'hevc'],
  ] as const)('writes %s that ffmpeg decodes without errors', async (codec, fixture, ffCodec) => {
    const frames = videoFrames(fixture, codec);
    const out = file(`out.${codec}`);
    const writer = new AnnexBWriter(out, { codec });
    for (const frame of frames) await writer.write(frame);
    await writer.close();
    expect(writer.framesWritten).toBe(frames.length);
    const [stream] = probe(out);
    expect(stream?.codec_name).toBe(ffCodec);
    expect(Number(stream?.nb_read_frames)).toBe(frames.length);
    expect(decodeErrors(out)).toBe('');
  });

  it('starts the file at the first keyframe so it decodes from byte 0', async () => {
    const frames = videoFrames('h264-720p.mp4', 'h264');
    const secondKey = frames.findIndex((f, i) => i > 0 && f.keyframe);
    expect(secondKey).toBeGreaterThan(1);
    const out = file('mid-gop.h264');
    const writer = new AnnexBWriter(out);
    for (const frame of frames.slice(1)) await writer.write(frame);
    await writer.close();
    expect(writer.framesSkipped).toBe(secondKey - 1);
    expect(writer.framesWritten).toBe(frames.length - secondKey);
    expect(decodeErrors(out)).toBe('');
    expect(readFileSync(out).subarray(0, 4)).toEqual(Buffer.of(0, 0, 0, 1));
  });

  it('rejects a frame of another codec and writes after close', async () => {
    const [h264] = videoFrames('h264-720p.mp4', 'h264');
    const writer = new AnnexBWriter(file('mixed.h265'), { codec: 'h265' });
    await expect(writer.write(h264!)).rejects.toMatchObject({ code: 'ERR_RTSP_INVALID_ARGUMENT' });
    await writer.close();
    await writer.close();
    await expect(writer.write(h264!)).rejects.toMatchObject({ code: 'ERR_RTSP_STATE' });
  });

  it('waits for a slow stream to drain instead of buffering (bounded memory)', async () => {
    const frames = videoFrames('h264-720p.mp4', 'h264').slice(0, 30);
    let maxBuffered = 0;
    const received: Buffer[] = [];
    const slow = new Writable({
      highWaterMark: 16 * 1024,
      write(chunk: Buffer, _enc, done) {
        received.push(chunk);
        setTimeout(done, 1);
      },
    });
    const writer = new AnnexBWriter(slow);
    for (const frame of frames) {
      await writer.write(frame);
      maxBuffered = Math.max(maxBuffered, slow.writableLength);
    }
    await writer.close();
    const largest = Math.max(...frames.map((f) => f.data.length));
    expect(maxBuffered).toBeLessThanOrEqual(16 * 1024 + largest);
    expect(slow.writableEnded).toBe(false); // the caller's stream stays open
  });
});
