/** `rtspkit timing` as text: the steps on one timeline, then one row per track. */
import { formatBitrate, formatMs, table } from '../text-table.js';
import type { TimingReport, TrackTiming } from './collector.js';

export function timingText(report: TimingReport): string {
  const steps = table(
    ['step', 'at', 'took', ''],
    report.steps.map((s) => [
      s.label,
      formatMs(s.startMs),
      s.endMs > s.startMs ? formatMs(s.endMs - s.startMs) : '',
      s.detail,
    ]),
  );
  const tracks = table(
    [
      'track',
      'codec',
      'frames',
      'fps',
      'bitrate',
      'inter-arrival mean/p95/max',
      'jitter (sd / RTP)',
      'loss',
      'drift',
      'latency min/mean/max',
    ],
    report.tracks.map(trackRow),
  );
  const firsts = `time to first RTP ${formatMs(report.firstRtpMs)}, frame ${formatMs(report.firstFrameMs)}, keyframe ${formatMs(report.firstKeyframeMs)}`;
  const ending = report.closed
    ? `session ended: ${report.closed.reason === 'aborted' ? 'stopped' : report.closed.reason}${report.closed.error ? ` (${String(report.closed.error.message)})` : ''}`
    : '';
  return [
    `${report.url}  (${(report.durationMs / 1000).toFixed(1)} s)`,
    '',
    steps,
    '',
    `  ${firsts}`,
    '',
    tracks,
    ...(ending ? ['', `  ${ending}`] : []),
    '',
  ].join('\n');
}

function trackRow(t: TrackTiming): string[] {
  const ia = t.interArrival;
  const lossPercent =
    t.packets !== undefined && t.lost !== undefined && t.packets + t.lost > 0
      ? (100 * t.lost) / (t.packets + t.lost)
      : undefined;
  return [
    `#${t.track} ${t.media}`,
    t.codec,
    String(t.frames),
    t.fps.toFixed(1),
    formatBitrate(t.bitrate),
    ia ? `${ia.meanMs.toFixed(1)} / ${ia.p95Ms.toFixed(1)} / ${ia.maxMs.toFixed(1)} ms` : '–',
    `${ia ? ia.stddevMs.toFixed(1) : '–'} / ${t.rtpJitterMs === undefined ? '–' : t.rtpJitterMs.toFixed(1)} ms`,
    lossPercent === undefined ? '–' : `${t.lost} (${lossPercent.toFixed(2)}%)`,
    t.drift
      ? `${t.drift.lastMs.toFixed(1)} ms${t.drift.slopeMsPerS === undefined ? '' : ` (${t.drift.slopeMsPerS.toFixed(2)} ms/s)`}`
      : '–',
    t.latency
      ? `${t.latency.minMs.toFixed(1)} / ${t.latency.meanMs.toFixed(1)} / ${t.latency.maxMs.toFixed(1)} ms`
      : 'no RTCP SR',
  ];
}
