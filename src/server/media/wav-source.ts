/**
 * .wav → one G.711 audio track. 16-bit PCM is downmixed, resampled to 8 kHz
 * and A-law encoded (PCMA, static payload type 8); A-law and µ-law files at
 * 8 kHz mono are sent as they are (PCMA 8 / PCMU 0), RFC 3551 §4.5.14.
 */
import { encodeALaw } from '../../codecs/g711.js';
import { packetizeG711 } from '../../packetizers/g711.js';
import { mediaSource, type MediaSample, type MediaSource, type RtpFormat } from './media-source.js';
import { downmixPcm16, g711SampleRate, resample } from './pcm-convert.js';
import { unsupportedMedia } from './unsupported-media.js';
import { parseWav } from './wav-file.js';

/** 20 ms packets, the default packet time of RFC 3551 §4.5. */
const samplesPerPacket = 160;

const pcma: RtpFormat = { payloadType: 8, encoding: 'PCMA', clockRate: g711SampleRate };
const pcmu: RtpFormat = { payloadType: 0, encoding: 'PCMU', clockRate: g711SampleRate };

export function readWav(bytes: Uint8Array): MediaSource {
  const wav = parseWav(bytes);
  let encoded: Uint8Array;
  let format: RtpFormat;
  if (wav.encoding === 'pcm16') {
    const mono = resample(downmixPcm16(wav.data, wav.channels), wav.sampleRate, g711SampleRate);
    encoded = encodeALaw(mono);
    format = pcma;
  } else {
    if (wav.sampleRate !== g711SampleRate || wav.channels !== 1) {
      throw unsupportedMedia(
        'wav',
        `${wav.encoding} at ${wav.sampleRate} Hz with ${wav.channels} channels; G.711 files must be 8000 Hz mono`,
      );
    }
    encoded = wav.data;
    format = wav.encoding === 'alaw' ? pcma : pcmu;
  }
  const samples: MediaSample[] = [];
  let timestamp = 0;
  for (const payload of packetizeG711(encoded, samplesPerPacket)) {
    samples.push({
      timestamp,
      sendTimeMs: (timestamp * 1000) / g711SampleRate,
      keyframe: true,
      payloads: [payload],
    });
    timestamp += payload.payload.length;
  }
  const durationMs = (timestamp * 1000) / g711SampleRate;
  return mediaSource([{ media: 'audio', format, samples, durationMs }]);
}
