/**
 * One test per camera quirk policy (docs/camera-quirks.md): the behaviour
 * with the default, the behaviour with the policy turned the other way, and
 * the single `quirk` event each applied policy emits.
 */
import { describe, expect, it } from 'vitest';
import { RtspProtocolError, RtspResponseError } from '../../../src/errors.js';
import type { RtspEvent, VideoEvent } from '../../../src/events/types.js';
import { RtspSession } from '../../../src/session/session.js';
import { CAMERA_URL, fakeCamera, isPlay, methodsOf, rest, until } from './fake-camera.js';
import {
  answerPlayWithMedia,
  framePackets,
  interleaved,
  lastVideoStats,
  quirksOf,
  startVideo,
  type FrameShape,
} from './quirk-camera.js';

const TRACK_URL = `${CAMERA_URL}/trackID=0`;
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
const videoOf = (events: RtspEvent[]): VideoEvent['frame'][] =>
  events.filter((event): event is VideoEvent => event.type === 'video').map((e) => e.frame);
const rtpSequence = (events: RtspEvent[]): number[] =>
  events.flatMap((event) => (event.type === 'rtp' ? [event.sequenceNumber] : []));

/** Keyframe at `seq`, then `count - 1` one-packet frames: 3000 ticks apart from `timestamp`. */
function stream(seq: number, timestamp: number, count: number, marker = true): Uint8Array[] {
  const frames: FrameShape[] = [{ index: 0, firstSeq: seq, timestamp, marker }];
  for (let i = 1; i < count; i++)
    frames.push({ index: i, firstSeq: seq + 2 + i, timestamp: timestamp + 3000 * i, marker });
  return frames.flatMap(framePackets);
}

/** A camera whose PLAY answer carries `rtpInfo` with `media` in the same chunk. */
function playingCamera(rtpInfo: string, media: Uint8Array) {
  return fakeCamera({
    override: (request, connection) =>
      request.method === 'PLAY'
        ? answerPlayWithMedia(request, connection, { 'RTP-Info': rtpInfo }, media)
        : undefined,
  });
}

async function runUntilStats(
  camera: ReturnType<typeof fakeCamera>,
  options: Parameters<typeof startVideo>[1],
  packets: number,
): Promise<RtspEvent[]> {
  const { session, iterator, seen } = await startVideo(camera, { statsIntervalMs: 30, ...options });
  await until(
    iterator,
    (event) => event.type === 'stats' && event.tracks[0]!.packets >= packets,
    seen,
  );
  await session.close();
  return rest(iterator, seen);
}

describe('RTP-Info (RFC 2326 §12.33) anchors the first packet', () => {
  it('drops packets before its seq, even in the same chunk as the PLAY answer, and starts at it', async () => {
    const stale = framePackets({ index: 1, firstSeq: 99, timestamp: 0 });
    const media = interleaved([...stale, ...stream(100, 3000, 3)]);
    const camera = playingCamera(`url=${TRACK_URL};seq=100;rtptime=3000`, media);
    const events = await runUntilStats(camera, {}, 5);
    expect(rtpSequence(events)).toEqual([100, 101, 102, 103, 104]);
    expect(videoOf(events)[0]).toMatchObject({ keyframe: true, pts: 0 });
    expect(lastVideoStats(events)).toMatchObject({ invalid: 1, lost: 0 });
    expect(quirksOf(events)).toEqual([]);
  });

  it('its rtptime is pts 0, so video joined mid GOP keeps the same origin as the other tracks', async () => {
    // Two non-IDR frames (dropped: useFirstKeyframe), then the keyframe 6000 ticks after rtptime.
    const pFrames = [1, 2].flatMap((index) =>
      framePackets({ index, firstSeq: 98 + index, timestamp: 3000 * index, marker: true }),
    );
    const media = interleaved([...pFrames, ...stream(101, 9000, 2)]);
    const camera = playingCamera(`url=${TRACK_URL};seq=99;rtptime=3000`, media);
    const events = await runUntilStats(camera, {}, 6);
    const video = videoOf(events);
    expect(video[0]).toMatchObject({ keyframe: true, timestamp: 9000 });
    expect(video.map((frame) => frame.pts)).toEqual([6000 / 90_000, 9000 / 90_000]);
  });

  it('without rtptime, pts counts from the first packet, so frames dropped before the keyframe keep their time', async () => {
    const pFrames = [1, 2].flatMap((index) =>
      framePackets({ index, firstSeq: 98 + index, timestamp: 3000 * index, marker: true }),
    );
    const media = interleaved([...pFrames, ...stream(101, 9000, 2)]);
    const camera = playingCamera(`url=${TRACK_URL};seq=99`, media);
    const events = await runUntilStats(camera, {}, 6);
    expect(videoOf(events).map((frame) => frame.pts)).toEqual([6000 / 90_000, 9000 / 90_000]);
  });

  it('PLAY is stamped when its answer arrived, not after the media in the same chunk were handled', async () => {
    const media = interleaved(stream(100, 3000, 3));
    const camera = playingCamera(`url=${TRACK_URL};seq=100;rtptime=3000`, media);
    const events = await runUntilStats(camera, {}, 5);
    const play = events.find((event) => event.type === 'rtsp' && event.method === 'PLAY');
    const firstRtp = events.find((event) => event.type === 'rtp');
    expect(play!.sessionElapsedMs).toBeLessThanOrEqual(firstRtp!.sessionElapsedMs);
  });

  it('counts packets between its seq and the first one received as lost at the start', async () => {
    // SPS and PPS (seq 100, 101) never came: the IDR slice starts the stream.
    const media = interleaved(stream(100, 3000, 3).slice(2));
    const camera = playingCamera(`url=${TRACK_URL};seq=100;rtptime=3000`, media);
    const events = await runUntilStats(camera, {}, 3);
    expect(rtpSequence(events)[0]).toBe(102);
    expect(lastVideoStats(events)).toMatchObject({ lost: 2 });
  });

  it('ignoreZeroRtpInfoSeq (default): seq=0 is not an anchor, reported once the first packet disagrees', async () => {
    const camera = playingCamera(
      `url=${TRACK_URL};seq=0;rtptime=3000`,
      interleaved(stream(500, 3000, 3)),
    );
    const events = await runUntilStats(camera, {}, 5);
    expect(rtpSequence(events)[0]).toBe(500);
    expect(lastVideoStats(events)).toMatchObject({ lost: 0, invalid: 0 });
    expect(quirksOf(events)).toEqual([
      expect.objectContaining({
        quirk: 'ignoreZeroRtpInfoSeq',
        detail: 'track 0 (h264): RTP-Info seq=0 but the first packet has seq 500: seq not used',
      }),
    ]);
  });

  it('ignoreZeroRtpInfoSeq false: seq=0 is taken, found far from the stream, and RTP-Info is not used', async () => {
    const camera = playingCamera(
      `url=${TRACK_URL};seq=0;rtptime=3000`,
      interleaved(stream(500, 3000, 3)),
    );
    const events = await runUntilStats(camera, { quirks: { ignoreZeroRtpInfoSeq: false } }, 5);
    expect(rtpSequence(events)[0]).toBe(500);
    expect(quirksOf(events).map((event) => [event.quirk, event.detail])).toEqual([
      [
        'ignoreRtpInfo',
        "track 0 (h264): RTP-Info seq=0 is 500 packets from the first packet's seq 500: RTP-Info not used",
      ],
    ]);
  });

  it('ignoreRtpInfo: every packet is kept, and the policy is reported', async () => {
    const stale = framePackets({ index: 1, firstSeq: 99, timestamp: 0 });
    const media = interleaved([...stale, ...stream(100, 3000, 2)]);
    const camera = playingCamera(`url=${TRACK_URL};seq=100;rtptime=3000`, media);
    const events = await runUntilStats(camera, { quirks: { ignoreRtpInfo: true } }, 5);
    expect(rtpSequence(events)[0]).toBe(99);
    expect(lastVideoStats(events)).toMatchObject({ invalid: 0 });
    // The stale packet was a frame of the previous GOP: dropped by useFirstKeyframe instead.
    expect(quirksOf(events).map((event) => event.quirk)).toEqual([
      'ignoreRtpInfo',
      'useFirstKeyframe',
    ]);
  });

  it('an rtptime far from the first packet makes the whole entry unusable', async () => {
    const stale = framePackets({ index: 1, firstSeq: 99, timestamp: 0 });
    const media = interleaved([...stale, ...stream(100, 3000, 2)]);
    // 20 s of a 90 kHz clock away: not the same stream position.
    const camera = playingCamera(`url=${TRACK_URL};seq=100;rtptime=${3000 + 20 * 90_000}`, media);
    const events = await runUntilStats(camera, {}, 5);
    expect(rtpSequence(events)[0]).toBe(99);
    expect(quirksOf(events)[0]?.detail).toMatch(
      /rtptime=1803000 is -20\.0 s from the first packet/,
    );
  });

  it('media sent before the PLAY answer is kept: RTP-Info comes too late to anchor it', async () => {
    const camera = fakeCamera({
      override: (request, connection) => {
        if (request.method !== 'PLAY') return undefined;
        connection.send(interleaved(framePackets({ index: 0, firstSeq: 40, timestamp: 0 })));
        return answerPlayWithMedia(request, connection, { 'RTP-Info': `url=${TRACK_URL};seq=43` });
      },
    });
    const { session, iterator, seen } = await startVideo(camera);
    camera.last.sendInterleaved(0, framePackets({ index: 1, firstSeq: 43, timestamp: 3000 })[0]!);
    await until(iterator, (event) => event.type === 'rtp' && event.sequenceNumber === 43, seen);
    await session.close();
    const events = await rest(iterator, seen);
    expect(rtpSequence(events)).toEqual([40, 41, 42, 43]);
    expect(quirksOf(events)).toEqual([]);
  });
});

describe('splitOnTimestampChange', () => {
  it('(default) ends marker-less frames at the next timestamp, reported once for the whole stream', async () => {
    const camera = playingCamera(`url=${TRACK_URL};seq=100`, interleaved(stream(100, 0, 5, false)));
    const events = await runUntilStats(camera, {}, 7);
    // The last frame waits for a packet with a newer timestamp.
    expect(videoOf(events).map((frame) => frame.pts)).toEqual([0, 1 / 30, 2 / 30, 3 / 30]);
    expect(quirksOf(events).map((event) => [event.quirk, event.detail])).toEqual([
      [
        'splitOnTimestampChange',
        'track 0 (h264): no marker bit at the end of an access unit; frames end at each new RTP timestamp',
      ],
    ]);
  });

  it('false drops frames the marker bit did not end, and counts them', async () => {
    const camera = playingCamera(`url=${TRACK_URL};seq=100`, interleaved(stream(100, 0, 5, false)));
    const events = await runUntilStats(camera, { quirks: { splitOnTimestampChange: false } }, 7);
    expect(videoOf(events)).toEqual([]);
    expect(lastVideoStats(events)).toMatchObject({ frames: 0, framesDropped: 4 });
    expect(quirksOf(events)[0]?.detail).toMatch(/such frames are dropped/);
  });
});

describe('useFirstKeyframe', () => {
  /** Two frames of the GOP before, then a keyframe and one more. */
  const midGop = (): Uint8Array =>
    interleaved(
      [
        { index: 1, firstSeq: 1, timestamp: 0 },
        { index: 2, firstSeq: 2, timestamp: 3000 },
        { index: 0, firstSeq: 3, timestamp: 6000 },
        { index: 3, firstSeq: 6, timestamp: 9000 },
      ].flatMap(framePackets),
    );

  it('(default) drops the frames before the first keyframe and says how many', async () => {
    const camera = playingCamera(`url=${TRACK_URL};seq=1`, midGop());
    const events = await runUntilStats(camera, {}, 6);
    expect(videoOf(events).map((frame) => frame.keyframe)).toEqual([true, false]);
    expect(lastVideoStats(events)).toMatchObject({ frames: 2, framesDropped: 2 });
    expect(quirksOf(events).map((event) => [event.quirk, event.detail])).toEqual([
      ['useFirstKeyframe', 'track 0 (h264): dropped 2 frames before the first keyframe'],
    ]);
  });

  it('false hands every frame on', async () => {
    const camera = playingCamera(`url=${TRACK_URL};seq=1`, midGop());
    const events = await runUntilStats(camera, { quirks: { useFirstKeyframe: false } }, 6);
    expect(videoOf(events).map((frame) => frame.keyframe)).toEqual([false, false, true, false]);
    expect(quirksOf(events)).toEqual([]);
  });
});

describe('teardownOnClose', () => {
  it('false closes the socket without TEARDOWN, and says so before closed', async () => {
    const camera = fakeCamera();
    const { session, iterator, seen } = await startVideo(camera, {
      quirks: { teardownOnClose: false },
    });
    await session.close();
    const events = await rest(iterator, seen);
    expect(camera.requests.map((request) => request.method)).not.toContain('TEARDOWN');
    expect(events.slice(-2).map((event) => event.type)).toEqual(['quirk', 'closed']);
    expect(events.at(-2)).toMatchObject({ quirk: 'teardownOnClose' });
  });
});

describe('acceptChangingSessionId', () => {
  /** A camera answering each SETUP with a new session id. */
  function changingIds() {
    let setups = 0;
    return fakeCamera({
      override: (request) =>
        request.method === 'SETUP'
          ? {
              status: 200,
              headers: {
                Session: `id${++setups};timeout=60`,
                Transport: request.headers.get('transport') ?? '',
              },
            }
          : undefined,
    });
  }

  it('(default) keeps the first id for every later request', async () => {
    const camera = changingIds();
    const session = new RtspSession(CAMERA_URL, { connect: camera.connect });
    const iterator = session.events();
    const seen = await until(iterator, isPlay);
    await session.close();
    const events = await rest(iterator, seen);
    const play = camera.requests.find((request) => request.method === 'PLAY');
    expect(play?.headers.get('session')).toBe('id1');
    expect(quirksOf(events).map((event) => [event.quirk, event.detail])).toEqual([
      [
        'acceptChangingSessionId',
        `SETUP of ${CAMERA_URL}/trackID=1 answered session id2; keeping id1`,
      ],
    ]);
  });

  it('false fails SETUP with RtspProtocolError naming both ids', async () => {
    const camera = changingIds();
    const session = new RtspSession(CAMERA_URL, {
      connect: camera.connect,
      quirks: { acceptChangingSessionId: false },
    });
    const error = await rest(session.events()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RtspProtocolError);
    expect(error).toMatchObject({
      phase: 'SETUP',
      message: 'SETUP 200: session id id2 differs from id1 of the first SETUP (RFC 2326 §12.37)',
    });
  });
});

describe('repairSchemelessContentBase', () => {
  const schemeless = () =>
    fakeCamera({
      override: (request) =>
        request.method === 'DESCRIBE'
          ? {
              status: 200,
              headers: {
                'Content-Type': 'application/sdp',
                'Content-Base': '127.0.0.1:8554/live/',
              },
              body: 'v=0\r\ns=x\r\nt=0 0\r\nm=video 0 RTP/AVP 96\r\na=rtpmap:96 H264/90000\r\na=control:trackID=0\r\n',
            }
          : undefined,
    });
  const setupUri = (camera: ReturnType<typeof fakeCamera>) =>
    camera.requests.find((request) => request.method === 'SETUP')?.uri;

  it('(default) completes it from the request URL', async () => {
    const camera = schemeless();
    const { session, iterator, seen } = await startVideo(camera);
    await session.close();
    const events = await rest(iterator, seen);
    expect(setupUri(camera)).toBe('rtsp://127.0.0.1:8554/live/trackID=0');
    expect(quirksOf(events).map((event) => [event.quirk, event.detail])).toEqual([
      [
        'repairSchemelessContentBase',
        'Content-Base "127.0.0.1:8554/live/" has no scheme: completed from the request URL',
      ],
    ]);
  });

  it('false ignores it and resolves controls against the request URL', async () => {
    const camera = schemeless();
    const { session } = await startVideo(camera, {
      quirks: { repairSchemelessContentBase: false },
    });
    await session.close();
    expect(setupUri(camera)).toBe(`${CAMERA_URL}/trackID=0`);
  });
});

describe('keepalives', () => {
  /** timeout=1: a keepalive every 500 ms. */
  const refusingGetParameter = () =>
    fakeCamera({
      sessionHeader: 'abc;timeout=1',
      override: (request) =>
        request.method === 'GET_PARAMETER' ? { status: 400, reason: 'Bad Request' } : undefined,
    });

  it('ignoreKeepaliveErrors (default): a refused GET_PARAMETER moves keepalives to OPTIONS', async () => {
    const camera = refusingGetParameter();
    const { session, iterator, seen } = await startVideo(camera);
    await sleep(1150);
    await session.close();
    const events = await rest(iterator, seen);
    expect(methodsOf(events).slice(4, 6)).toEqual(['GET_PARAMETER 400', 'OPTIONS 200']);
    expect(quirksOf(events).map((event) => [event.quirk, event.detail])).toEqual([
      [
        'ignoreKeepaliveErrors',
        'GET_PARAMETER keepalive answered 400 Bad Request: keepalives use OPTIONS',
      ],
    ]);
  });

  it('ignoreKeepaliveErrors false: a keepalive error ends the session with RtspResponseError', async () => {
    const camera = refusingGetParameter();
    const { iterator, seen } = await startVideo(camera, {
      quirks: { ignoreKeepaliveErrors: false },
    });
    const closed = (await rest(iterator, seen)).at(-1);
    expect(closed).toMatchObject({ type: 'closed', reason: 'error' });
    const error = closed?.type === 'closed' ? closed.error : undefined;
    expect(error).toBeInstanceOf(RtspResponseError);
    expect(error).toMatchObject({ method: 'GET_PARAMETER', status: 400, phase: 'GET_PARAMETER' });
  });

  it('keepaliveMethod forces GET_PARAMETER (not in Public) or OPTIONS (in Public)', async () => {
    const keepalivesWith = async (
      policy: 'GET_PARAMETER' | 'OPTIONS',
      publicMethods: string,
    ): Promise<string[]> => {
      const camera = fakeCamera({ sessionHeader: 'abc;timeout=1', publicMethods });
      const { session } = await startVideo(camera, { quirks: { keepaliveMethod: policy } });
      await sleep(600);
      await session.close();
      return camera.requests.slice(4, -1).map((request) => request.method);
    };
    expect(await keepalivesWith('GET_PARAMETER', 'OPTIONS, DESCRIBE, SETUP, PLAY')).toEqual([
      'GET_PARAMETER',
    ]);
    expect(
      await keepalivesWith('OPTIONS', 'OPTIONS, DESCRIBE, SETUP, PLAY, GET_PARAMETER'),
    ).toEqual(['OPTIONS']);
  });
});

describe('udpFallbackOnNoMedia', () => {
  it('false: UDP silence after PLAY is a timeout, not a fallback to TCP', async () => {
    const camera = fakeCamera({
      override: (request) => {
        const transport = request.headers.get('transport');
        return request.method === 'SETUP' && transport !== undefined
          ? { status: 200, headers: { Session: 'u1', Transport: `${transport};server_port=9-10` } }
          : undefined;
      },
    });
    const { iterator, seen } = await startVideo(camera, {
      transport: 'auto',
      timeoutMs: 300,
      quirks: { udpFallbackOnNoMedia: false },
    });
    const events = await rest(iterator, seen);
    expect(events.at(-1)).toMatchObject({ type: 'closed', reason: 'timeout' });
    expect(quirksOf(events)).toEqual([]);
    expect(camera.connections).toHaveLength(1);
  });
});

describe('quirks option validation', () => {
  it('rejects unknown quirks and wrong types when the session is constructed', () => {
    expect(
      () => new RtspSession(CAMERA_URL, { quirks: { teardownOnClose: 'no' as never } }),
    ).toThrow('invalid option quirks.teardownOnClose: expected a boolean');
    expect(() => new RtspSession(CAMERA_URL, { quirks: { splitOnMarker: true } as never })).toThrow(
      /quirks.splitOnMarker: unknown quirk/,
    );
  });
});
