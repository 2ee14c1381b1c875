import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { resolveControl, sdpBaseUrl, withoutCredentials } from '../../../src/sdp/control-url.js';

describe('sdpBaseUrl', () => {
  const request = 'rtsp://admin:p%40ss@192.0.2.1:554/live/main';

  it('prefers Content-Base, then Content-Location, then the request URL', () => {
    expect(sdpBaseUrl(request, 'rtsp://192.0.2.1:554/live/main/', 'rtsp://192.0.2.1/other/')).toBe(
      'rtsp://192.0.2.1:554/live/main/',
    );
    expect(sdpBaseUrl(request, undefined, 'rtsp://192.0.2.1/other/')).toBe(
      'rtsp://192.0.2.1/other/',
    );
    expect(sdpBaseUrl(request, '  ', '')).toBe('rtsp://192.0.2.1:554/live/main');
  });

  it('never returns credentials, also when the camera echoes them', () => {
    expect(sdpBaseUrl(request)).not.toContain('admin');
    expect(sdpBaseUrl(request, 'rtsp://admin:12345@192.0.2.1/live/')).toBe(
      'rtsp://192.0.2.1/live/',
    );
    expect(sdpBaseUrl('rtsp://u:p@ss@h/x')).toBe('rtsp://h/x');
  });

  it('repairs a Content-Base without a scheme from the request URL', () => {
    expect(sdpBaseUrl(request, '192.0.2.1:554/live/')).toBe('rtsp://192.0.2.1:554/live/');
    expect(sdpBaseUrl(request, '//192.0.2.9/live/')).toBe('rtsp://192.0.2.9/live/');
    expect(sdpBaseUrl(request, '/live/sub/')).toBe('rtsp://192.0.2.1:554/live/sub/');
    expect(sdpBaseUrl(request, 'cam.example/live/')).toBe('rtsp://cam.example/live/');
    expect(sdpBaseUrl('rtsps://h:322/a/b', '[2001:db8::1]:322/a/')).toBe(
      'rtsps://[2001:db8::1]:322/a/',
    );
  });

  it('resolves a relative Content-Location against the request path (RFC 3986 §5.2)', () => {
    expect(sdpBaseUrl(request, undefined, 'sub/')).toBe('rtsp://192.0.2.1:554/live/sub/');
  });
});

describe('resolveControl', () => {
  it.each([
    // [camera, base, control, expected]
    ['absolute', 'rtsp://h/live/', 'rtsp://h/live/trackID=1', 'rtsp://h/live/trackID=1'],
    ['aggregate *', 'rtsp://h/live', '*', 'rtsp://h/live'],
    ['missing', 'rtsp://h/live', undefined, 'rtsp://h/live'],
    ['empty', 'rtsp://h/live', ' ', 'rtsp://h/live'],
    [
      'Hikvision',
      'rtsp://192.168.1.64:554/Streaming/Channels/101/',
      'trackID=1',
      'rtsp://192.168.1.64:554/Streaming/Channels/101/trackID=1',
    ],
    [
      'Hikvision without trailing /',
      'rtsp://192.168.1.64/Streaming/Channels/101',
      'trackID=1',
      'rtsp://192.168.1.64/Streaming/Channels/101/trackID=1',
    ],
    [
      'Dahua Content-Base (query ending in /)',
      'rtsp://h/cam/realmonitor?channel=1&subtype=0/',
      'trackID=0',
      'rtsp://h/cam/realmonitor?channel=1&subtype=0/trackID=0',
    ],
    [
      'Dahua request URL (query kept after the path)',
      'rtsp://h/cam/realmonitor?channel=1&subtype=0',
      'trackID=0',
      'rtsp://h/cam/realmonitor/trackID=0?channel=1&subtype=0',
    ],
    [
      'query rule of the brief',
      'rtsp://h/cam?channel=1',
      'trackID=0',
      'rtsp://h/cam/trackID=0?channel=1',
    ],
    [
      'Axis absolute with query',
      'rtsp://h/axis-media/media.amp?videocodec=h264',
      'rtsp://h/axis-media/media.amp/stream=0?videocodec=h264',
      'rtsp://h/axis-media/media.amp/stream=0?videocodec=h264',
    ],
    [
      'Axis relative',
      'rtsp://h/axis-media/media.amp?videocodec=h264',
      'stream=0',
      'rtsp://h/axis-media/media.amp/stream=0?videocodec=h264',
    ],
    ['GStreamer', 'rtsp://127.0.0.1:8554/test', 'stream=0', 'rtsp://127.0.0.1:8554/test/stream=0'],
    [
      'mediamtx',
      'rtsp://127.0.0.1:8554/mystream/',
      'trackID=0',
      'rtsp://127.0.0.1:8554/mystream/trackID=0',
    ],
    ['leading / appended', 'rtsp://h/live', '/trackID=1', 'rtsp://h/live/trackID=1'],
    ['leading / as absolute path', 'rtsp://h/live', '/live/trackID=1', 'rtsp://h/live/trackID=1'],
    ['leading / on a bare host', 'rtsp://h:554', '/trackID=1', 'rtsp://h:554/trackID=1'],
    ['relative on a bare host', 'rtsp://h:554', 'trackID=1', 'rtsp://h:554/trackID=1'],
    ['control with its own query', 'rtsp://h/media?a=1', 'track1?b=2', 'rtsp://h/media/track1?b=2'],
    [
      'query-only control',
      'rtsp://h/media/video1',
      '?ctype=video',
      'rtsp://h/media/video1?ctype=video',
    ],
    [
      'query-only control on a query',
      'rtsp://h/media?a=1',
      '?ctype=video',
      'rtsp://h/media?a=1&ctype=video',
    ],
    [
      'credentials in the control',
      'rtsp://h/live/',
      'rtsp://admin:12345@h/live/trackID=1',
      'rtsp://h/live/trackID=1',
    ],
    [
      'credentials in the base',
      'rtsp://admin:12345@h/live/',
      'trackID=1',
      'rtsp://h/live/trackID=1',
    ],
    ['fragment dropped', 'rtsp://h/live#x', 'trackID=1', 'rtsp://h/live/trackID=1'],
  ])('%s', (_camera, base, control, expected) => {
    expect(resolveControl(base, control)).toBe(expected);
  });

  it('never returns credentials and always returns an absolute URL (property)', () => {
    const segment = fc.stringMatching(/^[a-zA-Z0-9=._-]{1,8}$/);
    fc.assert(
      fc.property(
        fc.array(segment, { maxLength: 3 }),
        fc.option(fc.stringMatching(/^[a-z]=[0-9]{1,3}$/), { nil: undefined }),
        fc.oneof(
          segment,
          segment.map((s) => `/${s}`),
          fc.constant('*'),
        ),
        (path, query, control) => {
          const base = `rtsp://user:secret@h:554/${path.join('/')}${query === undefined ? '' : `?${query}`}`;
          const url = resolveControl(base, control);
          expect(url.startsWith('rtsp://h:554/')).toBe(true);
          expect(url).not.toContain('secret');
          expect(url).not.toContain('//h:554//');
          if (query !== undefined) expect(url).toContain(`?${query}`);
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('withoutCredentials', () => {
  it('leaves strings that are not URLs alone', () => {
    expect(withoutCredentials('trackID=1')).toBe('trackID=1');
    expect(withoutCredentials('rtsp://a:b@h/x?y=1#z')).toBe('rtsp://h/x?y=1');
  });
});
