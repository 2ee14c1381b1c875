/** What H.264 and H.265 frames promise: Annex B with 4-byte start codes (depacketizer.ts). */
import type { DepacketizedFrame } from '../../../src/depacketizers/depacketizer.js';
import { invariant } from '../target.js';

export function checkAnnexBFrame(frame: DepacketizedFrame): void {
  const data = frame.data;
  invariant(
    data.length > 4 && data[0] === 0 && data[1] === 0 && data[2] === 0 && data[3] === 1,
    () => `${frame.codec} frame does not start with a 4-byte start code`,
  );
}
