/**
 * .mjpeg in the classic lab format (each JPEG preceded by its length as five
 * ASCII decimal digits) → one RTP/JPEG video track (RFC 2435, static payload
 * type 26, 90 kHz clock). The format carries no timing; frames are sent at
 * a fixed rate, 10 fps by default like the lab's 100 ms frame period.
 */
import { packetizeJpeg } from '../../packetizers/mjpeg.js';
import type { RtspError } from '../../errors.js';
import { unsupportedMedia } from './unsupported-media.js';
import { mediaSource, type MediaSample, type MediaSource } from './media-source.js';

const lengthDigits = 5;
const clockRate = 90_000;
export const defaultMjpegFps = 10;

const unsupported = (message: string, cause?: unknown): RtspError =>
  unsupportedMedia('mjpeg', message, cause);

/** The JPEG images of a lab-format file, as views into it. */
export function splitLabFrames(bytes: Uint8Array): Uint8Array[] {
  const frames: Uint8Array[] = [];
  let at = 0;
  while (at < bytes.length) {
    if (at + lengthDigits > bytes.length) throw unsupported(`truncated length at byte ${at}`);
    let length = 0;
    for (let i = 0; i < lengthDigits; i++) {
      const digit = bytes[at + i]! - 0x30;
      if (digit < 0 || digit > 9)
        throw unsupported(`length is not 5 decimal digits at byte ${at + i}`);
      length = length * 10 + digit;
    }
    const start = at + lengthDigits;
    if (length === 0 || start + length > bytes.length) {
      throw unsupported(
        `frame of ${length} bytes at byte ${start} overruns the file (${bytes.length} bytes)`,
      );
    }
    frames.push(bytes.subarray(start, start + length));
    at = start + length;
  }
  if (frames.length === 0) throw unsupported('no frames');
  return frames;
}

export function readMjpeg(bytes: Uint8Array, mtu: number, fps = defaultMjpegFps): MediaSource {
  const frameTicks = Math.round(clockRate / fps);
  const samples: MediaSample[] = splitLabFrames(bytes).map((jpeg, index) => {
    let payloads;
    try {
      payloads = packetizeJpeg(jpeg, mtu);
    } catch (err) {
      throw unsupported(`frame ${index}: ${err instanceof Error ? err.message : String(err)}`, err);
    }
    return {
      timestamp: index * frameTicks,
      sendTimeMs: (index * 1000) / fps,
      keyframe: true,
      payloads,
    };
  });
  return mediaSource([
    {
      media: 'video',
      format: { payloadType: 26, encoding: 'JPEG', clockRate },
      samples,
      durationMs: (samples.length * 1000) / fps,
    },
  ]);
}
