/** JPEG test inputs: the lab-format fixture's frames, and ffmpeg as the reference decoder. */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** The 30 JPEGs of test/fixtures/mjpeg-320x240.mjpeg (each preceded by 5 ASCII digits of length). */
export function fixtureJpegs(): Uint8Array[] {
  const lab = readFileSync(new URL('../../fixtures/mjpeg-320x240.mjpeg', import.meta.url));
  const jpegs: Uint8Array[] = [];
  for (let at = 0; at < lab.length;) {
    const length = Number(lab.subarray(at, at + 5).toString('ascii'));
    jpegs.push(new Uint8Array(lab.subarray(at + 5, at + 5 + length)));
    at += 5 + length;
  }
  return jpegs;
}

/** YUV 4:2:0 planes of every frame of concatenated JPEGs; throws with ffmpeg's message on any decode error. */
export function decodeMjpegToYuv(mjpeg: Uint8Array): Buffer {
  return execFileSync(
    'ffmpeg',
    [
      '-v',
      'error',
      '-xerror',
      '-f',
      'mjpeg',
      '-i',
      '-',
      '-f',
      'rawvideo',
      '-pix_fmt',
      'yuv420p',
      '-',
    ],
    { input: mjpeg, maxBuffer: 1 << 26 },
  );
}

/** Decoded YUV 4:2:0 planes and the size, from ffmpeg; throws with ffmpeg's message on any decode error. */
export function decodeWithFfmpeg(jpeg: Uint8Array): { yuv: Buffer; size: string } {
  const probe = execFileSync(
    'ffprobe',
    ['-v', 'error', '-show_entries', 'stream=width,height', '-of', 'csv=p=0', '-'],
    { input: jpeg },
  );
  const yuv = decodeMjpegToYuv(jpeg);
  return { yuv, size: probe.toString().trim() };
}

/** A one-frame baseline JPEG from ffmpeg with the given encoder options. */
export function encodeWithFfmpeg(options: string[]): Uint8Array {
  return new Uint8Array(
    execFileSync('ffmpeg', [
      '-v',
      'error',
      '-f',
      'lavfi',
      '-i',
      'testsrc=size=64x48',
      '-frames:v',
      '1',
      ...options,
      '-f',
      'mjpeg',
      '-',
    ]),
  );
}

/** Offset of the first segment with `marker` (walking segment lengths from SOI). */
export function segmentOffset(jpeg: Uint8Array, marker: number): number {
  for (let at = 2; at + 4 <= jpeg.length; at += 2 + ((jpeg[at + 2]! << 8) | jpeg[at + 3]!)) {
    if (jpeg[at + 1] === marker) return at;
  }
  throw new Error(`no marker 0x${marker.toString(16)}`);
}

/** `jpeg` with a DRI segment (restart interval in MCUs) inserted before SOS. */
export function withRestartInterval(jpeg: Uint8Array, interval: number): Uint8Array {
  const sos = segmentOffset(jpeg, 0xda);
  const dri = Uint8Array.of(0xff, 0xdd, 0, 4, interval >> 8, interval & 0xff);
  return new Uint8Array(Buffer.concat([jpeg.subarray(0, sos), dri, jpeg.subarray(sos)]));
}
