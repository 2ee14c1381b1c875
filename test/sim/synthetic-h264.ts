/**
 * Synthetic H.264 access units for the camera simulator: real parameter sets
 * (640x360 High, from test/fixtures/h264-aac.mp4) and slices of filler bytes.
 * Depacketizers do not decode, so filler slices exercise them fully; tests that
 * need decodable video use the fixtures through mediamtx or the file server.
 */
export const SPS = Buffer.from('6764001eacb405017fcb80880000030008000003019078b175', 'hex');
export const PPS = Buffer.from('68ef3cb0', 'hex');
export const WIDTH = 640;
export const HEIGHT = 360;

export interface SyntheticFrame {
  nalUnits: Uint8Array[];
  keyframe: boolean;
}

/** Frame `index` of a stream with a keyframe every `gop` frames. */
export function syntheticFrame(index: number, gop: number, sliceBytes: number): SyntheticFrame {
  const keyframe = index % gop === 0;
  const slice = new Uint8Array(keyframe ? sliceBytes * 4 : sliceBytes);
  // NAL header: nal_ref_idc 3, type 5 (IDR) or 1 (non-IDR). The first body byte
  // starts first_mb_in_slice = 0 (ue(v) '1'), as a real slice does.
  slice[0] = keyframe ? 0x65 : 0x41;
  slice[1] = 0x88;
  for (let i = 2; i < slice.length; i++) slice[i] = (index * 31 + i * 7) & 0xff || 1;
  return { nalUnits: keyframe ? [SPS, PPS, slice] : [slice], keyframe };
}
