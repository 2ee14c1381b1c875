/**
 * `rtspkit timing --report FILE.html`: one self-contained page (no network):
 * summary tables rendered here, charts and the ladder diagram drawn by an
 * inline script from the report embedded as JSON.
 */
import { formatBitrate, formatMs } from '../text-table.js';
import type { TimingReport } from './collector.js';
import { REPORT_SCRIPT } from './report-script.js';

const STYLE = `
body { font: 14px/1.45 system-ui, sans-serif; margin: 24px auto; max-width: 960px; color: #1f2328; }
h1 { font-size: 20px; } h2 { font-size: 16px; margin-top: 28px; }
table { border-collapse: collapse; margin: 8px 0; } td, th { padding: 3px 10px; border-bottom: 1px solid #d0d7de; text-align: left; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
svg { width: 100%; height: auto; background: #fff; border: 1px solid #d0d7de; border-radius: 6px; }
.grid { stroke: #eaeef2; } .axis { stroke: #57606a; } .tick, .unit, .legend, .label { font-size: 11px; fill: #57606a; }
.legend { font-weight: 600; } .empty { fill: #8c959f; font-size: 14px; }
.lifeline { stroke: #8c959f; stroke-dasharray: 4 3; } .lifeline-label { font-weight: 600; }
.msg { stroke: #444; stroke-width: 1.2; } .msg.media { stroke: #1a7f37; } .marker { fill: #d1242f; }
.note { color: #57606a; }
`;

export function timingHtml(report: TimingReport): string {
  // '<' escaped so no string in the data can close the script element.
  const data = JSON.stringify(report).replace(/</g, '\\u003c');
  const started = new Date(report.startedAt).toISOString();
  const hasLatency = report.tracks.some((t) => t.latency !== undefined);
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>rtspkit timing: ${escapeHtml(report.url)}</title>
<style>${STYLE}</style></head>
<body>
<h1>rtspkit timing</h1>
<p><code>${escapeHtml(report.url)}</code> · ${escapeHtml(started)} · ${(report.durationMs / 1000).toFixed(1)} s${report.closed ? ` · ended: ${escapeHtml(report.closed.reason)}` : ''}</p>
<h2>Steps</h2>
<table id="steps"><tr><th>step</th><th>at</th><th>took</th><th></th></tr>
${report.steps.map((s) => `<tr><td>${escapeHtml(s.label)}</td><td class="num">${formatMs(s.startMs)}</td><td class="num">${s.endMs > s.startMs ? formatMs(s.endMs - s.startMs) : ''}</td><td>${escapeHtml(s.detail)}</td></tr>`).join('\n')}
</table>
<h2>Tracks</h2>
<table id="tracks"><tr><th>track</th><th>frames</th><th>fps</th><th>bitrate</th><th>inter-arrival mean / p95 / max</th><th>RTP jitter</th><th>lost</th><th>drift</th><th>latency mean</th></tr>
${report.tracks
  .map(
    (t) =>
      `<tr><td>#${t.track} ${t.media} ${escapeHtml(t.codec)}</td><td class="num">${t.frames}</td><td class="num">${t.fps.toFixed(1)}</td><td class="num">${formatBitrate(t.bitrate)}</td><td class="num">${t.interArrival ? `${t.interArrival.meanMs.toFixed(1)} / ${t.interArrival.p95Ms.toFixed(1)} / ${t.interArrival.maxMs.toFixed(1)} ms` : '–'}</td><td class="num">${formatMs(t.rtpJitterMs)}</td><td class="num">${t.lost ?? '–'}</td><td class="num">${t.drift ? formatMs(t.drift.lastMs) : '–'}</td><td class="num">${t.latency ? formatMs(t.latency.meanMs) : '–'}</td></tr>`,
  )
  .join('\n')}
</table>
<h2>Ladder: the exchange in time order</h2>
<svg id="ladder" role="img" aria-label="ladder diagram"></svg>
<h2>Frame inter-arrival time</h2>
<svg id="chart-interarrival" role="img" aria-label="frame inter-arrival time"></svg>
<h2>Capture-to-arrival latency (receivedAt − RTCP capture time)</h2>
${hasLatency ? '' : '<p class="note">The server sent no RTCP sender reports during the run, so capture times are unknown.</p>'}
<svg id="chart-latency" role="img" aria-label="latency over time"></svg>
<h2>RTP timestamp vs arrival drift</h2>
<p class="note">Arrival time minus media time since each track's first frame: a rising line means frames arrive later and later (queueing or a slow sender clock).</p>
<svg id="chart-drift" role="img" aria-label="drift over time"></svg>
<script type="application/json" id="report-data">${data}</script>
<script>${REPORT_SCRIPT}</script>
</body></html>
`;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
