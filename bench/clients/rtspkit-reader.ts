/**
 * Throughput client: one RtspSession, a `for await` loop that consumes the
 * video frames (counts them and their bytes), as a user's program would.
 * Usage: clients/rtspkit-reader.ts URL
 * Messages: snapshot {edge: start|end} → snapshot {frames, bytes, lost} (BENCH_PROFILE_DIR: profiles
 * the window between the edges); stop → closes the session.
 */
import { loadRtspkit } from '../lib/dist.js';
import { fromParent, toParent } from '../lib/child.js';
import { startWindowProfile, stopWindowProfile } from '../lib/window-profile.js';

const { RtspSession } = await loadRtspkit();
const url = process.argv[2]!;
const stop = new AbortController();
let frames = 0;
let bytes = 0;
let lost = 0;
fromParent((message) => {
  if (message.type === 'snapshot') {
    toParent({ type: 'snapshot', frames, bytes, lost });
    void (message.edge === 'start' ? startWindowProfile() : stopWindowProfile());
  }
  if (message.type === 'stop') stop.abort();
});
const session = new RtspSession(url, {
  transport: 'tcp',
  audio: false,
  signal: stop.signal,
});
for await (const event of session) {
  if (event.type === 'video') {
    frames++;
    bytes += event.frame.data.byteLength;
  } else if (event.type === 'stats') {
    lost = event.tracks.reduce((sum, t) => sum + t.lost, 0);
  } else if (event.type === 'closed' && event.error !== undefined) {
    console.error(`rtspkit-reader: ${event.error.message}`);
  }
}
process.exit(0);
