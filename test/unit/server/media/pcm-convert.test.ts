import { describe, expect, it } from 'vitest';
import { downmixPcm16, resample } from '../../../../src/server/media/pcm-convert.js';

const le16 = (...values: number[]): Uint8Array => new Uint8Array(Int16Array.from(values).buffer);

describe('downmixPcm16', () => {
  it('averages the channels of each frame', () => {
    expect([...downmixPcm16(le16(100, 300, -32768, -32768, 5, 6), 2)]).toEqual([200, -32768, 6]);
  });

  it('ignores a trailing partial frame', () => {
    expect(downmixPcm16(le16(1, 2, 3), 2)).toHaveLength(1);
  });
});

describe('resample', () => {
  it('halves 16 kHz by averaging pairs', () => {
    expect([...resample(Int16Array.of(10, 20, 30, 50, 7), 16000, 8000)]).toEqual([15, 40]);
  });

  it('keeps a constant signal constant at any ratio', () => {
    const constant = new Int16Array(441).fill(1234);
    expect(new Set(resample(constant, 44100, 8000))).toEqual(new Set([1234]));
    expect(new Set(resample(new Int16Array(80).fill(-5), 4000, 8000))).toEqual(new Set([-5]));
  });

  it('interpolates linearly when raising the rate', () => {
    expect([...resample(Int16Array.of(0, 100), 4000, 8000)]).toEqual([0, 50, 100, 100]);
  });

  it('produces duration × rate samples', () => {
    expect(resample(new Int16Array(48000), 48000, 8000)).toHaveLength(8000);
    expect(resample(new Int16Array(11025), 11025, 8000)).toHaveLength(8000);
  });
});
