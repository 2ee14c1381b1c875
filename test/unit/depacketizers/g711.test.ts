import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { G711Depacketizer } from '../../../src/depacketizers/g711.js';
import { packetizeG711 } from '../../../src/packetizers/g711.js';
import type { Track } from '../../../src/sdp/track.js';
import { depacketize, mediaPacket, track } from './media-packets.js';

const g711Track = (fields: Partial<Track> & Pick<Track, 'codec'>): Track =>
  track({ clockRate: 8000, channels: 1, payloadType: 8, ...fields });

describe('G711Depacketizer', () => {
  it('makes each packet a frame: one sample per byte per channel', () => {
    const frames = depacketize(new G711Depacketizer(g711Track({ codec: 'pcma' })), [
      mediaPacket(new Uint8Array(160), { timestamp: 320 }),
    ]);
    expect(frames).toEqual([
      expect.objectContaining({
        kind: 'audio',
        codec: 'pcma',
        timestamp: 320,
        sampleRate: 8000,
        channels: 1,
        sampleCount: 160,
        discontinuity: false,
      }),
    ]);
  });

  it('names the codec from the static payload type when rtpmap is absent (RFC 3551 table 4)', () => {
    expect(new G711Depacketizer(g711Track({ codec: '', payloadType: 0 })).codec).toBe('pcmu');
    expect(new G711Depacketizer(g711Track({ codec: '', payloadType: 8 })).codec).toBe('pcma');
    expect(G711Depacketizer.validate(g711Track({ codec: 'opus', payloadType: 111 }))).toMatch(
      /not G.711/,
    );
  });

  it('counts samples per channel for stereo, and rejects a torn sample or an empty packet', () => {
    const depacketizer = new G711Depacketizer(g711Track({ codec: 'pcmu', channels: 2 }));
    const frames = depacketize(depacketizer, [
      mediaPacket(new Uint8Array(320)),
      mediaPacket(new Uint8Array(3)),
      mediaPacket(new Uint8Array(0)),
    ]);
    expect(frames.map((f) => [f.sampleCount, f.channels])).toEqual([[160, 2]]);
    expect(depacketizer.stats.packetsInvalid).toBe(2);
  });

  it('flags the frame after a loss as a discontinuity', () => {
    const frames = depacketize(new G711Depacketizer(g711Track({ codec: 'pcma' })), [
      mediaPacket(Uint8Array.of(1)),
      mediaPacket(Uint8Array.of(2), { lost: 3 }),
      mediaPacket(Uint8Array.of(3)),
    ]);
    expect(frames.map((f) => f.discontinuity)).toEqual([false, true, false]);
  });

  it('packetized audio comes back byte for byte with its timestamps', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 1, maxLength: 2000 }),
        fc.integer({ min: 1, max: 400 }),
        (encoded, perPacket) => {
          const depacketizer = new G711Depacketizer(g711Track({ codec: 'pcma' }));
          const packets = packetizeG711(encoded, perPacket).map((p, i) =>
            mediaPacket(p.payload, { timestamp: i * perPacket }),
          );
          const frames = depacketize(depacketizer, packets);
          expect(Buffer.concat(frames.map((f) => f.data)).equals(Buffer.from(encoded))).toBe(true);
          expect(frames.map((f) => f.timestamp)).toEqual(packets.map((p) => p.timestamp));
        },
      ),
      { numRuns: 100 },
    );
  });
});
