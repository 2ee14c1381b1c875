/**
 * Reads the H.264, H.265 and AAC tracks of an MP4/M4A file with mp4box
 * (ISO/IEC 14496-12/-15): codec configuration (avcC, hvcC, esds) and every
 * sample with its decode/presentation times. Other tracks are listed as
 * skipped so the caller can say why a file publishes fewer tracks.
 */
import { createFile, MP4BoxBuffer, type Sample, type SampleEntry } from 'mp4box';
import type { RtspError } from '../../errors.js';
import { unsupportedMedia } from './unsupported-media.js';

export type Mp4Codec =
  | { kind: 'h264'; lengthSize: number; sps: Uint8Array[]; pps: Uint8Array[] }
  | { kind: 'h265'; lengthSize: number; vps: Uint8Array[]; sps: Uint8Array[]; pps: Uint8Array[] }
  | { kind: 'aac'; audioSpecificConfig: Uint8Array };

export interface Mp4Sample {
  data: Uint8Array;
  /** Decode and presentation time, in the track's timescale. */
  dts: number;
  cts: number;
  duration: number;
  sync: boolean;
}

export interface Mp4Track {
  id: number;
  codec: Mp4Codec;
  timescale: number;
  samples: Mp4Sample[];
}

export interface Mp4Demuxed {
  tracks: Mp4Track[];
  skipped: { id: number; reason: string }[];
}

/** HEVC NAL unit types of parameter sets in hvcC arrays (H.265 Table 7-1). */
const hevcVps = 32;
const hevcSps = 33;
const hevcPps = 34;
/** MPEG-4 Audio object type indication in the esds DecoderConfigDescriptor (ISO/IEC 14496-1 Table 5). */
const mpeg4AudioOti = 0x40;
const decoderConfigTag = 0x04;
const decoderSpecificInfoTag = 0x05;

/** The parts of mp4box's untyped descriptor tree this reader touches. */
interface DescriptorNode {
  oti?: number;
  data?: Uint8Array;
  findDescriptor(tag: number): DescriptorNode | undefined;
}

const unsupported = (message: string, cause?: unknown): RtspError =>
  unsupportedMedia('mp4', message, cause);

function codecOf(entry: SampleEntry): Mp4Codec | string {
  if ('avcC' in entry && entry.avcC) {
    const avcC = entry.avcC as {
      lengthSizeMinusOne: number;
      SPS: { data: Uint8Array }[];
      PPS: { data: Uint8Array }[];
    };
    return {
      kind: 'h264',
      lengthSize: avcC.lengthSizeMinusOne + 1,
      sps: avcC.SPS.map((n) => n.data),
      pps: avcC.PPS.map((n) => n.data),
    };
  }
  if ('hvcC' in entry && entry.hvcC) {
    const hvcC = entry.hvcC as {
      lengthSizeMinusOne: number;
      nalu_arrays: ({ data: Uint8Array }[] & { nalu_type: number })[];
    };
    const ofType = (type: number): Uint8Array[] =>
      hvcC.nalu_arrays.filter((a) => a.nalu_type === type).flatMap((a) => a.map((n) => n.data));
    return {
      kind: 'h265',
      lengthSize: hvcC.lengthSizeMinusOne + 1,
      vps: ofType(hevcVps),
      sps: ofType(hevcSps),
      pps: ofType(hevcPps),
    };
  }
  if ('esds' in entry && entry.esds) {
    const esd = (entry.esds as { esd: DescriptorNode }).esd;
    const config = esd.findDescriptor(decoderConfigTag);
    const info = config?.findDescriptor(decoderSpecificInfoTag);
    if (config?.oti !== mpeg4AudioOti || !info?.data)
      return `${entry.type} with object type ${config?.oti ?? 'none'} (MPEG-4 AAC only)`;
    return { kind: 'aac', audioSpecificConfig: info.data };
  }
  return `sample entry '${entry.type}' (H.264, H.265 and AAC only)`;
}

export function demuxMp4(bytes: Uint8Array): Mp4Demuxed {
  const file = createFile(true);
  let ready = false;
  let parseError: string | undefined;
  file.onReady = () => {
    ready = true;
  };
  file.onError = (module: string, message: string) => {
    parseError ??= `${module}: ${message}`;
  };
  const copy = bytes.slice().buffer;
  try {
    file.appendBuffer(MP4BoxBuffer.fromArrayBuffer(copy, 0));
    file.flush();
  } catch (err) {
    throw unsupported(`cannot parse: ${err instanceof Error ? err.message : String(err)}`, err);
  }
  if (!ready)
    throw unsupported(parseError === undefined ? 'no moov box' : `cannot parse: ${parseError}`);

  const result: Mp4Demuxed = { tracks: [], skipped: [] };
  for (const trak of file.moov?.traks ?? []) {
    const id = trak.tkhd.track_id;
    const entry = trak.mdia.minf.stbl.stsd.entries[0];
    if (!entry) {
      result.skipped.push({ id, reason: 'no sample description' });
      continue;
    }
    const codec = codecOf(entry);
    if (typeof codec === 'string') {
      result.skipped.push({ id, reason: codec });
      continue;
    }
    const samples: Mp4Sample[] = [];
    const count = file.getTrackSamplesInfo(id).length;
    for (let n = 0; n < count; n++) {
      const sample: Sample | undefined = file.getSample(trak, n);
      if (!sample?.data) throw unsupported(`track ${id} sample ${n} has no data (truncated mdat?)`);
      samples.push({
        data: sample.data,
        dts: sample.dts,
        cts: sample.cts,
        duration: sample.duration,
        sync: sample.is_sync,
      });
    }
    result.tracks.push({ id, codec, timescale: trak.mdia.mdhd.timescale, samples });
  }
  return result;
}
