import { MAX_AAC_ACCESS_UNIT_BYTES } from '../../../src/depacketizers/aac.js';
import { depacketizerTarget } from '../depacketizer-target.js';
import { bucket, invariant } from '../target.js';
import { fuzzTrack } from './tracks.js';

const aac = (fmtp: Record<string, string>, clockRate = 48000, channels = 2) =>
  fuzzTrack({ media: 'audio', codec: 'mpeg4-generic', clockRate, channels, fmtp });
const HBR = { mode: 'AAC-hbr', sizelength: '13', indexlength: '3', indexdeltalength: '3' };

/** RFC 3640 mpeg4-generic in the AU-header layouts cameras and encoders send. */
export const aacTarget = depacketizerTarget({
  name: 'aac',
  variants: [
    // AAC-LC 48 kHz stereo: the config of test/fixtures/aac-48k-stereo.m4a.
    aac({ streamtype: '5', config: '1190', ...HBR }),
    aac({
      config: '1190',
      mode: 'AAC-lbr',
      sizelength: '6',
      indexlength: '2',
      indexdeltalength: '2',
    }),
    aac({
      config: '1190',
      ...HBR,
      ctsdeltalength: '16',
      dtsdeltalength: '16',
      randomaccessindication: '1',
      streamstateindication: '4',
      auxiliarydatasizelength: '8',
    }),
    // Only `mode=` (§3.3.6 defaults), 44.1 kHz stereo.
    aac({ config: '1210', mode: 'AAC-hbr' }, 44100),
    aac({ config: '1190', constantsize: '4', constantduration: '1024' }),
    // HE-AAC signalled implicitly: 24 kHz core config on a 48 kHz RTP clock.
    aac({ config: '1310', ...HBR }),
    // 960-sample frames (frameLengthFlag).
    aac({ config: '1194', ...HBR }),
    // No AU-Index fields, 16 kHz mono.
    aac(
      {
        config: '1408',
        mode: 'AAC-hbr',
        sizelength: '13',
        indexlength: '0',
        indexdeltalength: '0',
      },
      16000,
      1,
    ),
  ],
  // AU-headers-length (§3.2.1), in bits.
  maxHeldBytes: MAX_AAC_ACCESS_UNIT_BYTES,
  packetKind: (payload) => bucket(((payload[0] ?? 0) << 8) | (payload[1] ?? 0)),
  checkFrame(frame) {
    invariant(
      frame.data.length <= MAX_AAC_ACCESS_UNIT_BYTES,
      () => `AAC access unit of ${frame.data.length} bytes exceeds ${MAX_AAC_ACCESS_UNIT_BYTES}`,
    );
  },
  dictionary: [
    Uint8Array.of(0x00, 0x10),
    Uint8Array.of(0x00, 0x20),
    Uint8Array.of(0xff, 0xf8),
    Uint8Array.of(0x00, 0x00),
  ],
});
