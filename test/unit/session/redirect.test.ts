import { describe, expect, it } from 'vitest';
import { RtspError } from '../../../src/errors.js';
import { parseRtspUrl } from '../../../src/rtsp/url.js';
import { MAX_REDIRECTS, followRedirect, isRedirect } from '../../../src/session/redirect.js';

const current = parseRtspUrl('rtsp://user:S3cr3t!@cam.example:554/live');

describe('redirect rules', () => {
  it('recognises the RFC 2326 redirect statuses', () => {
    expect([301, 302, 303, 305, 307].every(isRedirect)).toBe(true);
    expect([200, 300, 304, 401, 404].some(isRedirect)).toBe(false);
  });

  it('keeps credentials for the same scheme, host and port', () => {
    const next = followRedirect('DESCRIBE', 302, current, 'rtsp://cam.example:554/other', 0);
    expect(next.sameOrigin).toBe(true);
    expect(next.target.url.href).toBe('rtsp://cam.example:554/other');
  });

  it('resolves a relative Location against the current URL', () => {
    const next = followRedirect('DESCRIBE', 301, current, '/moved', 0);
    expect(next.target.url.href).toBe('rtsp://cam.example:554/moved');
    expect(next.sameOrigin).toBe(true);
  });

  it('marks another host or port as another origin (no credentials there)', () => {
    expect(
      followRedirect('DESCRIBE', 302, current, 'rtsp://other.example/live', 0).sameOrigin,
    ).toBe(false);
    expect(
      followRedirect('DESCRIBE', 302, current, 'rtsp://cam.example:8554/live', 0).sameOrigin,
    ).toBe(false);
  });

  it('refuses an rtsps to rtsp downgrade', () => {
    const secure = parseRtspUrl('rtsps://cam.example/live');
    expect(() => followRedirect('DESCRIBE', 302, secure, 'rtsp://cam.example/live', 0)).toThrow(
      /rtsps to rtsp/,
    );
    expect(
      followRedirect('DESCRIBE', 302, current, 'rtsps://cam.example/live', 0).target.secure,
    ).toBe(true);
  });

  it(`stops after ${MAX_REDIRECTS} hops`, () => {
    expect(() =>
      followRedirect('OPTIONS', 302, current, 'rtsp://cam.example/x', MAX_REDIRECTS),
    ).toThrow(/OPTIONS 302: more than 5 redirects/);
  });

  it('rejects a missing or unusable Location without leaking a password', () => {
    expect(() => followRedirect('DESCRIBE', 302, current, undefined, 0)).toThrow(
      /without a Location/,
    );
    let error: unknown;
    try {
      followRedirect('DESCRIBE', 302, current, 'http://u:S3cr3t!@host/x', 0);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(RtspError);
    expect((error as RtspError).message).not.toContain('S3cr3t!');
    expect((error as RtspError).method).toBe('DESCRIBE');
  });
});
