import { depacketizerTarget } from '../depacketizer-target.js';
import { invariant } from '../target.js';
import { fuzzTrack } from './tracks.js';

const g711 = (codec: string, payloadType: number, clockRate: number, channels: number) =>
  fuzzTrack({ media: 'audio', codec, payloadType, clockRate, channels });

/** RFC 3551 PCMA/PCMU: one frame per packet, bytes = samples × channels. */
export const g711Target = depacketizerTarget({
  name: 'g711',
  variants: [
    g711('pcma', 8, 8000, 1),
    g711('pcmu', 0, 8000, 1),
    g711('pcma', 97, 8000, 2),
    g711('pcmu', 98, 16000, 1),
  ],
  packetKind: (payload) => Math.min(3, payload.length),
  checkFrame(frame) {
    if (frame.kind !== 'audio') return;
    invariant(
      frame.sampleCount * frame.channels === frame.data.length,
      () =>
        `G.711 frame of ${frame.data.length} bytes claims ${frame.sampleCount} samples × ${frame.channels} channels`,
    );
  },
});
