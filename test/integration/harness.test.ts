import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMediamtx, type Mediamtx } from './harness/mediamtx.js';
import { rawRtspExchange } from './harness/raw-rtsp.js';

// Shows the harness itself works end to end: a containerised mediamtx on
// 127.0.0.1, a fixture published into it by ffmpeg, read back over raw RTSP.
describe('integration harness: mediamtx in a container', () => {
  let mtx: Mediamtx;
  beforeAll(async () => {
    mtx = await startMediamtx();
  });
  afterAll(async () => {
    await mtx?.stop();
  });

  it('answers a raw OPTIONS with RTSP/1.0 200 and lists its methods', async () => {
    const res = await rawRtspExchange(mtx.rtspPort, 'OPTIONS', 'anything');
    expect(res.status).toBe(200);
    expect(res.head).toMatch(/Public:.*DESCRIBE/i);
  });

  it('serves a fixture published by ffmpeg (DESCRIBE returns an H.264 SDP)', async () => {
    const pub = await mtx.publish('h264-720p.mp4', 'smoke');
    try {
      const res = await rawRtspExchange(mtx.rtspPort, 'DESCRIBE', 'smoke');
      expect(res.status).toBe(200);
      expect(res.head).toMatch(/Content-Type: application\/sdp/i);
    } finally {
      await pub.stop();
    }
  });

  it('answers 404 for a path nobody publishes', async () => {
    const res = await rawRtspExchange(mtx.rtspPort, 'DESCRIBE', 'nobody-here');
    expect(res.status).toBe(404);
  });
});
