import { readFileSync, writeFileSync } from 'node:fs';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { WavWriter } from '../../../src/writers/wav-writer.js';
import { decodeErrors, g711Frames, probe } from './fixture-frames.js';
import { tempDir } from './temp-dir.js';

const file = tempDir('wav');

describe('WavWriter', () => {
  it.each([
    ['pcma', 'pcma-8k.wav', 'pcm_alaw', 6],
    ['pcmu', 'pcmu-8k.wav', 'pcm_mulaw', 7],
  ] as const)(
    'writes %s as WAV format %s with sizes patched at close',
    async (codec, fixture, ffCodec, tag) => {
      const frames = g711Frames(fixture, codec);
      const out = file(`${codec}.wav`);
      const writer = new WavWriter(out, { codec });
      for (const frame of frames) await writer.write(frame);
      await writer.close();
      const bytes = readFileSync(out);
      const dataBytes = frames.reduce((n, f) => n + f.data.length, 0);
      expect(bytes.readUInt16LE(20)).toBe(tag);
      expect(bytes.readUInt32LE(54)).toBe(dataBytes);
      expect(bytes.readUInt32LE(4)).toBe(bytes.length - 8);
      expect(probe(out)[0]).toMatchObject({
        codec_name: ffCodec,
        sample_rate: '8000',
        channels: 1,
      });
      expect(decodeErrors(out)).toBe('');
    },
  );

  it('keeps the header valid while writing, as a killed process would leave it', async () => {
    const frames = g711Frames('pcma-8k.wav', 'pcma');
    const out = file('killed.wav');
    const writer = new WavWriter(out, { codec: 'pcma', headerUpdateMs: 200 });
    for (const frame of frames.slice(0, 60)) await writer.write(frame);
    // Copy the file mid-run (no close): the header covers all but < 200 ms.
    const snapshot = readFileSync(out);
    const copy = file('snapshot.wav');
    writeFileSync(copy, snapshot);
    const declared = snapshot.readUInt32LE(54);
    expect(declared).toBeGreaterThan(snapshot.length - 58 - 1600);
    expect(declared).toBeLessThanOrEqual(snapshot.length - 58);
    expect(decodeErrors(copy)).toBe('');
    await writer.close();
  });

  it('marks sizes unknown on a stream, which ffmpeg reads to the end', async () => {
    const frames = g711Frames('pcmu-8k.wav', 'pcmu');
    const stream = new PassThrough();
    const chunks: Buffer[] = [];
    stream.on('data', (c: Buffer) => chunks.push(c));
    const writer = new WavWriter(stream, { codec: 'pcmu', end: true });
    for (const frame of frames) await writer.write(frame);
    await writer.close();
    const bytes = Buffer.concat(chunks);
    expect(bytes.readUInt32LE(54)).toBe(0xffffffff);
    const out = file('streamed.wav');
    writeFileSync(out, bytes);
    expect(probe(out)[0]?.codec_name).toBe('pcm_mulaw');
  });

  it('leaves a valid empty WAV when no audio came', async () => {
    const out = file('empty.wav');
    await new WavWriter(out, { codec: 'pcma' }).close();
    expect(readFileSync(out).length).toBe(58);
    expect(probe(out)[0]?.codec_name).toBe('pcm_alaw');
  });
});
