import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ErrorCodes, RtspError } from '../../../src/errors.js';
import { parseRtspUrl, redactText, redactUrl } from '../../../src/rtsp/url.js';

describe('parseRtspUrl', () => {
  it('splits credentials off and applies the default ports', () => {
    const parsed = parseRtspUrl(
      'rtsp://admin:12345@192.168.1.64/Streaming/Channels/101?transportmode=unicast',
    );
    expect(parsed).toMatchObject({
      username: 'admin',
      password: '12345',
      host: '192.168.1.64',
      port: 554,
      secure: false,
    });
    expect(parsed.url.href).toBe(
      'rtsp://192.168.1.64/Streaming/Channels/101?transportmode=unicast',
    );
    expect(parseRtspUrl('RTSPS://cam.local/x')).toMatchObject({
      host: 'cam.local',
      port: 322,
      secure: true,
      username: undefined,
      password: undefined,
    });
  });

  it('keeps an explicit port and strips IPv6 brackets from host', () => {
    const parsed = parseRtspUrl('rtsp://[::1]:8554/cam');
    expect(parsed.host).toBe('::1');
    expect(parsed.port).toBe(8554);
    expect(parsed.url.href).toBe('rtsp://[::1]:8554/cam');
  });

  it('percent-decodes credentials', () => {
    expect(parseRtspUrl('rtsp://a%40b:p%3Ass%2Fw%25rd@h/')).toMatchObject({
      username: 'a@b',
      password: 'p:ss/w%rd',
    });
    expect(parseRtspUrl('rtsp://u:%C3%A9t%C3%A9@h/').password).toBe('été');
  });

  it('tolerates an unencoded @ and a stray % in the password', () => {
    expect(parseRtspUrl('rtsp://admin:p@ss@word@10.0.0.2:554/live')).toMatchObject({
      password: 'p@ss@word',
      host: '10.0.0.2',
    });
    expect(parseRtspUrl('rtsp://admin:w%rd@h/').password).toBe('w%rd');
    expect(parseRtspUrl('rtsp://admin@h/')).toMatchObject({
      username: 'admin',
      password: undefined,
    });
    expect(parseRtspUrl('rtsp://:pw@h/')).toMatchObject({ username: '', password: 'pw' });
  });

  it.each([
    'http://cam/x',
    'rtsp:/cam',
    'rtsp://:554/x',
    'rtsp://u:secret@h:99999/',
    'rtsp://u:secret@h:0/',
    '',
  ])('rejects %j with a redacted message', (input) => {
    let error: unknown;
    try {
      parseRtspUrl(input);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(RtspError);
    expect((error as RtspError).code).toBe(ErrorCodes.ERR_RTSP_INVALID_ARGUMENT);
    expect((error as RtspError).message).not.toContain('secret');
  });

  it('throws nothing but RtspError on random input', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc.string().map((s) => `rtsp://${s}`),
        ),
        (input) => {
          try {
            const parsed = parseRtspUrl(input);
            expect(parsed.url.username).toBe('');
            expect(parsed.port).toBeGreaterThan(0);
          } catch (error) {
            expect(error).toBeInstanceOf(RtspError);
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('redactUrl / redactText', () => {
  it('replaces the password, keeps the user', () => {
    expect(redactUrl('rtsp://user:pass@host:554/path')).toBe('rtsp://user:***@host:554/path');
    expect(redactUrl('rtsp://admin:p@ss@word@10.0.0.2/live')).toBe(
      'rtsp://admin:***@10.0.0.2/live',
    );
    expect(redactUrl('rtsp://host/a@b')).toBe('rtsp://host/a@b');
    expect(redactUrl('not a url: at all')).toBe('not a url: at all');
  });

  it('redacts every URL with a password in free text', () => {
    expect(
      redactText('DESCRIBE rtsp://a:1@h/x failed, retrying "rtsps://b:c%40d@h2" and http://e:f@g/'),
    ).toBe('DESCRIBE rtsp://a:***@h/x failed, retrying "rtsps://b:***@h2" and http://e:***@g/');
  });

  it('never lets a parsed password through', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[A-Za-z0-9._@%:-]{1,20}$/), (password) => {
        const url = `rtsp://user:${password}@camera.local/stream`;
        const { password: parsed } = parseRtspUrl(url);
        expect(redactUrl(url)).toBe('rtsp://user:***@camera.local/stream');
        expect(parsed).toBeDefined();
      }),
      { numRuns: 200 },
    );
  });
});
