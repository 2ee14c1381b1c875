import { depacketizerTarget } from '../depacketizer-target.js';
import { invariant } from '../target.js';
import { fuzzTrack } from './tracks.js';

/** RFC 2435 RTP/JPEG: types 0/1 and 64/65, Q from 1–99 and in-band tables (Q ≥ 128). */
export const mjpegTarget = depacketizerTarget({
  name: 'mjpeg',
  variants: [fuzzTrack({ media: 'video', codec: 'jpeg', clockRate: 90000, payloadType: 26 })],
  packetKind: (payload) => ((payload[4] ?? 0) & 0x7f) | ((payload[5] ?? 0) >= 128 ? 0x80 : 0),
  checkFrame(frame) {
    const { data } = frame;
    const end = data.length;
    invariant(
      data[0] === 0xff && data[1] === 0xd8 && data[end - 2] === 0xff && data[end - 1] === 0xd9,
      () => 'JPEG frame is not SOI … EOI',
    );
  },
  dictionary: [
    Uint8Array.of(0, 0, 0, 0),
    Uint8Array.of(0xff),
    Uint8Array.of(0x41),
    Uint8Array.of(0x40),
    Uint8Array.of(0, 0, 0, 0x80),
  ],
});
