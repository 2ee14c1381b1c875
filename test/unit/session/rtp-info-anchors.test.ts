import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { matchRtpInfo } from '../../../src/session/rtp-info-anchors.js';

const VIDEO = 'rtsp://192.0.2.1:554/live/trackID=0';
const AUDIO = 'rtsp://192.0.2.1:554/live/trackID=1';
const anchor = (
  seq: number | undefined,
  rtptime?: number,
  sharedOrigin = rtptime !== undefined,
) => ({
  seq,
  rtptime,
  zeroSeqIgnored: false,
  sharedOrigin,
});

describe('matchRtpInfo', () => {
  it('matches entries to tracks by URL, in any order', () => {
    const header = `url=${AUDIO};seq=7;rtptime=80,url=${VIDEO};seq=1000;rtptime=90000`;
    expect(matchRtpInfo(header, [VIDEO, AUDIO], true)).toEqual({
      anchors: [anchor(1000, 90000), anchor(7, 80)],
      unmatched: [],
    });
  });

  it('matches relative URLs, other host names and trailing slashes by path', () => {
    const header = 'url=trackID=1;seq=5,url=rtsp://cam.local/live/trackID=0/;seq=6';
    expect(matchRtpInfo(header, [VIDEO, AUDIO], true).anchors).toEqual([anchor(6), anchor(5)]);
  });

  it('falls back to the order of the entries when there is one per track', () => {
    // The aggregate URL for the only track, as some cameras write it.
    const header = 'url=rtsp://192.0.2.1:554/live;seq=9;rtptime=1';
    expect(matchRtpInfo(header, [VIDEO], true)).toEqual({ anchors: [anchor(9, 1)], unmatched: [] });
  });

  it('makes rtptime the shared pts origin only when every track has one', () => {
    const partial = `url=${VIDEO},url=${AUDIO};seq=7;rtptime=80`;
    expect(matchRtpInfo(partial, [VIDEO, AUDIO], true).anchors).toEqual([
      anchor(undefined, undefined, false),
      anchor(7, 80, false),
    ]);
    const unmatchedTrack = `url=${AUDIO};seq=7;rtptime=80`;
    expect(matchRtpInfo(unmatchedTrack, [VIDEO, AUDIO], true).anchors).toEqual([
      undefined,
      anchor(7, 80, false),
    ]);
  });

  it('lists the entries it cannot place', () => {
    const header = 'url=rtsp://x/a;seq=1,url=rtsp://x/b;seq=2';
    expect(matchRtpInfo(header, [VIDEO], true)).toEqual({
      anchors: [undefined],
      unmatched: ['rtsp://x/a', 'rtsp://x/b'],
    });
  });

  it('leaves seq=0 out when ignoreZeroSeq, and keeps it otherwise', () => {
    const header = `url=${VIDEO};seq=0;rtptime=0`;
    expect(matchRtpInfo(header, [VIDEO], true).anchors).toEqual([
      { seq: undefined, rtptime: 0, zeroSeqIgnored: true, sharedOrigin: true },
    ]);
    expect(matchRtpInfo(header, [VIDEO], false).anchors).toEqual([anchor(0, 0)]);
  });

  it('never throws and gives one slot per track for any header (property)', () => {
    fc.assert(
      fc.property(
        fc.string({ maxLength: 200 }),
        fc.array(fc.webUrl(), { maxLength: 3 }),
        (header, controls) => {
          const { anchors } = matchRtpInfo(header, controls, true);
          expect(anchors).toHaveLength(controls.length);
        },
      ),
      { numRuns: 300 },
    );
  });
});
