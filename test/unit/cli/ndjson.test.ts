import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { eventLine } from '../../../src/cli/ndjson.js';
import type { RtspEvent } from '../../../src/events/types.js';
import { RtspResponseError } from '../../../src/errors.js';

const rtpEvent = fc.record({
  type: fc.constant('rtp' as const),
  sessionElapsedMs: fc.double({ min: 0, max: 1e7, noNaN: true }),
  track: fc.nat(8),
  media: fc.constantFrom('video' as const, 'audio' as const),
  sequenceNumber: fc.nat(0xffff),
  timestamp: fc.nat(),
  marker: fc.boolean(),
  payloadType: fc.nat(127),
  ssrc: fc.nat(),
  payload: fc.uint8Array({ maxLength: 300 }),
  receivedAt: fc.nat(),
});

describe('NDJSON event lines', () => {
  it('are one line of JSON whose binary field is the byte length, or base64 with --with-data', () => {
    fc.assert(
      fc.property(rtpEvent, fc.boolean(), (event, withData) => {
        const line = eventLine(event, withData);
        expect(line.indexOf('\n')).toBe(line.length - 1);
        const parsed = JSON.parse(line) as Record<string, unknown>;
        expect(parsed.payload).toEqual(
          withData ? Buffer.from(event.payload).toString('base64') : event.payload.length,
        );
        expect({ ...parsed, payload: event.payload }).toEqual({ ...event, payload: event.payload });
      }),
      { numRuns: 200 },
    );
  });

  it('keep an error’s code, status and step, with URLs redacted', () => {
    const error = new RtspResponseError('DESCRIBE', 401, 'Unauthorized', {
      phase: 'DESCRIBE',
      cseq: 2,
    });
    const event: RtspEvent = {
      type: 'closed',
      reason: 'error',
      error,
      timings: { methods: {} },
      sessionElapsedMs: 5,
    };
    expect(JSON.parse(eventLine(event, false))).toEqual({
      type: 'closed',
      reason: 'error',
      timings: { methods: {} },
      sessionElapsedMs: 5,
      error: {
        name: 'RtspResponseError',
        code: 'ERR_RTSP_RESPONSE',
        message: 'DESCRIBE 401 Unauthorized',
        phase: 'DESCRIBE',
        method: 'DESCRIBE',
        cseq: 2,
        status: 401,
        reason: 'Unauthorized',
      },
    });
  });
});
