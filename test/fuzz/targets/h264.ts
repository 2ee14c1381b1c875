import { depacketizerTarget } from '../depacketizer-target.js';
import { checkAnnexBFrame } from './h26x-checks.js';
import { FIXTURE_H264_SPROP, fuzzTrack } from './tracks.js';

const h264 = (fmtp: Record<string, string>) =>
  fuzzTrack({ media: 'video', codec: 'h264', clockRate: 90000, fmtp });

/** RFC 6184 single NAL, STAP-A, FU-A (and the types it must count as invalid). */
export const h264Target = depacketizerTarget({
  name: 'h264',
  variants: [
    h264({ 'packetization-mode': '1', 'sprop-parameter-sets': FIXTURE_H264_SPROP }),
    h264({ 'packetization-mode': '1' }),
    h264({ 'sprop-parameter-sets': 'not base64!,aO88gA==' }),
    // Hikvision's sprop (test/fixtures/sdp/hikvision.sdp): another stream's SPS than the packets'.
    h264({
      'packetization-mode': '1',
      'sprop-parameter-sets': 'Z00AKpY1QPAET8s3AQEBAg==,aO48gA==',
    }),
  ],
  packetKind: (payload) => (payload[0] ?? 0) & 0x1f,
  checkFrame: checkAnnexBFrame,
  dictionary: [
    Uint8Array.of(0x7c, 0x85),
    Uint8Array.of(0x7c, 0x45),
    Uint8Array.of(0x78),
    Uint8Array.of(0x67),
    Uint8Array.of(0x68),
    Uint8Array.of(0x65),
    Uint8Array.of(0x09, 0xf0),
  ],
});
