import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatRtpInfo, parseRtpInfo } from '../../../src/rtsp/rtp-info.js';

describe('parseRtpInfo', () => {
  it('reads one entry per stream', () => {
    expect(
      parseRtpInfo(
        'url=rtsp://cam/stream/trackID=1;seq=2000;rtptime=12345, url=rtsp://cam/stream/trackID=2;seq=7;rtptime=4294967295',
      ),
    ).toEqual([
      { url: 'rtsp://cam/stream/trackID=1', seq: 2000, rtptime: 12345 },
      { url: 'rtsp://cam/stream/trackID=2', seq: 7, rtptime: 4294967295 },
    ]);
  });

  it('keeps ; and , that belong to the URL, and reads quoted URLs', () => {
    expect(
      parseRtpInfo('url=rtsp://cam/a;b,c/track1;seq=1,url="rtsp://cam/x";rtptime=5;ssrc=ABCD'),
    ).toEqual([
      { url: 'rtsp://cam/a;b,c/track1', seq: 1 },
      { url: 'rtsp://cam/x', rtptime: 5 },
    ]);
  });

  it('leaves out numbers out of range or malformed, and entries without url', () => {
    expect(parseRtpInfo('url=rtsp://c/1;seq=70000;rtptime=-1, seq=3')).toEqual([
      { url: 'rtsp://c/1' },
    ]);
    expect(parseRtpInfo('')).toEqual([]);
  });

  it('round-trips with formatRtpInfo', () => {
    const entry = fc.record(
      {
        url: fc.webUrl().filter((url) => !/[;,]/.test(url)),
        seq: fc.integer({ min: 0, max: 0xffff }),
        rtptime: fc.integer({ min: 0, max: 0xffffffff }),
      },
      { requiredKeys: ['url'] },
    );
    fc.assert(
      fc.property(fc.array(entry, { maxLength: 4 }), (entries) => {
        expect(parseRtpInfo(formatRtpInfo(entries))).toEqual(entries);
      }),
      { numRuns: 200 },
    );
  });

  it('never throws on random values', () => {
    fc.assert(
      fc.property(fc.string(), (value) => {
        for (const entry of parseRtpInfo(`url=${value}`)) expect(typeof entry.url).toBe('string');
      }),
      { numRuns: 300 },
    );
  });
});

describe('formatRtpInfo', () => {
  it('rejects numbers out of range', () => {
    expect(() => formatRtpInfo([{ url: 'rtsp://c/1', seq: 65536 }])).toThrow(/seq/);
  });
});
