import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RtspError, RtspProtocolError } from '../../../src/errors.js';
import { sdpBaseUrl } from '../../../src/sdp/control-url.js';
import { parseSdp } from '../../../src/sdp/parse.js';
import { serializeSdp } from '../../../src/sdp/serialize.js';
import type { SessionDescription } from '../../../src/sdp/track.js';

const fixture = (name: string): string =>
  readFileSync(new URL(`../../fixtures/sdp/${name}`, import.meta.url), 'latin1');

describe('parseSdp on camera fixtures', () => {
  it('Hikvision: relative trackID controls under Content-Base, static PCMA with rtpmap', () => {
    const base = sdpBaseUrl(
      'rtsp://admin:12345@192.168.1.64:554/Streaming/Channels/101',
      'rtsp://192.168.1.64:554/Streaming/Channels/101/',
    );
    const sdp = parseSdp(fixture('hikvision.sdp'), base);
    expect(sdp.name).toBe('Media Presentation');
    expect(sdp.aggregateControl).toBe('rtsp://192.168.1.64:554/Streaming/Channels/101/');
    expect(sdp.skipped).toEqual([]);
    const [video, audio] = sdp.tracks;
    expect(video).toMatchObject({
      index: 0,
      media: 'video',
      codec: 'h264',
      payloadType: 96,
      clockRate: 90000,
      channels: undefined,
      control: 'rtsp://192.168.1.64:554/Streaming/Channels/101/trackID=1',
      controlAttribute: 'trackID=1',
      fmtp: {
        'profile-level-id': '420029',
        'packetization-mode': '1',
        'sprop-parameter-sets': 'Z00AKpY1QPAET8s3AQEBAg==,aO48gA==',
      },
    });
    expect(video!.attributes).toMatchObject({
      recvonly: '',
      'x-dimensions': '1920,1080',
      control: 'trackID=1',
    });
    expect(video!.attributes).not.toHaveProperty('rtpmap');
    expect(audio).toMatchObject({
      index: 1,
      media: 'audio',
      codec: 'pcma',
      payloadType: 8,
      clockRate: 8000,
      channels: 1,
    });
    expect(audio!.attributes['media_header']).toMatch(/^MEDIAINFO=/);
  });

  it('Dahua: Content-Base with a query ending in "/" gets the control appended verbatim', () => {
    const request = 'rtsp://192.168.1.108:554/cam/realmonitor?channel=1&subtype=0';
    const withHeader = parseSdp(fixture('dahua.sdp'), sdpBaseUrl(request, `${request}/`));
    expect(withHeader.tracks.map((t) => t.control)).toEqual([
      `${request}/trackID=0`,
      `${request}/trackID=1`,
    ]);
    expect(withHeader.aggregateControl).toBe(`${request}/`);
    const withoutHeader = parseSdp(fixture('dahua.sdp'), sdpBaseUrl(request));
    expect(withoutHeader.tracks[0]!.control).toBe(
      'rtsp://192.168.1.108:554/cam/realmonitor/trackID=0?channel=1&subtype=0',
    );
    expect(withoutHeader.tracks[0]!.fmtp['sprop-parameter-sets']).toBe(
      'Z00AKp2oHgCJ+WbgICAgQA==,aO48gA==',
    );
  });

  it('Axis: absolute controls with a query, AAC mono, the ONVIF metadata section skipped', () => {
    const sdp = parseSdp(
      fixture('axis.sdp'),
      'rtsp://192.168.0.90/axis-media/media.amp?videocodec=h264',
    );
    expect(sdp.aggregateControl).toBe('rtsp://192.168.0.90/axis-media/media.amp?videocodec=h264');
    expect(sdp.tracks.map((t) => [t.codec, t.clockRate, t.channels, t.control])).toEqual([
      [
        'h264',
        90000,
        undefined,
        'rtsp://192.168.0.90/axis-media/media.amp/stream=0?videocodec=h264',
      ],
      [
        'mpeg4-generic',
        16000,
        1,
        'rtsp://192.168.0.90/axis-media/media.amp/stream=1?videocodec=h264',
      ],
    ]);
    expect(sdp.tracks[1]!.fmtp).toMatchObject({
      mode: 'AAC-hbr',
      config: '1408',
      sizelength: '13',
    });
    expect(sdp.skipped).toEqual([{ index: 2, reason: 'm=application is not audio or video' }]);
  });

  it('mediamtx: no session control, so the aggregate control is the base URL', () => {
    const sdp = parseSdp(fixture('mediamtx.sdp'), 'rtsp://127.0.0.1:8554/mystream/');
    expect(sdp.aggregateControl).toBe('rtsp://127.0.0.1:8554/mystream/');
    expect(sdp.tracks.map((t) => t.control)).toEqual([
      'rtsp://127.0.0.1:8554/mystream/trackID=0',
      'rtsp://127.0.0.1:8554/mystream/trackID=1',
    ]);
    expect(sdp.tracks[1]).toMatchObject({ codec: 'mpeg4-generic', clockRate: 44100, channels: 2 });
    expect(sdp.tracks[0]!.fmtp['profile-level-id']).toBe('64001F');
  });

  it('GStreamer: relative controls resolve against the session-level control; PCMU from the static table', () => {
    const sdp = parseSdp(fixture('gstreamer.sdp'), 'rtsp://127.0.0.1:8554/test/');
    expect(sdp.aggregateControl).toBe('rtsp://127.0.0.1:8554/test');
    expect(
      sdp.tracks.map((t) => [t.codec, t.payloadType, t.clockRate, t.channels, t.control]),
    ).toEqual([
      ['h265', 96, 90000, undefined, 'rtsp://127.0.0.1:8554/test/stream=0'],
      ['pcmu', 0, 8000, 1, 'rtsp://127.0.0.1:8554/test/stream=1'],
    ]);
    expect(Object.keys(sdp.tracks[0]!.fmtp)).toEqual(['sprop-vps', 'sprop-sps', 'sprop-pps']);
  });

  it('LF-only line ends and blank lines; static JPEG; the first payload type wins', () => {
    const text = fixture('lf-only.sdp');
    expect(text).not.toContain('\r');
    const sdp = parseSdp(text, 'rtsp://10.0.0.20/');
    expect(
      sdp.tracks.map((t) => [t.media, t.codec, t.payloadType, t.clockRate, t.control]),
    ).toEqual([
      ['video', 'jpeg', 26, 90000, 'rtsp://10.0.0.20/track1'],
      ['audio', 'pcmu', 0, 8000, 'rtsp://10.0.0.20/track2'],
    ]);
    expect(sdp.tracks[1]!.fmtp).toEqual({});
  });

  it('broken: no v=/o=/s=/t=, bad sprop kept as text, unusable sections listed with why', () => {
    const sdp = parseSdp(fixture('broken.sdp'), 'rtsp://h/cam');
    expect(sdp.name).toBeUndefined();
    expect(sdp.aggregateControl).toBe('rtsp://h/cam');
    expect(sdp.tracks).toHaveLength(1);
    expect(sdp.tracks[0]).toMatchObject({
      codec: 'h264',
      control: 'rtsp://h/cam/track1',
      controlAttribute: 'track1',
    });
    expect(sdp.tracks[0]!.fmtp['sprop-parameter-sets']).toBe('!!not*base64,');
    expect(sdp.skipped.map((s) => s.index)).toEqual([1, 2, 3]);
    expect(sdp.skipped[0]!.reason).toMatch(/payload type 97/);
    expect(sdp.skipped[1]!.reason).toMatch(/application/);
    expect(sdp.skipped[2]!.reason).toMatch(/no RTP payload type/);
  });
});

describe('parseSdp edge cases', () => {
  it('prefers a static type with rtpmap values, and skips a dynamic type without a clock rate', () => {
    const sdp = parseSdp(
      'm=audio 0 RTP/AVP 97 8\na=rtpmap:97 opus\na=rtpmap:8 PCMA/8000/1\n',
      'rtsp://h/',
    );
    expect(sdp.tracks[0]).toMatchObject({ codec: 'pcma', payloadType: 8 });
  });

  it('lets a session-level absolute control define both aggregate and media base', () => {
    const sdp = parseSdp(
      'v=0\r\na=control:rtsp://cam/agg\r\nm=video 0 RTP/AVP 96\r\na=rtpmap:96 H264/90000\r\na=control:v\r\n',
      'rtsp://other/',
    );
    expect(sdp.aggregateControl).toBe('rtsp://cam/agg');
    expect(sdp.tracks[0]!.control).toBe('rtsp://cam/agg/v');
  });

  it('returns no tracks for SDP without media, and throws RtspProtocolError for a body that is not SDP', () => {
    expect(parseSdp('v=0\r\ns=nothing\r\n', 'rtsp://h/').tracks).toEqual([]);
    const html = '\n<html><body>401 Unauthorized</body></html>';
    expect(() => parseSdp(html, 'rtsp://h/')).toThrow(RtspProtocolError);
    try {
      parseSdp(html, 'rtsp://h/');
    } catch (error) {
      expect((error as RtspProtocolError).position).toBe(1);
      expect((error as RtspProtocolError).message).toContain('<html>');
    }
    expect(() => parseSdp('', 'rtsp://h/')).toThrow(RtspProtocolError);
  });

  it('parses what serializeSdp (the embedded server) writes', () => {
    const text = serializeSdp({
      sessionId: '1',
      sessionVersion: '1',
      originAddress: '127.0.0.1',
      name: 'clip.mp4',
      control: '*',
      media: [
        {
          media: 'video',
          payloadType: 96,
          encoding: 'H264',
          clockRate: 90000,
          fmtp: { 'packetization-mode': '1' },
          control: 'trackID=0',
        },
        {
          media: 'audio',
          payloadType: 97,
          encoding: 'MPEG4-GENERIC',
          clockRate: 48000,
          channels: 2,
          fmtp: { config: '1190' },
          control: 'trackID=1',
        },
      ],
    });
    const sdp = parseSdp(text, 'rtsp://127.0.0.1:8554/clip.mp4/');
    expect(sdp.name).toBe('clip.mp4');
    expect(
      sdp.tracks.map((t) => [t.codec, t.payloadType, t.clockRate, t.channels, t.fmtp, t.control]),
    ).toEqual([
      [
        'h264',
        96,
        90000,
        undefined,
        { 'packetization-mode': '1' },
        'rtsp://127.0.0.1:8554/clip.mp4/trackID=0',
      ],
      [
        'mpeg4-generic',
        97,
        48000,
        2,
        { config: '1190' },
        'rtsp://127.0.0.1:8554/clip.mp4/trackID=1',
      ],
    ]);
  });

  it('the line ending style does not change the result (property)', () => {
    const names = [
      'hikvision.sdp',
      'dahua.sdp',
      'axis.sdp',
      'mediamtx.sdp',
      'gstreamer.sdp',
      'broken.sdp',
    ];
    fc.assert(
      fc.property(
        fc.constantFrom(...names),
        fc.constantFrom('\n', '\r', '\r\n', '\n\n'),
        (name, eol) => {
          const text = fixture(name);
          expect(parseSdp(text.replace(/\r\n/g, eol), 'rtsp://h/x/')).toEqual(
            parseSdp(text, 'rtsp://h/x/'),
          );
        },
      ),
      { numRuns: 30 },
    );
  });

  it('random and mutated text only ever yields a description or an RtspError (property)', () => {
    const seeds = ['hikvision.sdp', 'axis.sdp', 'broken.sdp'].map(fixture);
    const mutated = fc
      .tuple(
        fc.constantFrom(...seeds),
        fc.array(fc.tuple(fc.nat(), fc.string({ maxLength: 6 })), { maxLength: 8 }),
      )
      .map(([seed, edits]) =>
        edits.reduce(
          (text, [at, insert]) =>
            text.slice(0, at % (text.length + 1)) +
            insert +
            text.slice((at % (text.length + 1)) + 1),
          seed,
        ),
      );
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 200 }), mutated), (text) => {
        let sdp: SessionDescription;
        try {
          sdp = parseSdp(text, 'rtsp://h/x');
        } catch (error) {
          expect(error).toBeInstanceOf(RtspError);
          return;
        }
        for (const track of sdp.tracks) {
          expect(track.clockRate).toBeGreaterThan(0);
          // Absolute: resolved from the base, or the SDP's own absolute URL (any scheme).
          expect(track.control).toMatch(/^[a-z][a-z0-9+.-]*:\/\//i);
        }
      }),
      { numRuns: 300 },
    );
  });
});
