import { describe, expect, it } from 'vitest';
import type { QuirkEvent } from '../../../src/events/types.js';
import { silentLogger } from '../../../src/logger.js';
import { QuirkReporter } from '../../../src/session/quirk-reporter.js';
import { DEFAULT_QUIRKS, resolveQuirks } from '../../../src/session/quirks.js';

describe('resolveQuirks', () => {
  it('gives the safe defaults when nothing is set', () => {
    expect(resolveQuirks(undefined)).toEqual(DEFAULT_QUIRKS);
    expect(DEFAULT_QUIRKS).toMatchObject({
      teardownOnClose: true,
      ignoreZeroRtpInfoSeq: true,
      ignoreRtpInfo: false,
      keepaliveMethod: 'auto',
      useFirstKeyframe: true,
    });
  });

  it('overrides only the policies given (undefined keeps the default)', () => {
    const resolved = resolveQuirks({
      teardownOnClose: false,
      keepaliveMethod: 'OPTIONS',
      ignoreRtpInfo: undefined,
    });
    expect(resolved).toEqual({
      ...DEFAULT_QUIRKS,
      teardownOnClose: false,
      keepaliveMethod: 'OPTIONS',
    });
  });

  it('names the option and what it expected when a value is wrong', () => {
    expect(() => resolveQuirks('yes')).toThrow('invalid option quirks.object: expected an object');
    expect(() => resolveQuirks({ useFirstKeyframe: 1 })).toThrow(
      'invalid option quirks.useFirstKeyframe: expected a boolean',
    );
    expect(() => resolveQuirks({ keepaliveMethod: 'PING' })).toThrow(
      'invalid option quirks.keepaliveMethod: expected one of auto, GET_PARAMETER, OPTIONS',
    );
    expect(() => resolveQuirks({ toString: true })).toThrow(/quirks.toString: unknown quirk/);
  });
});

describe('QuirkReporter', () => {
  it('emits one event per quirk, the first time it applies', () => {
    const events: QuirkEvent[] = [];
    let now = 5;
    const reporter = new QuirkReporter(
      (event) => events.push(event),
      () => now,
      silentLogger,
    );
    expect(reporter.report('splitOnTimestampChange', 'first')).toBe(true);
    now = 9;
    expect(reporter.report('splitOnTimestampChange', 'second')).toBe(false);
    expect(reporter.report('udp-fallback', 'silence')).toBe(true);
    expect(events).toEqual([
      { type: 'quirk', sessionElapsedMs: 5, quirk: 'splitOnTimestampChange', detail: 'first' },
      { type: 'quirk', sessionElapsedMs: 9, quirk: 'udp-fallback', detail: 'silence' },
    ]);
  });
});
