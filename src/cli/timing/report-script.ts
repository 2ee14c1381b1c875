/**
 * The report page's inline script (plain browser JS, no network): reads the
 * embedded JSON and draws SVG line charts and the ladder diagram.
 */
export const REPORT_SCRIPT = String.raw`
(function () {
  'use strict';
  var report = JSON.parse(document.getElementById('report-data').textContent);
  var NS = 'http://www.w3.org/2000/svg';
  var COLORS = ['#1f6feb', '#d1242f', '#1a7f37', '#8250df', '#bf8700'];

  function el(name, attrs, parent, text) {
    var node = document.createElementNS(NS, name);
    for (var key in attrs) node.setAttribute(key, String(attrs[key]));
    if (text !== undefined) node.textContent = text;
    if (parent) parent.appendChild(node);
    return node;
  }

  function niceTicks(min, max, count) {
    if (max <= min) max = min + 1;
    var step = Math.pow(10, Math.floor(Math.log10((max - min) / count)));
    var err = (max - min) / count / step;
    step *= err >= 7.5 ? 10 : err >= 3.5 ? 5 : err >= 1.5 ? 2 : 1;
    var ticks = [];
    for (var v = Math.ceil(min / step) * step; v <= max + step * 1e-9; v += step) ticks.push(v);
    return ticks;
  }

  /** series: [{ label, t: ms[], v: (number|null)[] }] */
  function lineChart(svg, unit, series) {
    var W = 900, H = 280, L = 64, R = 16, T = 16, B = 40;
    svg.setAttribute('viewBox', '0 0 ' + W + ' ' + H);
    var xs = [], ys = [];
    series.forEach(function (s) {
      s.t.forEach(function (t, i) { if (s.v[i] !== null) { xs.push(t); ys.push(s.v[i]); } });
    });
    if (ys.length === 0) {
      el('text', { x: W / 2, y: H / 2, 'text-anchor': 'middle', class: 'empty' }, svg, 'no data');
      return;
    }
    var x0 = Math.min.apply(null, xs) / 1000, x1 = Math.max.apply(null, xs) / 1000;
    var y0 = Math.min(0, Math.min.apply(null, ys)), y1 = Math.max.apply(null, ys);
    if (x1 <= x0) x1 = x0 + 1;
    if (y1 <= y0) y1 = y0 + 1;
    var sx = function (t) { return L + ((t / 1000 - x0) / (x1 - x0)) * (W - L - R); };
    var sy = function (v) { return H - B - ((v - y0) / (y1 - y0)) * (H - T - B); };
    niceTicks(y0, y1, 5).forEach(function (v) {
      el('line', { x1: L, x2: W - R, y1: sy(v), y2: sy(v), class: 'grid' }, svg);
      el('text', { x: L - 6, y: sy(v) + 4, 'text-anchor': 'end', class: 'tick' }, svg, String(+v.toFixed(2)));
    });
    niceTicks(x0, x1, 8).forEach(function (s) {
      var x = sx(s * 1000);
      el('text', { x: x, y: H - B + 16, 'text-anchor': 'middle', class: 'tick' }, svg, +s.toFixed(2) + ' s');
    });
    el('text', { x: 12, y: T + 4, class: 'unit', transform: 'rotate(-90 12 ' + (T + 4) + ')', 'text-anchor': 'end' }, svg, unit);
    el('line', { x1: L, x2: L, y1: T, y2: H - B, class: 'axis' }, svg);
    el('line', { x1: L, x2: W - R, y1: H - B, y2: H - B, class: 'axis' }, svg);
    series.forEach(function (s, n) {
      var color = COLORS[n % COLORS.length];
      var points = [];
      var flush = function () {
        if (points.length > 0) el('polyline', { points: points.join(' '), fill: 'none', stroke: color, 'stroke-width': 1.2, class: 'series' }, svg);
        points = [];
      };
      s.t.forEach(function (t, i) {
        if (s.v[i] === null) flush();
        else points.push(sx(t).toFixed(1) + ',' + sy(s.v[i]).toFixed(1));
      });
      flush();
      el('text', { x: W - R - 4, y: T + 14 + 16 * n, 'text-anchor': 'end', fill: color, class: 'legend' }, svg, s.label);
    });
  }

  /** Client and server as two lifelines; each step a row, in time order. */
  function ladder(svg, steps) {
    var W = 900, ROW = 34, TOP = 40, CX = 260, SX = 800;
    var H = TOP + ROW * (steps.length + 1);
    svg.setAttribute('viewBox', '0 0 ' + W + ' ' + H);
    el('defs', {}, svg).innerHTML =
      '<marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#444"/></marker>';
    el('text', { x: CX, y: 20, 'text-anchor': 'middle', class: 'lifeline-label' }, svg, 'client');
    el('text', { x: SX, y: 20, 'text-anchor': 'middle', class: 'lifeline-label' }, svg, 'server');
    el('line', { x1: CX, x2: CX, y1: 28, y2: H - 8, class: 'lifeline' }, svg);
    el('line', { x1: SX, x2: SX, y1: 28, y2: H - 8, class: 'lifeline' }, svg);
    steps.forEach(function (step, i) {
      var y = TOP + ROW * i + ROW / 2;
      el('text', { x: 8, y: y + 4, class: 'tick' }, svg, step.startMs.toFixed(1) + ' ms');
      var took = step.endMs - step.startMs;
      var g = el('g', { class: 'step' }, svg);
      if (/^first (frame|keyframe)/.test(step.label)) {
        el('circle', { cx: CX, cy: y, r: 6, class: 'marker' }, g);
        el('text', { x: CX - 12, y: y + 4, 'text-anchor': 'end', class: 'label' }, g, step.label + ' (' + step.detail + ')');
      } else if (/^first /.test(step.label)) {
        el('line', { x1: SX, x2: CX, y1: y - 6, y2: y + 6, class: 'msg media', 'marker-end': 'url(#arrow)' }, g);
        el('text', { x: (CX + SX) / 2, y: y - 6, 'text-anchor': 'middle', class: 'label' }, g, step.label + ' · ' + step.detail);
      } else {
        el('line', { x1: CX, x2: SX, y1: y - 8, y2: y - 2, class: 'msg request', 'marker-end': 'url(#arrow)' }, g);
        el('line', { x1: SX, x2: CX, y1: y + 2, y2: y + 8, class: 'msg response', 'marker-end': 'url(#arrow)' }, g);
        el('text', { x: (CX + SX) / 2, y: y - 10, 'text-anchor': 'middle', class: 'label' }, g, step.label + ' · ' + step.detail + ' · ' + took.toFixed(1) + ' ms');
      }
    });
  }

  function seriesOf(key) {
    return report.tracks.map(function (t) {
      return { label: '#' + t.track + ' ' + t.media + ' ' + t.codec, t: t.series.t, v: t.series[key] };
    });
  }

  lineChart(document.getElementById('chart-interarrival'), 'ms', seriesOf('interArrivalMs'));
  lineChart(document.getElementById('chart-latency'), 'ms', seriesOf('latencyMs'));
  lineChart(document.getElementById('chart-drift'), 'ms', seriesOf('driftMs'));
  ladder(document.getElementById('ladder'), report.steps);
  document.body.setAttribute('data-rendered', 'true');
})();
`;
