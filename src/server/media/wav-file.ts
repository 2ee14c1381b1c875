/**
 * RIFF/WAVE reader for the file server: the `fmt ` and `data` chunks of PCM
 * 16-bit, A-law and µ-law files (WAVE_FORMAT_PCM 1, ALAW 6, MULAW 7, and
 * WAVE_FORMAT_EXTENSIBLE whose sub-format GUID starts with one of those).
 */
import type { RtspError } from '../../errors.js';
import { unsupportedMedia } from './unsupported-media.js';

export type WavEncoding = 'pcm16' | 'alaw' | 'mulaw';

export interface WavAudio {
  encoding: WavEncoding;
  channels: number;
  sampleRate: number;
  /** The data chunk's bytes (a view into the file). */
  data: Uint8Array;
}

const formatTags: Readonly<Record<number, WavEncoding>> = { 1: 'pcm16', 6: 'alaw', 7: 'mulaw' };
const extensibleTag = 0xfffe;

const unsupported = (message: string): RtspError => unsupportedMedia('wav', message);

function fourcc(bytes: Uint8Array, at: number): string {
  return String.fromCharCode(...bytes.subarray(at, at + 4));
}

export function parseWav(bytes: Uint8Array): WavAudio {
  if (bytes.length < 12 || fourcc(bytes, 0) !== 'RIFF' || fourcc(bytes, 8) !== 'WAVE') {
    throw unsupported('not a RIFF/WAVE file (byte 0)');
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let format: Omit<WavAudio, 'data'> | undefined;
  // Chunks are word-aligned (a pad byte follows odd sizes), RIFF spec.
  for (let at = 12; at + 8 <= bytes.length;) {
    const id = fourcc(bytes, at);
    const size = view.getUint32(at + 4, true);
    const body = at + 8;
    if (id === 'fmt ') {
      if (size < 16 || body + size > bytes.length)
        throw unsupported(`short fmt chunk at byte ${at}`);
      let tag = view.getUint16(body, true);
      if (tag === extensibleTag && size >= 40) tag = view.getUint16(body + 24, true);
      const encoding = formatTags[tag];
      if (!encoding)
        throw unsupported(`format tag ${tag} at byte ${body} (PCM, A-law or µ-law only)`);
      const bits = view.getUint16(body + 14, true);
      if (bits !== (encoding === 'pcm16' ? 16 : 8))
        throw unsupported(`${bits}-bit ${encoding} at byte ${body + 14}`);
      const channels = view.getUint16(body + 2, true);
      const sampleRate = view.getUint32(body + 4, true);
      if (channels < 1 || sampleRate < 1)
        throw unsupported(`${channels} channels at ${sampleRate} Hz at byte ${body + 2}`);
      format = { encoding, channels, sampleRate };
    } else if (id === 'data') {
      if (!format) throw unsupported(`data chunk before fmt chunk at byte ${at}`);
      // Streamed WAVs may leave the data size unset or too large: take what is there.
      const end = Math.min(bytes.length, body + size);
      return { ...format, data: bytes.subarray(body, end) };
    }
    at = body + size + (size & 1);
  }
  throw unsupported('no data chunk');
}
