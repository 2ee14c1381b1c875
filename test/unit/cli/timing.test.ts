import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { toHex } from '../../../src/codecs/aac-config.js';
import { BoundedSeries, quantile, slope } from '../../../src/cli/timing/bounded-series.js';
import { TimingCollector, type TimingReport } from '../../../src/cli/timing/collector.js';
import { aacFrames, videoFrames } from '../writers/fixture-frames.js';
import { tempDir } from '../writers/temp-dir.js';
import { fakeEvents, runWith, track, URL_WITH_PASSWORD } from './fake-session.js';

const file = tempDir('cli-timing');
const aac = aacFrames('h264-aac.mp4');
const tracks = [
  track(0, 'video', 'h264', 90000),
  track(1, 'audio', 'mpeg4-generic', 44100, { config: toHex(aac.config) }),
];
const events = fakeEvents({
  tracks,
  video: videoFrames('h264-aac.mp4', 'h264'),
  audio: aac.frames,
  latencyMs: 120,
});

function collect(): TimingReport {
  const collector = new TimingCollector(URL_WITH_PASSWORD, 1_700_000_000_000);
  for (const event of events) collector.add(event);
  return collector.report();
}

describe('timing collector', () => {
  it('puts connect, every request and the firsts on one timeline', () => {
    const report = collect();
    expect(report.url).toBe('rtsp://admin:***@127.0.0.1:8554/cam');
    expect(report.steps.map((s) => s.label)).toEqual([
      'TCP connect',
      'OPTIONS',
      'DESCRIBE',
      'SETUP',
      'SETUP',
      'PLAY',
      'first RTCP #0',
      'first RTP #0',
      'first frame',
      'first keyframe',
      'first RTP #1',
    ]);
    const connect = report.steps[0]!;
    expect(connect.endMs - connect.startMs).toBe(2);
    expect(report.firstKeyframeMs).toBeGreaterThan(
      report.steps.find((s) => s.label === 'PLAY')!.endMs,
    );
  });

  it('measures fps, inter-arrival, drift and capture-to-arrival latency per track', () => {
    const [video, audio] = collect().tracks;
    expect(video).toMatchObject({ track: 0, media: 'video', codec: 'h264', frames: 100 });
    expect(video!.fps).toBeCloseTo(25, 5);
    expect(video!.interArrival).toMatchObject({
      meanMs: 40,
      p50Ms: 40,
      p95Ms: 40,
      maxMs: 40,
      stddevMs: 0,
    });
    // Frames arrive exactly on their RTP clock: no drift.
    expect(video!.drift?.lastMs).toBeCloseTo(0, 6);
    expect(video!.drift?.slopeMsPerS).toBeCloseTo(0, 6);
    expect(video!.latency).toEqual({ minMs: 120, meanMs: 120, maxMs: 120, samples: 100 });
    expect(video).toMatchObject({ rtpJitterMs: 1.5, packets: 100, lost: 2 });
    expect(audio).toMatchObject({ media: 'audio', codec: 'aac', frames: aac.frames.length });
    expect(audio!.interArrival!.meanMs).toBeCloseTo((1024 / 44100) * 1000, 3);
    expect(video!.series.t).toHaveLength(100);
    expect(video!.series.interArrivalMs[0]).toBeNull();
  });

  it('sees drift when arrival falls behind the media clock', () => {
    const collector = new TimingCollector('rtsp://cam/x', 0);
    collector.add(events.find((e) => e.type === 'rtsp' && e.method === 'DESCRIBE')!);
    // 10% slow: each 40 ms frame arrives 44 ms after the previous one.
    for (const [i, frame] of videoFrames('h264-aac.mp4', 'h264').slice(0, 50).entries()) {
      collector.add({
        type: 'video',
        track: 0,
        frame: { ...frame, receivedAt: i * 44 },
        sessionElapsedMs: i * 44,
      });
    }
    const [video] = collector.report().tracks;
    expect(video!.drift!.lastMs).toBeCloseTo(49 * 4, 6);
    expect(video!.drift!.slopeMsPerS).toBeCloseTo((4 / 44) * 1000, 3);
  });
});

describe('timing statistics helpers', () => {
  it('BoundedSeries never holds more than its capacity and keeps time order', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 64 }),
        fc.integer({ min: 0, max: 2000 }),
        (capacity, count) => {
          const series = new BoundedSeries(capacity);
          for (let i = 0; i < count; i++) series.push(i, i % 7 === 0 ? null : i);
          expect(series.t.length).toBeLessThan(capacity);
          expect(series.t.length).toBe(series.v.length);
          if (count > 0) expect(series.t[0]).toBe(0);
          for (let i = 1; i < series.t.length; i++)
            expect(series.t[i]!).toBeGreaterThan(series.t[i - 1]!);
        },
      ),
      { numRuns: 100 },
    );
  });

  it('quantile and slope', () => {
    expect(quantile([5, 1, 3, 2, 4], 0.5)).toBe(3);
    expect(quantile([1, 2, 3, 4, 100], 0.95)).toBe(100);
    expect(quantile([], 0.5)).toBeUndefined();
    expect(slope([0, 1, 2, 3], [1, 3, null, 7])).toBeCloseTo(2, 10);
    expect(slope([1], [1])).toBeUndefined();
  });
});

describe('rtspkit timing', () => {
  it('prints a table with steps and per-track numbers', async () => {
    const run = await runWith(['timing', URL_WITH_PASSWORD], events);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^rtsp:\/\/admin:\*\*\*@127\.0\.0\.1:8554\/cam/);
    expect(run.stdout).toMatch(/DESCRIBE\s+[\d.]+ ms\s+2\.5 ms\s+200 OK/);
    expect(run.stdout).toMatch(/time to first RTP [\d.]+ ms, frame [\d.]+ ms, keyframe [\d.]+ ms/);
    expect(run.stdout).toMatch(
      /#0 video\s+h264\s+100\s+25\.0\s+[\d.]+ kbit\/s\s+40\.0 \/ 40\.0 \/ 40\.0 ms\s+0\.0 \/ 1\.5 ms\s+2 \(1\.96%\)\s+0\.0 ms.*120\.0 \/ 120\.0 \/ 120\.0 ms/,
    );
    expect(run.stdout).not.toMatch(/s3cret/);
  });

  it('--json prints the report', async () => {
    const run = await runWith(['timing', 'rtsp://cam/x', '--json'], events);
    const report = JSON.parse(run.stdout) as TimingReport;
    expect(report.tracks.map((t) => t.frames)).toEqual([100, aac.frames.length]);
    expect(report.closed).toEqual({ reason: 'teardown' });
  });

  it('--report writes a self-contained page whose charts and ladder render headless', async () => {
    const html = file('report.html');
    const run = await runWith(['timing', URL_WITH_PASSWORD, '--report', html], events);
    expect(run.code).toBe(0);
    const page = readFileSync(html, 'utf8');
    expect(page).not.toMatch(/s3cret/);
    expect(page).not.toMatch(/\b(src|href)=["']?(https?:)?\/\//); // nothing fetched from the network
    const dom = execFileSync(
      'chromium',
      [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--virtual-time-budget=5000',
        '--dump-dom',
        pathToFileURL(html).href,
      ],
      { encoding: 'utf8', timeout: 60_000, stdio: ['ignore', 'pipe', 'ignore'] },
    );
    expect(dom).toMatch(/<body[^>]*data-rendered="true"/);
    const chart = (id: string): string =>
      new RegExp(`<svg id="${id}"[\\s\\S]*?</svg>`).exec(dom)?.[0] ?? '';
    // One line per track in each chart: inter-arrival, latency (RTCP times present), drift.
    for (const id of ['chart-interarrival', 'chart-latency', 'chart-drift']) {
      expect(chart(id).match(/<polyline/g)?.length, id).toBeGreaterThanOrEqual(2);
    }
    // Ladder: a request and a response arrow per RTSP exchange (connect, OPTIONS, DESCRIBE, 2 SETUP, PLAY), media arrows for first RTP/RTCP.
    const ladder = chart('ladder');
    expect(ladder.match(/class="msg request"/g)).toHaveLength(6);
    expect(ladder.match(/class="msg response"/g)).toHaveLength(6);
    expect(ladder.match(/class="msg media"/g)).toHaveLength(3);
    expect(ladder).toMatch(/first keyframe/);
  }, 90_000);

  it('still prints the report when the session fails after PLAY, then exits 1', async () => {
    const failing = fakeEvents({
      tracks,
      video: videoFrames('h264-aac.mp4', 'h264').slice(0, 10),
      closed: { reason: 'timeout' },
    });
    const run = await runWith(['timing', 'rtsp://cam/x'], failing);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/session ended: timeout/);
    expect(run.stderr).toBe('rtspkit: session ended: timeout\n');
  });
});
