/**
 * Latency diagnostics from the session's timing events, for a number of
 * seconds (default 10) or until Ctrl-C:
 *   npx tsx examples/latency.ts rtsp://user:pass@192.168.1.20/stream1 [seconds]
 * Prints how long each RTSP step took, the time to the first frame and keyframe,
 * then once a second per track: fps, frame inter-arrival jitter, loss and, once
 * the camera's RTCP sender reports arrive, capture-to-arrival latency.
 */
import { RtspSession, type AudioFrame, type VideoFrame } from 'rtspkit';

const [url, seconds = '10'] = process.argv.slice(2);
if (url === undefined || !(Number(seconds) > 0))
  throw new Error('usage: latency.ts rtsp://[user:pass@]host[:port]/path [seconds]');

const controller = new AbortController();
process.once('SIGINT', () => controller.abort());
setTimeout(() => controller.abort(), Number(seconds) * 1000).unref();

/** Per track: the last arrival and the capture→arrival latencies of the current second. */
const tracks = new Map<number, { lastArrival?: number; gaps: number[]; latencies: number[] }>();
let firstsPrinted = false;
const ms = (value: number): string => `${value.toFixed(1)} ms`;
const mean = (values: number[]): number =>
  values.reduce((a, b) => a + b, 0) / Math.max(1, values.length);

function onFrame(track: number, frame: VideoFrame | AudioFrame): void {
  const t = tracks.get(track) ?? { gaps: [], latencies: [] };
  tracks.set(track, t);
  if (t.lastArrival !== undefined) t.gaps.push(frame.receivedAt - t.lastArrival);
  t.lastArrival = frame.receivedAt;
  // ntpTime is the capture time from the camera's RTCP sender reports (absent until the first one).
  if (frame.ntpTime !== undefined) t.latencies.push(frame.receivedAt - frame.ntpTime);
}

for await (const event of new RtspSession(url, { signal: controller.signal })) {
  switch (event.type) {
    case 'connect':
      console.log(`TCP connect ${ms(event.elapsedMs)} to ${event.remoteAddress}`);
      break;
    case 'rtsp':
      console.log(
        `${event.method.padEnd(13)} ${event.status} ${event.reason.padEnd(12)} ${ms(event.elapsedMs)}`,
      );
      break;
    case 'video':
    case 'audio':
      onFrame(event.track, event.frame);
      break;
    case 'stats': {
      const { firstFrameMs, firstKeyframeMs } = event.timings;
      if (!firstsPrinted && firstFrameMs !== undefined) {
        firstsPrinted = true;
        console.log(
          `first frame at ${ms(firstFrameMs)}, first keyframe at ${firstKeyframeMs === undefined ? '–' : ms(firstKeyframeMs)}`,
        );
      }
      for (const s of event.tracks) {
        const t = tracks.get(s.track);
        const gaps = t?.gaps ?? [];
        const jitter = Math.sqrt(mean(gaps.map((g) => (g - mean(gaps)) ** 2)));
        const latency = t && t.latencies.length > 0 ? ms(mean(t.latencies)) : 'no RTCP SR yet';
        console.log(
          `  #${s.track} ${s.media} ${s.codec}: ${s.fps.toFixed(1)} fps, inter-arrival sd ${ms(jitter)}, RTP jitter ${ms(s.jitterMs)}, lost ${s.lost}, latency ${latency}`,
        );
        if (t) {
          t.gaps = [];
          t.latencies = [];
        }
      }
      break;
    }
    case 'closed':
      console.log(`closed: ${event.reason}${event.error ? ` (${event.error.message})` : ''}`);
      break;
    case 'rtp':
    case 'rtcp':
    case 'quirk':
    case 'reconnecting':
    case 'reconnected':
      break;
  }
}
