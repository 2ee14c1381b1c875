import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RtspError } from '../../../../src/errors.js';
import { parseWav } from '../../../../src/server/media/wav-file.js';
import { fixture } from './fixtures.js';

function wav(
  fmt: { tag: number; channels: number; rate: number; bits: number },
  data: Uint8Array,
  extra: Uint8Array[] = [],
): Uint8Array {
  const header = new Uint8Array(12 + 24);
  const view = new DataView(header.buffer);
  header.set(new TextEncoder().encode('RIFF'), 0);
  header.set(new TextEncoder().encode('WAVEfmt '), 8);
  view.setUint32(16, 16, true);
  view.setUint16(20, fmt.tag, true);
  view.setUint16(22, fmt.channels, true);
  view.setUint32(24, fmt.rate, true);
  view.setUint16(34, fmt.bits, true);
  const dataHeader = new Uint8Array(8);
  dataHeader.set(new TextEncoder().encode('data'));
  new DataView(dataHeader.buffer).setUint32(4, data.length, true);
  return Buffer.concat([header, ...extra, dataHeader, data]);
}

describe('parseWav', () => {
  it('reads the fixtures', () => {
    expect(parseWav(fixture('pcm-8k-mono.wav'))).toMatchObject({
      encoding: 'pcm16',
      channels: 1,
      sampleRate: 8000,
    });
    expect(parseWav(fixture('pcm-16k-stereo.wav'))).toMatchObject({
      encoding: 'pcm16',
      channels: 2,
      sampleRate: 16000,
    });
    const alaw = parseWav(fixture('pcma-8k.wav'));
    expect(alaw).toMatchObject({ encoding: 'alaw', channels: 1, sampleRate: 8000 });
    expect(alaw.data.length).toBe(24_000);
    expect(parseWav(fixture('pcmu-8k.wav')).encoding).toBe('mulaw');
  });

  it('skips unknown chunks, including odd-sized ones with their pad byte', () => {
    const list = Uint8Array.from([...new TextEncoder().encode('LIST'), 3, 0, 0, 0, 1, 2, 3, 0]);
    const parsed = parseWav(
      wav({ tag: 1, channels: 1, rate: 8000, bits: 16 }, Uint8Array.of(1, 2, 3, 4), [list]),
    );
    expect([...parsed.data]).toEqual([1, 2, 3, 4]);
  });

  it('takes what is there when the data size overruns the file (streamed WAV)', () => {
    const bytes = wav({ tag: 6, channels: 1, rate: 8000, bits: 8 }, Uint8Array.of(9, 9));
    new DataView(bytes.buffer, bytes.byteOffset).setUint32(40, 0xffffffff, true);
    expect(parseWav(bytes).data.length).toBe(2);
  });

  it.each([
    [
      'a float WAV',
      wav({ tag: 3, channels: 1, rate: 8000, bits: 32 }, new Uint8Array(4)),
      /format tag 3/,
    ],
    [
      '8-bit PCM',
      wav({ tag: 1, channels: 1, rate: 8000, bits: 8 }, new Uint8Array(4)),
      /8-bit pcm16/,
    ],
    ['no RIFF header', new Uint8Array(40), /not a RIFF/],
  ])('rejects %s with a message saying where', (_name, bytes, message) => {
    expect(() => parseWav(bytes)).toThrow(message);
  });

  it('random and mutated bytes only ever produce RtspError', () => {
    const valid = wav({ tag: 1, channels: 2, rate: 16000, bits: 16 }, new Uint8Array(64));
    const mutated = fc
      .array(fc.tuple(fc.nat(valid.length - 1), fc.integer({ min: 0, max: 255 })), { maxLength: 8 })
      .map((edits) => {
        const copy = valid.slice();
        for (const [at, value] of edits) copy[at] = value;
        return copy;
      });
    fc.assert(
      fc.property(fc.oneof(fc.uint8Array({ maxLength: 80 }), mutated), (bytes) => {
        try {
          parseWav(bytes);
        } catch (err) {
          expect(err).toBeInstanceOf(RtspError);
        }
      }),
      { numRuns: 300 },
    );
  });
});
