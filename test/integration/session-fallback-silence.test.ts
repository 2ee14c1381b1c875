/**
 * Transport 'auto' against a camera whose UDP media never arrives (a firewall
 * dropping datagrams): the camera simulator behind the impairment proxy with
 * 100% UDP loss, so only the RTSP connection gets through. No container needed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RtspSession } from '../../src/session/session.js';
import { startCameraSimulator, type CameraSimulator } from '../sim/camera-simulator.js';
import { startImpairmentProxy, type ImpairmentProxy } from '../sim/udp-impairment-proxy.js';
import { exchanges, runUntil } from './session-helpers.js';

describe("RtspSession transport 'auto' when UDP media is dropped on the way", () => {
  let sim: CameraSimulator;
  let proxy: ImpairmentProxy;
  beforeAll(async () => {
    sim = await startCameraSimulator();
    proxy = await startImpairmentProxy(sim.port, { loss: 1, reorder: 0, duplicate: 0, seed: 1 });
  });
  afterAll(async () => {
    await proxy?.close();
    await sim?.close();
  });

  it('starts again over TCP 3 s after PLAY (udpFallbackOnNoMedia), on a fresh connection', async () => {
    const session = new RtspSession(sim.url(), {
      transport: 'auto',
      connectTo: { host: '127.0.0.1', port: proxy.port },
      timeoutMs: 2000,
    });
    const { events } = await runUntil(session, (event) => event.type === 'video');
    expect(exchanges(events)).toEqual([
      'OPTIONS 200',
      'DESCRIBE 200',
      'SETUP 200',
      'PLAY 200',
      'TEARDOWN 200',
      'SETUP 200',
      'PLAY 200',
      'TEARDOWN 200',
    ]);
    expect(events.filter((event) => event.type === 'quirk')).toEqual([
      expect.objectContaining({
        quirk: 'udp-fallback',
        detail: 'no RTP over UDP within 3000 ms of PLAY',
      }),
    ]);
    expect(events.filter((event) => event.type === 'connect')).toHaveLength(2);
    expect(proxy.stats.rtp.dropped).toBeGreaterThan(0);
    const setups = sim.requests.filter((request) => request.method === 'SETUP');
    expect(setups.map((request) => request.headers.transport?.includes('/TCP'))).toEqual([
      false,
      true,
    ]);
  });
});
