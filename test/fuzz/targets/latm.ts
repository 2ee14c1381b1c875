import { MAX_AAC_ACCESS_UNIT_BYTES } from '../../../src/depacketizers/aac.js';
import { LatmDepacketizer } from '../../../src/depacketizers/latm.js';
import { depacketizerTarget } from '../depacketizer-target.js';
import { invariant } from '../target.js';
import { fuzzTrack } from './tracks.js';

const latm = (config: string) =>
  fuzzTrack({
    media: 'audio',
    codec: 'mp4a-latm',
    clockRate: 48000,
    channels: 2,
    fmtp: { cpresent: '0', config },
  });

/** RFC 6416 MP4A-LATM with out-of-band StreamMuxConfig; built directly, as the registry has no entry for it. */
export const latmTarget = depacketizerTarget({
  name: 'latm',
  variants: [
    // StreamMuxConfig with AAC-LC 48 kHz stereo: 1, 2 and 4 subframes per AudioMuxElement.
    latm('400023203fc0'),
    latm('410023203fc0'),
    latm('430023203fc0'),
    // What cameras send (AAC-LC 24 kHz stereo).
    latm('400026203fc0'),
  ],
  create: (track, options) => new LatmDepacketizer(track, options),
  // latm.ts: an AudioMuxElement of at most 64 subframes, each a capped AU and its length bytes.
  maxHeldBytes: 64 * (MAX_AAC_ACCESS_UNIT_BYTES + 33),
  packetKind: (payload) => Math.min(255, payload[0] ?? 0) >> 5,
  checkFrame(frame) {
    invariant(
      frame.data.length <= MAX_AAC_ACCESS_UNIT_BYTES,
      () => `LATM access unit of ${frame.data.length} bytes exceeds ${MAX_AAC_ACCESS_UNIT_BYTES}`,
    );
  },
  dictionary: [Uint8Array.of(0xff), Uint8Array.of(0xff, 0xff, 0xff), Uint8Array.of(0x00)],
});
