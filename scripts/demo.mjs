#!/usr/bin/env node
// The README demo, no camera needed: starts the embedded RTSP file server on
// the bundled fixtures, pulls one file with the rtspkit client over TCP,
// prints how long each step took and writes the video as Annex B.
//
// Usage: node scripts/demo.mjs [output.h264] [fixture]   (after `npm run build`)
import { createWriteStream } from 'node:fs';
import { fileURLToPath } from 'node:url';

const output = process.argv[2] ?? 'demo-out.h264';
const fixture = process.argv[3] ?? 'h264-720p.mp4';
const fixtures = fileURLToPath(new URL('../test/fixtures/', import.meta.url));
const dist = new URL('../dist/', import.meta.url);

/** serve() and RtspSession from the package root once it exports them, else from their modules. */
async function loadApi() {
  const root = await import(new URL('index.js', dist)).catch(() => ({}));
  if (root.serve && root.RtspSession) return root;
  const [{ serve }, { RtspSession }] = await Promise.all([
    import(new URL('server/index.js', dist)),
    import(new URL('session/session.js', dist)),
  ]);
  return { serve, RtspSession };
}

const ms = (value) => `${value.toFixed(1).padStart(8)} ms`;
const line = (label, value) => console.log(`  ${label.padEnd(28)}${value}`);

const { serve, RtspSession } = await loadApi();
const server = await serve(fixtures, { port: 0 });
const url = server.url(fixture);
console.log(`rtspkit demo: ${url} (embedded file server, TCP interleaved)`);

const file = createWriteStream(output);
const session = new RtspSession(url, { transport: 'tcp', audio: false, timeoutMs: 5000 });
// play_count=1: the server ends the stream after one pass; this only guards a stuck run.
const guard = setTimeout(() => void session.close(), 20_000);
let rtpPackets = 0;
let frames = 0;
let bytes = 0;
let firstFrameMs;
let lastFrameMs = 0;
let lost = 0;
let outcome = 'closed';
try {
  for await (const ev of session) {
    switch (ev.type) {
      case 'connect':
        line('TCP connect', ms(ev.elapsedMs));
        break;
      case 'rtsp':
        line(`${ev.method} ${ev.status}`, ms(ev.elapsedMs));
        break;
      case 'rtp':
        if (rtpPackets++ === 0) line('first RTP packet', `${ms(ev.sessionElapsedMs)} after start`);
        break;
      case 'video':
        if (frames === 0) {
          firstFrameMs = ev.sessionElapsedMs;
          const size = ev.frame.width
            ? ` (${ev.frame.width}x${ev.frame.height}${ev.frame.keyframe ? ', keyframe' : ''})`
            : '';
          line('first frame', `${ms(ev.sessionElapsedMs)} after start${size}`);
        }
        frames++;
        bytes += ev.frame.data.length;
        lastFrameMs = ev.sessionElapsedMs;
        file.write(ev.frame.data);
        break;
      case 'stats':
        lost = ev.tracks.reduce((sum, t) => sum + t.lost, 0);
        break;
      case 'closed':
        outcome = ev.reason + (ev.error ? `: ${ev.error.message}` : '');
        break;
    }
  }
} finally {
  clearTimeout(guard);
  await new Promise((resolve) => file.end(resolve));
  await server.close();
}
const span = firstFrameMs === undefined ? 0 : (lastFrameMs - firstFrameMs) / 1000;
line(
  'frames',
  `${frames} in ${span.toFixed(2)} s (${span > 0 ? ((frames - 1) / span).toFixed(1) : '-'} fps), ${lost} packets lost`,
);
line('session ended', outcome);
console.log(`wrote ${output} (${(bytes / 1024).toFixed(0)} KiB of H.264 Annex B)`);
if (frames === 0) process.exitCode = 1;
