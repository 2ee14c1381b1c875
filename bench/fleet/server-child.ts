/**
 * The fleet's source: rtspkit's embedded file server (serve(), from dist/)
 * in its own process, pacing every session in real time.
 * Usage: fleet/server-child.ts MEDIA_DIR. Messages: → ready {port}; stats → stats; stop.
 */
import { loadRtspkit } from '../lib/dist.js';
import { fromParent, toParent } from '../lib/child.js';

const { serve } = await loadRtspkit();
const server = await serve(process.argv[2]!, { port: 0, sessionTimeoutSec: 60 });
fromParent((message) => {
  if (message.type === 'stats') toParent({ type: 'stats', ...server.stats });
  if (message.type === 'stop') void server.close().then(() => process.exit(0));
});
toParent({ type: 'ready', port: server.port });
