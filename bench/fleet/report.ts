/** The fleet benchmark's table (rtspkit beside ffmpeg per scenario) and its verdict on issue 7's targets. */
import type { ScenarioResult } from '../fleet.js';
import { markdownTable } from '../lib/report.js';
import { round as fmt } from '../lib/stats.js';

const NONE = Number.NaN;

function ffmpegPair(results: readonly ScenarioResult[], r: ScenarioResult) {
  return results.find(
    (o) =>
      o.client === 'ffmpeg' &&
      o.transport === r.transport &&
      o.sessions === r.sessions &&
      o.mbit === r.mbit,
  );
}

export function fleetTable(results: readonly ScenarioResult[]): string {
  const rows = results
    .filter((r) => r.client === 'rtspkit')
    .map((r) => {
      const ff = ffmpegPair(results, r);
      const latency = r.latencyMs;
      return [
        `${r.sessions} × ${r.mbit} Mbit/s ${r.transport.toUpperCase()}`,
        `${fmt(r.cpuPercent)} / ${fmt(ff?.cpuPercent ?? NONE)}`,
        fmt(r.cpuPercent / (ff?.cpuPercent ?? NONE)),
        `${fmt(r.rssTotalMiB)} / ${fmt(ff?.rssTotalMiB ?? NONE)} (PSS ${fmt(ff?.pssTotalMiB ?? NONE)})`,
        fmt(r.rssPerSessionMiB),
        `${r.packetsLost} (${fmt(r.lossPercent ?? NONE)}%) / ${r.framesDropped}`,
        `${-r.framesMissing} / ${ff === undefined ? '–' : -ff.framesMissing}`,
        `${fmt(latency?.p50 ?? NONE)} / ${fmt(latency?.p99 ?? NONE)} / ${fmt(latency?.max ?? NONE)}`,
        `${fmt(r.serverCpuPercent)} / ${fmt(r.machineBusyPercent)}`,
      ];
    });
  return markdownTable(
    [
      'sessions',
      'CPU % rtspkit / ffmpeg',
      'CPU ratio',
      'RSS MiB rtspkit / N ffmpeg',
      'rtspkit MiB per session over baseline',
      'rtspkit RTP lost (%) / frames dropped',
      'frames vs nominal rtspkit / ffmpeg',
      'event latency p50 / p99 / max ms',
      'server CPU % / box busy %',
    ],
    rows,
  );
}

/** One line per target of issue 7 that these results cover (the scenarios run may not cover all). */
export function fleetVerdict(results: readonly ScenarioResult[]): string {
  const find = (transport: 'tcp' | 'udp', sessions: number) =>
    results.find(
      (r) =>
        r.client === 'rtspkit' &&
        r.transport === transport &&
        r.sessions === sessions &&
        r.mbit === 2,
    );
  const mark = (met: boolean): string => (met ? 'MET' : 'MISSED');
  const lines: string[] = [];
  const tcp = find('tcp', 200);
  if (tcp !== undefined) {
    const lost = (tcp.packetsLost ?? 0) + (tcp.framesDropped ?? 0);
    const ratio = tcp.cpuPercent / (ffmpegPair(results, tcp)?.cpuPercent ?? NONE);
    const p99 = tcp.latencyMs?.p99 ?? NONE;
    lines.push(
      `200 × 2 Mbit/s TCP: ${tcp.packetsLost} RTP packets lost, ${tcp.framesDropped} frames dropped (target 0) ${mark(lost === 0)}`,
      `200 × 2 Mbit/s TCP: CPU ${fmt(ratio)}× the ffmpeg processes' (target ≤ 0.5×) ${mark(ratio <= 0.5)}`,
      `200 × 2 Mbit/s TCP: ${fmt(tcp.rssPerSessionMiB)} MiB RSS per session over the baseline (target ≤ 1) ${mark(tcp.rssPerSessionMiB <= 1)}`,
      `200 × 2 Mbit/s TCP: event latency p99 ${fmt(p99)} ms (target ≤ 2) ${mark(p99 <= 2)}`,
    );
  }
  const udp = find('udp', 100);
  if (udp !== undefined) {
    const loss = udp.lossPercent ?? NONE;
    lines.push(
      `100 × 2 Mbit/s UDP: ${udp.packetsLost} of ${(udp.packets ?? 0) + (udp.packetsLost ?? 0)} RTP packets lost, ${fmt(loss)}% (target ≤ 0.01%) ${mark(loss <= 0.01)}`,
    );
  }
  if (lines.length === 0)
    lines.push('(the targets are judged on 200 sessions over TCP and 100 over UDP)');
  return lines.join('\n');
}
