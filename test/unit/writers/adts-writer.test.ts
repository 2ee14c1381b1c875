import { describe, expect, it } from 'vitest';
import { toHex } from '../../../src/codecs/aac-config.js';
import { ErrorCodes } from '../../../src/errors.js';
import { bitString, streamMuxConfig } from '../depacketizers/stream-mux-config.js';
import { AdtsWriter, audioSpecificConfigFromFmtp } from '../../../src/writers/adts-writer.js';
import { aacFrames, decodeErrors, probe } from './fixture-frames.js';
import { tempDir } from './temp-dir.js';

const file = tempDir('adts');

describe('AdtsWriter', () => {
  it.each([
    ['aac-48k-stereo.m4a', '48000', 2],
    ['h264-aac.mp4', '44100', 1],
  ] as const)(
    'writes %s access units as ADTS that ffmpeg decodes',
    async (fixture, rate, channels) => {
      const { config, frames } = aacFrames(fixture);
      const out = file(`${fixture}.aac`);
      const writer = new AdtsWriter(out, audioSpecificConfigFromFmtp({ config: toHex(config) }));
      for (const frame of frames) await writer.write(frame);
      await writer.close();
      const [stream] = probe(out);
      expect(stream).toMatchObject({ codec_name: 'aac', sample_rate: rate, channels });
      expect(Number(stream?.nb_read_frames)).toBe(frames.length);
      expect(decodeErrors(out)).toBe('');
    },
  );

  it('skips an access unit too large for a 13-bit ADTS frame length', async () => {
    const { config, frames } = aacFrames('aac-48k-stereo.m4a');
    const writer = new AdtsWriter(file('big.aac'), config);
    await writer.write({ ...frames[0]!, data: new Uint8Array(9000) });
    await writer.close();
    expect(writer.framesSkipped).toBe(1);
  });

  it("writes an MP4A-LATM track's AAC with the config inside its StreamMuxConfig (RFC 6416 §7.3)", async () => {
    // 400026203fc0: the config starts at bit 15; AAC-LC 24 kHz stereo is 13 10.
    expect(audioSpecificConfigFromFmtp({ config: '400026203fc0' }, 'mp4a-latm')).toEqual(
      Uint8Array.of(0x13, 0x10),
    );
    const { config, frames } = aacFrames('aac-48k-stereo.m4a');
    const fmtp = { cpresent: '0', config: streamMuxConfig({ ascBits: bitString(config, 16) }) };
    const out = file('latm.aac');
    const writer = new AdtsWriter(out, audioSpecificConfigFromFmtp(fmtp, 'mp4a-latm'));
    for (const frame of frames) await writer.write(frame);
    await writer.close();
    expect(probe(out)[0]).toMatchObject({ codec_name: 'aac', sample_rate: '48000', channels: 2 });
    expect(decodeErrors(out)).toBe('');
  });

  it('says what is wrong with an unusable fmtp config', () => {
    expect(() => audioSpecificConfigFromFmtp({})).toThrow(/no fmtp config=/);
    expect(() => audioSpecificConfigFromFmtp({ config: 'zz' })).toThrow(/not hex/);
    expect(() => audioSpecificConfigFromFmtp({ cpresent: '1' }, 'mp4a-latm')).toThrow(
      expect.objectContaining({
        code: ErrorCodes.ERR_RTSP_UNSUPPORTED,
        message: 'MP4A-LATM track: in-band StreamMuxConfig (cpresent=1)',
      }),
    );
    expect(() => audioSpecificConfigFromFmtp({ config: '40' }, 'mp4a-latm')).toThrow(
      /MP4A-LATM track: fmtp config=40: StreamMuxConfig truncated/,
    );
    // Object type 5 (SBR) cannot be said by ADTS's 2-bit profile.
    expect(
      () =>
        new AdtsWriter(file('he.aac'), {
          objectType: 5,
          samplingFrequencyIndex: 3,
          sampleRate: 48000,
          channelConfiguration: 2,
          channels: 2,
          frameLength: 1024,
        }),
    ).toThrow(/ADTS cannot carry/);
  });
});
