import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { Progress } from '../../../src/cli/progress.js';
import { videoFrames } from '../writers/fixture-frames.js';
import { fakeEvents, track } from './fake-session.js';

describe('TTY progress line', () => {
  it('redraws elapsed, frames, fps, bitrate and loss in place, at most twice a second, and clears at the end', () => {
    let text = '';
    const stderr = new Writable({
      write(chunk: Buffer, _encoding, done) {
        text += chunk.toString();
        done();
      },
    });
    let now = 0;
    const progress = new Progress(stderr, 0, () => now);
    const events = fakeEvents({
      tracks: [track(0, 'video', 'h264', 90000)],
      video: videoFrames('h264-720p.mp4', 'h264').slice(0, 50),
    });
    for (const event of events) {
      now += 30;
      progress.observe(event);
    }
    now += 500; // the next event after the stats redraws with its numbers
    progress.observe(events.at(-1)!);
    progress.finish();
    const draws = text.split('\r\x1b[2K').filter(Boolean);
    expect(draws.length).toBeLessThanOrEqual(Math.ceil((events.length * 30 + 500) / 500) + 1);
    // Numbers from the stats event: fps 25, 1 Mbit/s, 2 lost of 102 packets.
    expect(draws.at(-1)).toMatch(
      /^[\d.]+ s {2}50 frames {2}25\.0 fps {2}1\.00 Mbit\/s {2}loss 1\.96%$/,
    );
    expect(text.endsWith('\r\x1b[2K')).toBe(true);
  });
});
