import { describe, expect, it } from 'vitest';
import { ErrorCodes } from '../../../src/errors.js';
import { defaultRtspLimits, resolveLimits } from '../../../src/rtsp/limits.js';

describe('RTSP limits', () => {
  it('has the documented defaults, frozen', () => {
    expect(defaultRtspLimits).toEqual({
      maxStartLineBytes: 4096,
      maxHeaderLineBytes: 8192,
      maxHeaderCount: 255,
      maxHeadBytes: 65536,
      maxBodyBytes: 131072,
    });
    expect(Object.isFrozen(defaultRtspLimits)).toBe(true);
  });

  it('overrides only the limits given', () => {
    expect(resolveLimits({ maxBodyBytes: 10, maxHeaderCount: undefined })).toEqual({
      ...defaultRtspLimits,
      maxBodyBytes: 10,
    });
  });

  it.each([0, -1, 1.5, Number.NaN])('rejects %d', (value) => {
    expect(() => resolveLimits({ maxHeadBytes: value })).toThrow(
      expect.objectContaining({ code: ErrorCodes.ERR_RTSP_INVALID_ARGUMENT }),
    );
  });
});
