/** Every fuzz target, by name (`npm run fuzz -- --target NAME`). */
import type { FuzzTarget } from '../target.js';
import { aacTarget } from './aac.js';
import { codecConfigTarget } from './codec-config.js';
import { g711Target } from './g711.js';
import { h264Target } from './h264.js';
import { h265Target } from './h265.js';
import { latmTarget } from './latm.js';
import { mjpegTarget } from './mjpeg.js';
import { rtcpTarget } from './rtcp.js';
import { rtpTarget } from './rtp.js';
import { rtspHeadersTarget } from './rtsp-headers.js';
import { rtspParserTarget } from './rtsp-parser.js';
import { sdpTarget } from './sdp.js';

export const fuzzTargets: readonly FuzzTarget[] = [
  rtspParserTarget,
  rtspHeadersTarget,
  sdpTarget,
  rtpTarget,
  rtcpTarget,
  h264Target,
  h265Target,
  aacTarget,
  latmTarget,
  mjpegTarget,
  g711Target,
  codecConfigTarget,
];

export function fuzzTarget(name: string): FuzzTarget | undefined {
  return fuzzTargets.find((target) => target.name === name);
}
