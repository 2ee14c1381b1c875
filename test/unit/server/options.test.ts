import { describe, expect, it } from 'vitest';
import { ErrorCodes } from '../../../src/errors.js';
import { resolveServeOptions } from '../../../src/server/options.js';

describe('resolveServeOptions', () => {
  it('applies the documented defaults', () => {
    expect(resolveServeOptions()).toMatchObject({
      host: '127.0.0.1',
      port: 8554,
      mtu: 1400,
      sessionTimeoutSec: 60,
      auth: undefined,
      clientBufferBytes: 262144,
    });
  });

  it.each([{ mtu: 100 }, { mtu: 1400.5 }, { port: 70000 }, { port: -1 }, { sessionTimeoutSec: 0 }])(
    'rejects %o naming the option',
    (options) => {
      expect(() => resolveServeOptions(options)).toThrow(
        expect.objectContaining({
          code: ErrorCodes.ERR_RTSP_INVALID_ARGUMENT,
          message: expect.stringContaining(Object.keys(options)[0]!),
        }),
      );
    },
  );
});
