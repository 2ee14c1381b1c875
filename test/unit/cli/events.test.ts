import { once } from 'node:events';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { RtspConnectionError } from '../../../src/errors.js';
import { aacFrames, videoFrames } from '../writers/fixture-frames.js';
import { fakeEvents, runWith, track } from './fake-session.js';

const tracks = [
  track(0, 'video', 'h264', 90000),
  track(1, 'audio', 'mpeg4-generic', 44100, { config: '1208' }),
];
const video = videoFrames('h264-aac.mp4', 'h264').slice(0, 30);
const audio = aacFrames('h264-aac.mp4').frames.slice(0, 50);
const events = fakeEvents({ tracks, video, audio });

function lines(stdout: string): Record<string, unknown>[] {
  expect(stdout.endsWith('\n')).toBe(true);
  return stdout
    .trimEnd()
    .split('\n')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe('rtspkit events', () => {
  it('prints one JSON line per event with the library field names and byte lengths for binary', async () => {
    const run = await runWith(['events', 'rtsp://cam/x'], events);
    expect(run.code).toBe(0);
    const out = lines(run.stdout);
    expect(out.map((e) => e.type)).toEqual(events.map((e) => e.type));
    const rtp = out.find((e) => e.type === 'rtp')!;
    const rtpEvent = events.find((e) => e.type === 'rtp')!;
    expect(Object.keys(rtp).sort()).toEqual(Object.keys(rtpEvent).sort());
    expect(rtp.payload).toBe(rtpEvent.payload.length);
    const videoLine = out.find((e) => e.type === 'video') as { frame: Record<string, unknown> };
    expect(videoLine.frame).toMatchObject({
      codec: 'h264',
      data: video[0]!.data.length,
      keyframe: true,
      timestamp: video[0]!.timestamp,
    });
    const describe = out.find((e) => e.method === 'DESCRIBE') as { tracks: unknown[] };
    expect(describe.tracks).toEqual(tracks);
  });

  it('--with-data gives binary fields as base64', async () => {
    const run = await runWith(['events', 'rtsp://cam/x', '--with-data'], events);
    const videoLine = lines(run.stdout).find((e) => e.type === 'video') as {
      frame: { data: string };
    };
    expect(Buffer.from(videoLine.frame.data, 'base64').equals(Buffer.from(video[0]!.data))).toBe(
      true,
    );
  });

  it('--frames N stops after N video frames and closes the session', async () => {
    const run = await runWith(['events', 'rtsp://cam/x', '--frames', '5'], events);
    const out = lines(run.stdout);
    expect(out.filter((e) => e.type === 'video')).toHaveLength(5);
    expect(out.at(-1)!.type).toBe('video');
    expect(run.source?.closed).toBe(true);
  });

  it('--frames counts audio frames with --no-video', async () => {
    const run = await runWith(['events', 'rtsp://cam/x', '--frames', '3', '--no-video'], events);
    expect(lines(run.stdout).filter((e) => e.type === 'audio')).toHaveLength(3);
    expect(run.flags).toMatchObject({ video: false, audio: true });
  });

  it('serialises a closed error with its code and step', async () => {
    const closing = fakeEvents({
      tracks,
      closed: {
        reason: 'error',
        error: new RtspConnectionError('connection reset by 127.0.0.1:8554', {
          phase: 'streaming',
        }),
      },
    });
    const run = await runWith(['events', 'rtsp://cam/x'], closing);
    expect(run.code).toBe(1);
    expect(lines(run.stdout).at(-1)).toMatchObject({
      type: 'closed',
      reason: 'error',
      error: { name: 'RtspConnectionError', code: 'ERR_RTSP_CONNECTION', phase: 'streaming' },
    });
    expect(run.stderr).toBe('rtspkit: connection reset by 127.0.0.1:8554\n');
  });

  it('waits for a slow reader instead of dropping lines', async () => {
    const many = fakeEvents({
      tracks,
      video: videoFrames('h264-aac.mp4', 'h264'),
      audio: aacFrames('h264-aac.mp4').frames,
    });
    const received: Buffer[] = [];
    let maxBuffered = 0;
    const slow = new Writable({
      highWaterMark: 4096,
      write(chunk: Buffer, _encoding, done) {
        received.push(Buffer.from(chunk));
        maxBuffered = Math.max(maxBuffered, slow.writableLength);
        setImmediate(done);
      },
    });
    const run = await runWith(['events', 'rtsp://cam/x'], many, { stdout: slow });
    expect(run.code).toBe(0);
    slow.end();
    await once(slow, 'finish');
    expect(lines(Buffer.concat(received).toString())).toHaveLength(many.length);
    expect(maxBuffered).toBeLessThan(4096 + 4096);
  });
});
