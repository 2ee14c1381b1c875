/**
 * Audio sample-entry pieces mp4box cannot build by itself: the 'esds' box of
 * an 'mp4a' entry (ISO/IEC 14496-14 §5.6, descriptors of ISO/IEC 14496-1
 * §7.2.6.5–7), and the QuickTime 'alaw'/'ulaw' entries that ffmpeg's MP4
 * demuxer reads as G.711.
 */
import { AudioSampleEntry, Box } from 'mp4box';

/** ISO/IEC 14496-1 §7.2.2.1 class tags. */
const ES_DESCRIPTOR_TAG = 0x03;
const DECODER_CONFIG_TAG = 0x04;
const DECODER_SPECIFIC_INFO_TAG = 0x05;
const SL_CONFIG_TAG = 0x06;
/** objectTypeIndication 0x40: MPEG-4 Audio (14496-1 table 5). */
const MPEG4_AUDIO = 0x40;
/** streamType 0x05 (audio) << 2 | upStream 0 | reserved 1 (table 6). */
const AUDIO_STREAM = (0x05 << 2) | 1;
/** SLConfigDescriptor predefined 2: reserved for MP4 files (§7.3.2.3). */
const SL_PREDEFINED_MP4 = 0x02;

/** An 'esds' full box carrying the AudioSpecificConfig. */
export function esdsBox(audioSpecificConfig: Uint8Array): Box {
  const decoderSpecificInfo = descriptor(DECODER_SPECIFIC_INFO_TAG, audioSpecificConfig);
  const decoderConfig = descriptor(
    DECODER_CONFIG_TAG,
    // oti, streamType, bufferSizeDB (24 bits), maxBitrate, avgBitrate: unknown for a live stream.
    Uint8Array.of(MPEG4_AUDIO, AUDIO_STREAM, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0),
    decoderSpecificInfo,
  );
  const esDescriptor = descriptor(
    ES_DESCRIPTOR_TAG,
    Uint8Array.of(0, 0, 0),
    decoderConfig,
    descriptor(SL_CONFIG_TAG, Uint8Array.of(SL_PREDEFINED_MP4)),
  );
  const box = new Box();
  box.type = 'esds';
  box.data = concat(Uint8Array.of(0, 0, 0, 0), esDescriptor); // version 0, flags 0
  return box;
}

/** A G.711 sample entry: 8-bit samples, the codec in the four-character type. */
export function g711SampleEntry(
  codec: 'pcma' | 'pcmu',
  sampleRate: number,
  channels: number,
): AudioSampleEntry {
  const entry = new AudioSampleEntry();
  entry.type = codec === 'pcma' ? 'alaw' : 'ulaw';
  entry.data_reference_index = 1;
  entry.channel_count = channels;
  entry.samplesize = 16;
  entry.samplerate = sampleRate;
  return entry;
}

/** tag, then the size in the 4-byte expandable form players accept (§8.3.3). */
function descriptor(tag: number, ...parts: Uint8Array[]): Uint8Array {
  const body = concat(...parts);
  const size = body.length;
  const header = Uint8Array.of(
    tag,
    0x80 | ((size >> 21) & 0x7f),
    0x80 | ((size >> 14) & 0x7f),
    0x80 | ((size >> 7) & 0x7f),
    size & 0x7f,
  );
  return concat(header, body);
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}
