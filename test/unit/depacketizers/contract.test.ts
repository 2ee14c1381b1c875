/**
 * The Depacketizer contract, checked the same way for every codec the registry
 * knows: `stats.frames` counts what `pull()` returned, `reset()` forgets frames
 * not yet pulled and flags the next one, and loss flags the next frame.
 */
import { describe, expect, it } from 'vitest';
import type { Depacketizer } from '../../../src/depacketizers/depacketizer.js';
import { createDepacketizer } from '../../../src/depacketizers/registry.js';
import type { Track } from '../../../src/sdp/track.js';
import { depacketize, mediaPacket, track } from './media-packets.js';

interface CodecCase {
  name: string;
  track: Track;
  /** One RTP payload that is a whole frame by itself (marker set). */
  frame: Uint8Array;
  /** RTP ticks between frames. */
  ticks: number;
}

const video = (codec: string): Partial<Track> & Pick<Track, 'codec' | 'clockRate'> => ({
  codec,
  clockRate: 90000,
  media: 'video',
});

const CASES: CodecCase[] = [
  {
    name: 'H.264 IDR slice',
    track: track(video('h264')),
    frame: Uint8Array.of(0x65, 0x88),
    ticks: 3000,
  },
  {
    name: 'H.265 IDR_W_RADL slice',
    track: track(video('h265')),
    frame: Uint8Array.of(19 << 1, 0x01, 0xaf),
    ticks: 3000,
  },
  {
    name: 'RTP/JPEG type 1, Q 50, 16x16',
    track: track({ ...video('jpeg'), payloadType: 26 }),
    frame: Uint8Array.of(0, 0, 0, 0, 1, 50, 2, 2, 0x12, 0x34),
    ticks: 3000,
  },
  {
    name: 'mpeg4-generic AAC-hbr',
    track: track({
      codec: 'mpeg4-generic',
      clockRate: 48000,
      fmtp: { config: '1190', sizelength: '13', indexlength: '3', indexdeltalength: '3' },
    }),
    frame: Uint8Array.of(0x00, 0x10, 0x00, 0x10, 0xaa, 0xbb),
    ticks: 1024,
  },
  {
    name: 'MP4A-LATM',
    track: track({
      codec: 'mp4a-latm',
      clockRate: 48000,
      fmtp: { cpresent: '0', config: '400023203fc0' },
    }),
    frame: Uint8Array.of(2, 0xaa, 0xbb),
    ticks: 1024,
  },
  {
    name: 'PCMA',
    track: track({ codec: 'pcma', clockRate: 8000, payloadType: 8 }),
    frame: Uint8Array.of(1, 2, 3),
    ticks: 3,
  },
];

function create(codec: CodecCase): Depacketizer {
  const created = createDepacketizer(codec.track);
  if (!created.ok) throw new Error(`${codec.name}: ${created.reason}`);
  return created.depacketizer;
}

describe.each(CASES)('Depacketizer contract: $name', (codec) => {
  const framePacket = (index: number, lost = 0) =>
    mediaPacket(codec.frame, { timestamp: index * codec.ticks, lost });

  it('counts in stats.frames only what pull() returned', () => {
    const d = create(codec);
    d.push(framePacket(0));
    d.push(framePacket(1));
    // Each payload carries the marker, so both frames are complete and waiting.
    expect(d.stats.frames).toBe(0);
    expect(d.pull()?.timestamp).toBe(0);
    expect(d.stats.frames).toBe(1);
  });

  it('reset() forgets frames not yet pulled and flags the next frame', () => {
    const d = create(codec);
    d.push(framePacket(0));
    d.reset();
    expect(d.pull()).toBeUndefined();
    const frames = depacketize(d, [framePacket(1), framePacket(2)]);
    expect(frames.map((f) => [f.timestamp, f.discontinuity])).toEqual([
      [codec.ticks, true],
      [2 * codec.ticks, false],
    ]);
    expect(d.stats).toMatchObject({ frames: 2, packetsInvalid: 0 });
  });

  it('flags the first frame after reported loss, and only that one', () => {
    const d = create(codec);
    const frames = depacketize(d, [framePacket(0), framePacket(2, 1), framePacket(3)]);
    expect(frames.map((f) => f.discontinuity)).toEqual([false, true, false]);
  });
});
