import { describe, expect, it } from 'vitest';
import { parseWav } from '../../../../src/server/media/wav-file.js';
import { readWav } from '../../../../src/server/media/wav-source.js';
import { fixture } from './fixtures.js';

describe('readWav', () => {
  it('sends A-law and µ-law files as they are, in 20 ms packets', () => {
    const bytes = fixture('pcma-8k.wav');
    const source = readWav(bytes);
    const [track] = source.tracks;
    expect(track?.format).toEqual({ payloadType: 8, encoding: 'PCMA', clockRate: 8000 });
    expect(track?.samples).toHaveLength(150);
    expect(track?.samples[1]).toMatchObject({ timestamp: 160, sendTimeMs: 20, keyframe: true });
    const sent = Buffer.concat(track!.samples.flatMap((s) => s.payloads.map((p) => p.payload)));
    expect(sent.equals(parseWav(bytes).data)).toBe(true);
    expect(source.durationMs).toBe(3000);
    expect(readWav(fixture('pcmu-8k.wav')).tracks[0]?.format.payloadType).toBe(0);
  });

  it('encodes 8 kHz PCM to the same A-law bytes ffmpeg made', () => {
    const ours = readWav(fixture('pcm-8k-mono.wav')).tracks[0]!;
    const ffmpeg = parseWav(fixture('pcma-8k.wav')).data;
    const sent = Buffer.concat(ours.samples.flatMap((s) => s.payloads.map((p) => p.payload)));
    expect(sent.equals(ffmpeg)).toBe(true);
  });

  it('downmixes and resamples 16 kHz stereo to 8 kHz mono PCMA', () => {
    const source = readWav(fixture('pcm-16k-stereo.wav'));
    const track = source.tracks[0]!;
    expect(track.format.encoding).toBe('PCMA');
    expect(track.samples).toHaveLength(150);
    expect(source.durationMs).toBe(3000);
  });
});
