/**
 * The boxes of a fragmented MP4 (ISO/IEC 14496-12 §8.8), serialised with
 * mp4box: the header (ftyp + moov with mvex) once, then per track and
 * fragment a moof whose trun points into the mdat that follows it.
 */
import { DataStream, type ISOFile, type Sample } from 'mp4box';
import type { TimelineSample } from './track-timeline.js';

const MDAT_HEADER_BYTES = 8;

export function headerBytes(file: ISOFile): Uint8Array {
  const stream = new DataStream();
  file.ftyp.write(stream);
  const moov = file.moov;
  // mp4box puts mvex first; players expect mvhd first (§8.2.1 recommends box order).
  const boxes = moov.boxes ?? [];
  moov.boxes = [
    ...boxes.filter((b) => b.type !== 'mvex'),
    ...boxes.filter((b) => b.type === 'mvex'),
  ];
  moov.write(stream);
  return new Uint8Array(stream.buffer, 0, stream.getPosition());
}

/** moof + mdat header for `samples` of one track; the samples' bytes follow as they are. */
export function fragmentHeader(
  file: ISOFile,
  trackId: number,
  samples: readonly TimelineSample[],
): Uint8Array {
  const moof = file.createMoof(samples.map((s) => asMp4boxSample(trackId, s)));
  const stream = new DataStream();
  moof.write(stream);
  const trun = moof.trafs[0]!.truns[0]!;
  // default-base-is-moof (tfhd): data starts after this moof and the mdat header.
  trun.data_offset = moof.size + MDAT_HEADER_BYTES;
  stream.adjustUint32(trun.data_offset_position, trun.data_offset);
  let mdatSize = MDAT_HEADER_BYTES;
  for (const sample of samples) mdatSize += sample.data.length;
  stream.writeUint32(mdatSize);
  stream.writeString('mdat', undefined, 4);
  return new Uint8Array(stream.buffer, 0, stream.getPosition());
}

/** createMoof reads only a sample's track, size, timing and sync flag. */
function asMp4boxSample(trackId: number, sample: TimelineSample): Sample {
  const fields: Pick<Sample, 'track_id' | 'size' | 'dts' | 'cts' | 'duration' | 'is_sync'> = {
    track_id: trackId,
    size: sample.data.length,
    dts: sample.dts,
    cts: sample.dts,
    duration: sample.duration,
    is_sync: sample.sync,
  };
  return fields as Sample;
}
