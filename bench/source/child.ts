/**
 * The source server in its own process, so its CPU is not charged to the
 * client. Usage: source/child.ts FILE FPS firehose|paced
 * Messages: → ready {port,url,...}; snapshot → snapshot {atMs,bytes}; stop.
 */
import { fromParent, toParent } from '../lib/child.js';
import { loadRecording } from './recording.js';
import { startSourceServer } from './server.js';

const [file, fps, mode] = process.argv.slice(2);
if (file === undefined || fps === undefined || (mode !== 'firehose' && mode !== 'paced')) {
  console.error('usage: source/child.ts FILE FPS firehose|paced');
  process.exit(2);
}
const recording = loadRecording(file, Number(fps));
const server = await startSourceServer(recording, mode);
fromParent((message) => {
  if (message.type === 'snapshot') toParent({ type: 'snapshot', ...server.snapshot() });
  if (message.type === 'stop') void server.close().then(() => process.exit(0));
});
toParent({
  type: 'ready',
  url: server.url,
  port: server.port,
  frames: recording.frameEnds.length,
  fps: recording.fps,
  bytesPerLoop: recording.bytes.length,
  packetsPerLoop: recording.packetOffsets.length,
});
