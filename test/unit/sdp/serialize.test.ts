import fc from 'fast-check';
import { parse as parseWithSdpTransform } from 'sdp-transform';
import { describe, expect, it } from 'vitest';
import { RtspError } from '../../../src/errors.js';
import { serializeSdp, type SdpSessionDescription } from '../../../src/sdp/serialize.js';

const session: SdpSessionDescription = {
  sessionId: '1700000000',
  sessionVersion: '1',
  originAddress: '127.0.0.1',
  name: 'h264-aac.mp4',
  tool: 'rtspkit',
  control: '*',
  durationSec: 4,
  media: [
    {
      media: 'video',
      payloadType: 96,
      encoding: 'H264',
      clockRate: 90000,
      fmtp: {
        'packetization-mode': '1',
        'profile-level-id': '64001e',
        'sprop-parameter-sets': 'Z2QAHqzZQKA9sBEAAAMAAQAAAwAyDxYtlg==,aOvjyyLA',
      },
      control: 'trackID=0',
    },
    {
      media: 'audio',
      payloadType: 97,
      encoding: 'MPEG4-GENERIC',
      clockRate: 44100,
      channels: 1,
      fmtp: { mode: 'AAC-hbr', config: '1208' },
      control: 'trackID=1',
    },
    {
      media: 'audio',
      payloadType: 8,
      encoding: 'PCMA',
      clockRate: 8000,
      channels: 2,
      control: 'rtsp://h/x.wav/trackID=2?play_count=0',
    },
  ],
};

describe('serializeSdp', () => {
  it('writes the session and media lines a DESCRIBE answer needs', () => {
    expect(serializeSdp(session)).toBe(
      [
        'v=0',
        'o=- 1700000000 1 IN IP4 127.0.0.1',
        's=h264-aac.mp4',
        'c=IN IP4 0.0.0.0',
        't=0 0',
        'a=tool:rtspkit',
        'a=range:npt=0-4.000',
        'a=control:*',
        'm=video 0 RTP/AVP 96',
        'a=rtpmap:96 H264/90000',
        'a=fmtp:96 packetization-mode=1;profile-level-id=64001e;sprop-parameter-sets=Z2QAHqzZQKA9sBEAAAMAAQAAAwAyDxYtlg==,aOvjyyLA',
        'a=control:trackID=0',
        'm=audio 0 RTP/AVP 97',
        'a=rtpmap:97 MPEG4-GENERIC/44100',
        'a=fmtp:97 mode=AAC-hbr;config=1208',
        'a=control:trackID=1',
        'm=audio 0 RTP/AVP 8',
        'a=rtpmap:8 PCMA/8000/2',
        'a=control:rtsp://h/x.wav/trackID=2?play_count=0',
        '',
      ].join('\r\n'),
    );
  });

  it('uses IP6 for IPv6 origins and a space for an empty name', () => {
    const text = serializeSdp({ ...session, originAddress: '::1', name: '', media: [] });
    expect(text).toContain('o=- 1700000000 1 IN IP6 ::1\r\n');
    expect(text).toContain('c=IN IP6 ::\r\n');
    expect(text).toContain('s= \r\n');
  });

  it('refuses values that would inject SDP lines', () => {
    expect(() => serializeSdp({ ...session, name: 'x\r\na=evil' })).toThrow(RtspError);
    expect(() =>
      serializeSdp({ ...session, media: [{ ...session.media[0]!, control: 'a\nb' }] }),
    ).toThrow(/control/);
  });

  it('round-trips through an independent SDP parser (sdp-transform)', () => {
    const token = fc.stringMatching(/^[A-Za-z0-9-]{1,12}$/);
    const media = fc.record({
      media: fc.constantFrom('video' as const, 'audio' as const),
      payloadType: fc.integer({ min: 96, max: 127 }),
      encoding: fc.stringMatching(/^[A-Z][A-Z0-9-]{0,11}$/),
      clockRate: fc.integer({ min: 1000, max: 90000 }),
      channels: fc.integer({ min: 1, max: 8 }),
      fmtp: fc.dictionary(token, token, { maxKeys: 4, minKeys: 1 }),
      control: fc.stringMatching(/^trackID=\d{1,2}$/),
    });
    fc.assert(
      fc.property(fc.array(media, { maxLength: 4 }), token, (tracks, name) => {
        const parsed = parseWithSdpTransform(serializeSdp({ ...session, name, media: tracks }));
        expect(String(parsed.name)).toBe(name);
        expect(parsed.control).toBe('*');
        expect(parsed.media).toHaveLength(tracks.length);
        tracks.forEach((t, i) => {
          const m = parsed.media[i]!;
          expect(m.type).toBe(t.media);
          expect(m.control).toBe(t.control);
          expect(m.rtp[0]).toMatchObject({
            payload: t.payloadType,
            codec: t.encoding,
            rate: t.clockRate,
          });
          if (t.channels !== 1) expect(m.rtp[0]?.encoding).toBe(t.channels);
          expect(m.fmtp[0]?.config).toBe(
            Object.entries(t.fmtp)
              .map(([k, v]) => `${k}=${v}`)
              .join(';'),
          );
        });
      }),
      { numRuns: 100 },
    );
  });
});
