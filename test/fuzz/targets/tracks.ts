/** Track descriptions for the depacketizer targets, as parseSdp would produce them. */
import type { Track } from '../../../src/sdp/track.js';

export function fuzzTrack(
  fields: Pick<Track, 'media' | 'codec' | 'clockRate'> & Partial<Track>,
): Track {
  return {
    index: 0,
    payloadType: 96,
    channels: fields.media === 'audio' ? 1 : undefined,
    fmtp: {},
    control: 'rtsp://127.0.0.1:8554/fuzz/trackID=0',
    controlAttribute: 'trackID=0',
    attributes: {},
    ...fields,
  };
}

/** Parameter sets of test/fixtures/h264-720p.h264 and h265-360p.h265 (what make-corpus packetizes). */
export const FIXTURE_H264_SPROP = 'Z01AH9oBQBbsBEAAAAMAQAAADIPGDKg=,aO88gA==';
export const FIXTURE_H265_SPROPS = {
  'sprop-vps': 'QAEMAf//AWAAAAMAkAAAAwAAAwA/ugJA',
  'sprop-sps': 'QgEBAWAAAAMAkAAAAwAAAwA/oAUCAWllupJMrwFoCAAAAwAIAAADAMhA',
  'sprop-pps': 'RAHBcrRiQA==',
} as const;
