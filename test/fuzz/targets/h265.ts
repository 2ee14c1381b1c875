import { depacketizerTarget } from '../depacketizer-target.js';
import { checkAnnexBFrame } from './h26x-checks.js';
import { FIXTURE_H265_SPROPS, fuzzTrack } from './tracks.js';

const h265 = (fmtp: Record<string, string>) =>
  fuzzTrack({ media: 'video', codec: 'h265', clockRate: 90000, fmtp });

/** RFC 7798 single NAL, AP, FU, with and without DONL (sprop-max-don-diff). */
export const h265Target = depacketizerTarget({
  name: 'h265',
  variants: [
    h265({ ...FIXTURE_H265_SPROPS }),
    h265({}),
    h265({ ...FIXTURE_H265_SPROPS, 'sprop-max-don-diff': '2' }),
    h265({ 'sprop-sps': FIXTURE_H265_SPROPS['sprop-sps'], 'sprop-pps': 'QQ' }),
  ],
  packetKind: (payload) => ((payload[0] ?? 0) >> 1) & 0x3f,
  checkFrame: checkAnnexBFrame,
  dictionary: [
    Uint8Array.of(0x62, 0x01, 0x93),
    Uint8Array.of(0x62, 0x01, 0x53),
    Uint8Array.of(0x60, 0x01),
    Uint8Array.of(0x40, 0x01),
    Uint8Array.of(0x42, 0x01),
    Uint8Array.of(0x26, 0x01),
  ],
});
