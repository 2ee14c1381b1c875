import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { parseRtcpCompound } from '../../../src/rtp/rtcp.js';
import {
  mediaSource,
  type MediaSample,
  type MediaTrack,
} from '../../../src/server/media/media-source.js';
import type { RtpHeaderFields } from '../../../src/rtp/packet.js';
import type { TrackOutput } from '../../../src/server/rtp-output.js';
import { StreamPlayer, type PlayerOptions } from '../../../src/server/stream-player.js';

/** Video: 10 frames at 25 fps (keyframes at 0 and 200 ms), each in 2 packets. Audio: 20 packets of 20 ms at 8 kHz. */
function track(
  media: 'video' | 'audio',
  count: number,
  stepMs: number,
  clockRate: number,
  keyEvery: number,
  packets: number,
): MediaTrack {
  const samples: MediaSample[] = Array.from({ length: count }, (_, i) => ({
    timestamp: (i * stepMs * clockRate) / 1000,
    sendTimeMs: i * stepMs,
    keyframe: i % keyEvery === 0,
    payloads: Array.from({ length: packets }, (_, p) => ({
      payload: Uint8Array.of(i, p),
      marker: p === packets - 1,
    })),
  }));
  return {
    media,
    format: { payloadType: media === 'video' ? 96 : 8, encoding: 'X', clockRate },
    samples,
    durationMs: count * stepMs,
  };
}

const video = track('video', 10, 40, 90000, 5, 2);
const audio = track('audio', 20, 20, 8000, 1, 1);
const source = mediaSource([video, audio]);

class RecordingOutput implements TrackOutput {
  rtp: (RtpHeaderFields & { payload: Uint8Array; at: number })[] = [];
  rtcp: Uint8Array[] = [];
  sendRtp(header: RtpHeaderFields, payload: Uint8Array): boolean {
    this.rtp.push({ ...header, payload, at: Date.now() });
    return true;
  }
  sendRtcp(packet: Uint8Array): void {
    this.rtcp.push(packet);
  }
  close(): void {}
}

function start(options: Partial<PlayerOptions> = {}) {
  const outputs = [new RecordingOutput(), new RecordingOutput()];
  const onEnded = vi.fn();
  const player = new StreamPlayer(
    source,
    [
      { track: video, output: outputs[0]!, ssrc: 0x11111111 },
      { track: audio, output: outputs[1]!, ssrc: 0x22222222 },
    ],
    {
      playCount: 1,
      cname: 'test',
      onEnded,
      clock: { now: () => Date.now(), wallNow: () => Date.now() },
      ...options,
    },
  );
  return { player, video: outputs[0]!, audio: outputs[1]!, onEnded };
}

const seqDiff = (a: number, b: number): number => (b - a + 0x10000) % 0x10000;
const rtcpTypes = (out: RecordingOutput): number[][] =>
  out.rtcp.map((p) => parseRtcpCompound(p).packets.map((packet) => packet.packetType));

beforeEach(() => {
  vi.useFakeTimers({ now: 1_000_000 });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('StreamPlayer', () => {
  it('sends each sample when its time comes, all tracks on one clock', () => {
    const { player, video: v, audio: a } = start();
    const started = player.play();
    vi.advanceTimersByTime(0);
    expect(v.rtp).toHaveLength(2);
    expect(a.rtp).toHaveLength(1);
    vi.advanceTimersByTime(100);
    // Video frames at 0, 40, 80 ms; audio packets at 0..100 ms.
    expect(v.rtp).toHaveLength(6);
    expect(a.rtp).toHaveLength(6);
    expect(v.rtp[0]).toMatchObject({
      sequenceNumber: started.tracks[0]!.seq,
      timestamp: started.tracks[0]!.rtptime,
      marker: false,
    });
    expect(v.rtp[1]?.marker).toBe(true);
    expect(v.rtp[2]!.timestamp - v.rtp[0]!.timestamp).toBe(3600);
    expect(a.rtp[1]!.timestamp - a.rtp[0]!.timestamp).toBe(160);
    expect(a.rtp.map((p) => p.at - 1_000_000)).toEqual([0, 20, 40, 60, 80, 100]);
  });

  it('numbers packets without gaps and ends with a sender report and BYE on every track', () => {
    const { player, video: v, audio: a, onEnded } = start();
    player.play();
    vi.advanceTimersByTime(1000);
    expect(v.rtp).toHaveLength(20);
    expect(a.rtp).toHaveLength(20);
    for (const out of [v, a])
      out.rtp.forEach((p, i) =>
        expect(seqDiff(out.rtp[0]!.sequenceNumber, p.sequenceNumber)).toBe(i),
      );
    expect(onEnded).toHaveBeenCalledTimes(1);
    expect(player.state).toBe('ended');
    expect(rtcpTypes(v).at(-1)).toEqual([200, 202, 203]);
    expect(rtcpTypes(a).at(-1)).toEqual([200, 202, 203]);
  });

  it('sends the BYE 100 ms after the last packet, so UDP clients read the last frame first', () => {
    const { player, audio: a, onEnded } = start();
    player.play();
    vi.advanceTimersByTime(380 + 99);
    expect(a.rtp).toHaveLength(20);
    expect(onEnded).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(onEnded).toHaveBeenCalledTimes(1);
    expect(rtcpTypes(a).at(-1)).toEqual([200, 202, 203]);
  });

  it('loops play_count times with continuous sequence numbers and timestamps', () => {
    const { player, video: v, onEnded } = start({ playCount: 3 });
    player.play();
    vi.advanceTimersByTime(2000);
    expect(v.rtp).toHaveLength(60);
    v.rtp.forEach((p, i) => expect(seqDiff(v.rtp[0]!.sequenceNumber, p.sequenceNumber)).toBe(i));
    const frameTimes = v.rtp
      .filter((_, i) => i % 2 === 0)
      .map((p) => (p.timestamp - v.rtp[0]!.timestamp + 2 ** 32) % 2 ** 32);
    expect(frameTimes).toEqual(Array.from({ length: 30 }, (_, i) => i * 3600));
    expect(onEnded).toHaveBeenCalledTimes(1);
  });

  it('loops forever with play_count 0', () => {
    const { player, audio: a, onEnded } = start({ playCount: 0 });
    player.play();
    vi.advanceTimersByTime(5000);
    expect(a.rtp.length).toBeGreaterThanOrEqual(250);
    expect(onEnded).not.toHaveBeenCalled();
    player.stop();
  });

  it('PAUSE stops media; PLAY resumes where it left off', () => {
    const { player, video: v, audio: a } = start();
    player.play();
    vi.advanceTimersByTime(90);
    player.pause();
    const sent = a.rtp.length;
    vi.advanceTimersByTime(5000);
    expect(a.rtp).toHaveLength(sent);
    const resumed = player.play();
    expect(resumed.positionMs).toBe(90);
    expect(resumed.tracks[1]!.seq).toBe((a.rtp.at(-1)!.sequenceNumber + 1) % 0x10000);
    // The next audio packet (100 ms) is due 10 ms after the resume point.
    vi.advanceTimersByTime(10);
    expect(a.rtp[sent]!.timestamp - a.rtp[sent - 1]!.timestamp).toBe(160);
    expect(a.rtp[sent]!.at - 1_000_000).toBe(5100);
    vi.advanceTimersByTime(1000);
    expect(v.rtp).toHaveLength(20);
  });

  it('seeks to the keyframe at or before a Range start, audio following the video', () => {
    const { player, video: v, audio: a } = start();
    const started = player.play(300);
    expect(started.positionMs).toBe(200);
    vi.advanceTimersByTime(0);
    expect(v.rtp[0]!.payload[0]).toBe(5);
    expect(a.rtp[0]!.payload[0]).toBe(10);
  });

  it('a PLAY with Range while playing restarts the clock at the new position', () => {
    const { player, video: v } = start();
    player.play();
    vi.advanceTimersByTime(500);
    const again = player.play(0);
    expect(again.positionMs).toBe(0);
    const before = v.rtp.length;
    vi.advanceTimersByTime(0);
    expect(v.rtp[before]?.payload[0]).toBe(0);
    expect(v.rtp.length - before).toBe(2);
  });

  it('pairs wall clock and RTP time in sender reports about once a second', () => {
    const { player, audio: a } = start({ playCount: 0 });
    player.play();
    vi.advanceTimersByTime(3100);
    const reports = a.rtcp
      .map((p) => parseRtcpCompound(p).packets[0])
      .filter((p) => p?.kind === 'sr');
    expect(reports.length).toBeGreaterThanOrEqual(4);
    const first = reports[0]!;
    const last = reports.at(-1)!;
    if (first.kind !== 'sr' || last.kind !== 'sr') throw new Error('not SRs');
    expect(last.ntpTime - first.ntpTime).toBeCloseTo(3000, -1);
    expect((last.rtpTimestamp - first.rtpTimestamp + 2 ** 32) % 2 ** 32).toBe(24000);
    // The last report went out at 3000 ms, after that instant's packet.
    expect(last.packetCount).toBe(a.rtp.filter((p) => p.at - 1_000_000 <= 3000).length);
    expect(last.octetCount).toBe(2 * last.packetCount);
    player.stop();
  });
});
