import { describe, expect, it } from 'vitest';
import { SenderClock } from '../../../src/rtp/sender-clock.js';
import { TimestampUnwrapper } from '../../../src/rtp/timestamp-unwrapper.js';

describe('SenderClock', () => {
  it('knows nothing before a sender report', () => {
    expect(new SenderClock(90000).toEpochMs(123)).toBeUndefined();
  });

  it('maps RTP time to wall time from the SR anchor', () => {
    const timeline = new TimestampUnwrapper();
    const clock = new SenderClock(90000);
    timeline.unwrap(900_000);
    clock.onSenderReport(900_000, 1_700_000_000_000, timeline);
    expect(clock.toEpochMs(900_000 + 90_000)).toBe(1_700_000_001_000);
    expect(clock.toEpochMs(900_000 - 45_000)).toBe(1_699_999_999_500);
  });

  it('handles the 32-bit wrap between the SR and the packets on either side', () => {
    const timeline = new TimestampUnwrapper();
    const clock = new SenderClock(8000);
    timeline.unwrap(0xffffff00); // packets just before the wrap
    clock.onSenderReport(0x00000100, 1_000_000, timeline); // SR just after it
    expect(clock.toEpochMs(2 ** 32 + 0x100)).toBe(1_000_000);
    expect(clock.toEpochMs(timeline.unwrap(0xffffff00))).toBe(1_000_000 - (0x200 * 1000) / 8000);
    expect(clock.toEpochMs(timeline.unwrap(0x00000100 + 8000))).toBe(1_001_000);
  });

  it('forgets its anchor on reset', () => {
    const clock = new SenderClock(90000);
    clock.onSenderReport(0, 5, new TimestampUnwrapper());
    clock.reset();
    expect(clock.toEpochMs(0)).toBeUndefined();
  });
});
