/**
 * RtspSession: the client side of one RTSP session (RFC 2326), from the
 * connection through OPTIONS → DESCRIBE → SETUP (each track) → PLAY to
 * TEARDOWN, delivered as typed events through `for await`.
 *
 * The sans-IO pieces (parser, authenticator, SDP, RTP receivers,
 * depacketizers) are wired here to sockets and timers; every timer and socket
 * is released on close, whichever way the session ends.
 */
import { randomBytes } from 'node:crypto';
import {
  ErrorCodes,
  RtspError,
  RtspProtocolError,
  RtspResponseError,
  RtspTimeoutError,
} from '../errors.js';
import { EventQueue } from '../events/queue.js';
import type { ClosedEvent, ClosedReason, RtspEvent } from '../events/types.js';
import { redactingLogger, type Logger } from '../logger.js';
import { RtpTrackReceiver } from '../rtp/track-receiver.js';
import { Authenticator } from '../rtsp/authenticator.js';
import { parsePublic } from '../rtsp/public-header.js';
import { parseRtspUrl, redactText, redactUrl, type ParsedRtspUrl } from '../rtsp/url.js';
import type { SessionDescription } from '../sdp/track.js';
import { connectSocket, formatEndpoint } from '../transport/connect.js';
import { UdpPortPair, plainAddress } from '../transport/udp-port-pair.js';
import { ControlConnection, phaseOf, type ControlConnectionEvents } from './control-connection.js';
import { exchangeEvent, readDescription } from './exchange-event.js';
import { EventIterator } from './event-iterator.js';
import { keepaliveIntervalMs, keepaliveMethod } from './keepalive.js';
import { MediaRouter } from './media-router.js';
import { MediaTrack, type TrackOutput } from './media-track.js';
import {
  resolveSessionOptions,
  type ResolvedSessionOptions,
  type RtspSessionOptions,
} from './options.js';
import { QuirkReporter } from './quirk-reporter.js';
import { followRedirect, isRedirect } from './redirect.js';
import { assertSuccess, Requester, type Exchange } from './requester.js';
import { matchRtpInfo } from './rtp-info-anchors.js';
import { sessionReply, transportOffer, transportReply } from './setup-reply.js';
import { assertOperation, transition, type SessionState } from './state.js';
import { TimingsRecorder } from './timings.js';
import { selectTracks, type SelectedTrack } from './track-selection.js';

export type { RtspSessionOptions } from './options.js';

/** RTCP receiver report interval (RFC 3550 §6.2 minimum of 5 s). */
const RECEIVER_REPORT_INTERVAL_MS = 5000;
/** 'auto': without any RTP this long after PLAY over UDP, start again over TCP (a firewall drops UDP). */
const UDP_SILENCE_FALLBACK_MS = 3000;
/** The no-data watchdog looks this often at most. */
const WATCHDOG_MAX_PERIOD_MS = 1000;
/** RFC 2326 §11.3.8: 461 Unsupported Transport. */
const UNSUPPORTED_TRANSPORT = 461;
function toRtspError(error: unknown): RtspError {
  if (error instanceof RtspError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new RtspError(redactText(message), ErrorCodes.ERR_RTSP, { cause: error });
}

export class RtspSession implements AsyncIterable<RtspEvent>, AsyncDisposable {
  readonly #options: ResolvedSessionOptions;
  readonly #logger: Logger;
  readonly #startedAt = performance.now();
  readonly #timings = new TimingsRecorder();
  readonly #queue: EventQueue;
  readonly #quirks: QuirkReporter;
  /** Aborted when the session ends: cancels a connect or request still running. */
  readonly #lifetime = new AbortController();
  readonly #localSsrc = randomBytes(4).readUInt32BE(0);
  readonly #trackOutput: TrackOutput;
  readonly #reorderTimers = new Map<MediaTrack, { timer: NodeJS.Timeout; deadline: number }>();
  readonly #intervals: NodeJS.Timeout[] = [];
  /** The URL of the first request; changes on redirect. */
  #target: ParsedRtspUrl;
  /** The URL's own origin: `connectTo` applies to it, credentials go only there. */
  readonly #origin: ParsedRtspUrl;
  #state: SessionState = 'idle';
  #connection: ControlConnection | undefined;
  #requester: Requester | undefined;
  #authenticator: Authenticator | undefined;
  #description: SessionDescription | undefined;
  #describeError: RtspError | undefined;
  #selected: SelectedTrack[] = [];
  #router = new MediaRouter(() => void this.#finish('server-closed'));
  /** `$` frames on no set-up channel, counted by routers released before the current one. */
  #unknownChannelFrames = 0;
  #lowerTransport: 'tcp' | 'udp' = 'tcp';
  #publicMethods: ReadonlySet<string> = new Set();
  #sessionTimeoutSec: number | undefined;
  #getParameterRefused = false;
  /** The next PLAY starts the tracks just set up: its RTP-Info anchors them. */
  #anchorNextPlay = false;
  /** #start() until it settles (it never rejects: failures end the session). */
  #starting: Promise<void> | undefined;
  #keepaliveInFlight = false;
  #fallbackTimer: NodeJS.Timeout | undefined;
  /** Moving from UDP to TCP mid-session: the old connection's end and the silence are expected. */
  #fallingBack = false;
  #closing: Promise<void> | undefined;
  readonly #onAbortSignal = (): void => void this.#finish('aborted');

  constructor(url: string, options: RtspSessionOptions = {}) {
    if (typeof url !== 'string') {
      throw new RtspError(
        'invalid RTSP URL: expected a string',
        ErrorCodes.ERR_RTSP_INVALID_ARGUMENT,
      );
    }
    this.#options = resolveSessionOptions(options);
    this.#target = parseRtspUrl(url);
    this.#origin = this.#target;
    this.#logger = redactingLogger(this.#options.logger).child({ url: redactUrl(url) });
    const credentials =
      this.#options.credentials ??
      (this.#target.username === undefined
        ? undefined
        : { username: this.#target.username, password: this.#target.password ?? '' });
    if (credentials !== undefined) {
      this.#authenticator = new Authenticator(credentials, {
        allowBasic: this.#options.allowBasicAuth,
      });
    }
    this.#queue = new EventQueue({
      highWaterMark: this.#options.highWaterMark,
      highWaterBytes: this.#options.highWaterBytes,
      overflow: 'pause',
      onPressure: (paused) => this.#onQueuePressure(paused),
      onDrop: (event) => this.#onEventDropped(event),
    });
    this.#quirks = new QuirkReporter(
      (event) => this.#queue.push(event),
      () => performance.now() - this.#startedAt,
      this.#logger,
    );
    this.#trackOutput = {
      startedAt: this.#startedAt,
      timings: this.#timings,
      quirks: this.#options.quirks,
      emit: (event) => this.#queue.push(event),
      quirk: (quirk, detail) => void this.#quirks.report(quirk, detail),
      armReorderTimer: (track, deadline) => this.#armReorderTimer(track, deadline),
    };
  }

  /** Where the session is: idle, starting, playing, paused, closing, closed. */
  get state(): SessionState {
    return this.#state;
  }

  [Symbol.asyncIterator](): AsyncIterator<RtspEvent> {
    return this.events();
  }

  /**
   * Starts the session and yields its events; `closed` is always the last.
   * A failure before PLAY rejects the iteration (after `closed`) with the
   * error; a failure after PLAY ends it with `closed` carrying the error.
   */
  events(): AsyncGenerator<RtspEvent, void, undefined> {
    assertOperation('iterate', this.#state);
    this.#state = transition(this.#state, 'starting');
    const signal = this.#options.signal;
    if (signal?.aborted === true) {
      void this.#finish('aborted');
    } else {
      signal?.addEventListener('abort', this.#onAbortSignal, { once: true });
      this.#starting = this.#start();
    }
    // Also when the consumer leaves the loop early.
    return new EventIterator(this.#queue, () => this.close());
  }

  /** TEARDOWN (best effort, bounded by timeoutMs), then the sockets. Idempotent. */
  close(): Promise<void> {
    return this.#finish('teardown');
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  /** PAUSE (RFC 2326 §10.6): media stops, keepalives go on. */
  async pause(): Promise<void> {
    // The PLAY answer's event is queued a few steps before the state turns 'playing'.
    if (this.#state === 'starting') await this.#starting;
    assertOperation('pause', this.#state);
    await this.#aggregateRequest('PAUSE');
    if (this.#state !== 'playing') return;
    this.#state = transition(this.#state, 'paused');
    // Partial frames will not be completed: the next packets follow a gap.
    for (const track of this.#router.tracks) track.depacketizer.reset();
  }

  /** PLAY again after pause() (resumes where it stopped: no Range). */
  async play(): Promise<void> {
    if (this.#state === 'starting') await this.#starting;
    assertOperation('play', this.#state);
    await this.#aggregateRequest('PLAY');
    if (this.#state !== 'paused') return;
    this.#state = transition(this.#state, 'playing');
    if (this.#connection !== undefined) this.#connection.lastDataAt = performance.now();
  }

  async #start(): Promise<void> {
    try {
      await this.#describe();
      await this.#setup();
      await this.#playFromStart();
      if (this.#closing !== undefined) return;
      this.#state = transition(this.#state, 'playing');
      this.#startTimers();
    } catch (error) {
      if (this.#closing !== undefined) return;
      const failure = toRtspError(error);
      this.#logger.warn({ err: failure }, 'session failed before PLAY');
      void this.#finish(failure instanceof RtspTimeoutError ? 'timeout' : 'error', failure, true);
    }
  }

  // ---- OPTIONS, DESCRIBE, redirects ----

  async #describe(): Promise<void> {
    for (let hops = 0; ; hops++) {
      await this.#connect();
      const requester = this.#requester!; // set by #connect
      const url = this.#target.url.href;
      const options = await requester.send('OPTIONS', url, { signal: this.#lifetime.signal });
      if (isRedirect(options.response.status)) {
        this.#redirect(options, hops);
        continue;
      }
      // Cameras answer OPTIONS oddly (404, no Public); only DESCRIBE's answer decides.
      this.#publicMethods = parsePublic(options.response.headers.get('public'));
      const describe = await requester.send('DESCRIBE', url, {
        headers: { Accept: 'application/sdp' },
        signal: this.#lifetime.signal,
      });
      if (isRedirect(describe.response.status)) {
        this.#redirect(describe, hops);
        continue;
      }
      assertSuccess(describe);
      if (this.#describeError !== undefined) throw this.#describeError;
      return;
    }
  }

  #redirect(exchange: Exchange, hops: number): void {
    const { response, method } = exchange;
    const next = followRedirect(
      method,
      response.status,
      this.#target,
      response.headers.get('location'),
      hops,
    );
    this.#logger.info(
      { status: response.status, location: next.target.url.href },
      'following redirect',
    );
    this.#connection?.close();
    this.#connection = undefined;
    this.#target = next.target;
    const sameOriginAsUrl =
      next.target.secure === this.#origin.secure &&
      next.target.host === this.#origin.host &&
      next.target.port === this.#origin.port;
    // Never send the credentials to another host (RFC 7235 §2.2: protection spaces are per origin).
    if (this.#requester !== undefined)
      this.#requester.authenticator = sameOriginAsUrl ? this.#authenticator : undefined;
  }

  async #connect(): Promise<void> {
    const target = this.#target;
    const relay = this.#options.connectTo;
    const dialsOrigin = target.host === this.#origin.host && target.port === this.#origin.port;
    const host = relay !== undefined && dialsOrigin ? relay.host : target.host;
    const port = relay !== undefined && dialsOrigin ? relay.port : target.port;
    const endpoint = formatEndpoint(host, port);
    const connect = this.#options.connect ?? connectSocket;
    const before = performance.now();
    const socket = await connect({
      host,
      port,
      secure: target.secure,
      servername: target.host,
      tls: this.#options.tls,
      timeoutMs: this.#options.timeoutMs,
      signal: this.#lifetime.signal,
    });
    const elapsedMs = performance.now() - before;
    if (this.#closing !== undefined) {
      socket.destroy();
      return;
    }
    const connection = new ControlConnection(
      socket,
      endpoint,
      this.#connectionEvents(),
      this.#logger,
    );
    this.#connection = connection;
    if (this.#requester === undefined) {
      this.#requester = new Requester(connection, {
        userAgent: this.#options.userAgent,
        timeoutMs: this.#options.timeoutMs,
        authenticator: this.#authenticator,
        onExchange: (exchange) => this.#onExchange(exchange),
      });
    } else {
      this.#requester.connection = connection;
      this.#requester.sessionId = undefined;
    }
    this.#timings.connectMs = elapsedMs;
    this.#emit({
      type: 'connect',
      sessionElapsedMs: performance.now() - this.#startedAt,
      localAddress: formatEndpoint(socket.localAddress ?? 'unknown', socket.localPort),
      remoteAddress: formatEndpoint(socket.remoteAddress ?? host, socket.remotePort ?? port),
      elapsedMs,
    });
    this.#logger.debug({ endpoint, elapsedMs }, 'connected');
  }

  #connectionEvents(): ControlConnectionEvents {
    return {
      onInterleaved: (channel, data, nowMs, receivedAt) =>
        this.#router.onInterleaved(channel, data, nowMs, receivedAt),
      onResponse: (method, response) => {
        // Synchronously: the `$` frames right behind PLAY's answer must meet their anchor.
        if (method !== 'PLAY' || !this.#anchorNextPlay) return;
        if (response.status < 200 || response.status > 299) return;
        this.#anchorNextPlay = false;
        this.#anchorTracks(response.headers.get('rtp-info'));
      },
      onServerNotice: (notice) => {
        if (notice.kind === 'announce') {
          this.#logger.info(
            'server sent ANNOUNCE (description changed); continuing with the tracks set up',
          );
          return;
        }
        const where = notice.location === undefined ? 'no Location' : redactUrl(notice.location);
        void this.#finish(
          'server-closed',
          new RtspError(`server sent REDIRECT (${where})`, ErrorCodes.ERR_RTSP, {
            phase: 'streaming',
          }),
        );
      },
      onClosed: (error) => {
        // While starting (or falling back), the request in flight fails and its caller reports it.
        if ((this.#state !== 'playing' && this.#state !== 'paused') || this.#fallingBack) return;
        void this.#finish(error === undefined ? 'server-closed' : 'error', error);
      },
    };
  }

  #onExchange(exchange: Exchange): void {
    const { response, method, elapsedMs } = exchange;
    this.#timings.recordMethod(method, elapsedMs);
    const event = exchangeEvent(exchange, exchange.respondedAt - this.#startedAt);
    if (method === 'DESCRIBE' && response.status >= 200 && response.status <= 299) {
      const repair = this.#options.quirks.repairSchemelessContentBase;
      const result = readDescription(exchange, repair);
      if (result.schemelessContentBase !== undefined) {
        this.#quirks.report(
          'repairSchemelessContentBase',
          `Content-Base "${redactText(result.schemelessContentBase)}" has no scheme: ${repair ? 'completed from the request URL' : 'ignored'}`,
        );
      }
      event.sdp = result.sdp;
      if (result.description !== undefined) event.tracks = result.description.tracks;
      this.#description = result.description;
      this.#describeError = result.error;
    }
    this.#logger.debug({ method, status: response.status, elapsedMs }, 'rtsp response');
    this.#emit(event);
  }

  // ---- SETUP ----

  async #setup(): Promise<void> {
    const { selected, refused } = selectTracks(this.#description!, this.#options); // #describe succeeded
    if (refused.length > 0) this.#logger.warn({ refused }, 'tracks not set up');
    this.#selected = selected;
    if (this.#options.transport === 'tcp') {
      await this.#setupTracks('tcp');
      return;
    }
    try {
      await this.#setupTracks('udp');
    } catch (error) {
      if (!(
        this.#options.transport === 'auto' &&
        error instanceof RtspResponseError &&
        error.status === UNSUPPORTED_TRANSPORT
      )) {
        throw error;
      }
      await this.#switchToTcp('SETUP over UDP answered 461 Unsupported Transport');
    }
  }

  async #setupTracks(lower: 'tcp' | 'udp'): Promise<void> {
    this.#lowerTransport = lower;
    this.#queue.setOverflow(lower === 'tcp' ? 'pause' : 'drop-oldest');
    const requester = this.#requester!; // connected
    for (const [position, { track, depacketizer }] of this.#selected.entries()) {
      const pair = lower === 'udp' ? await this.#bindUdp() : undefined;
      const offer = transportOffer(
        position,
        pair === undefined ? undefined : { rtp: pair.rtpPort, rtcp: pair.rtcpPort },
      );
      const exchange = await requester.sendOk('SETUP', track.control, {
        headers: { Transport: offer },
        signal: this.#lifetime.signal,
      });
      this.#adoptSession(exchange);
      const reply = transportReply(exchange, offer);
      const receiver = new RtpTrackReceiver({
        clockRate: track.clockRate,
        payloadType: track.payloadType,
        reorder: lower === 'udp',
        expectedSsrc: reply.ssrc,
        localSsrc: this.#localSsrc,
      });
      const media = new MediaTrack(
        track,
        receiver,
        depacketizer,
        this.#trackOutput,
        performance.now(),
      );
      if (pair === undefined) {
        this.#router.addInterleaved(media, reply.interleaved ?? [2 * position, 2 * position + 1]);
      } else {
        const serverAddress = plainAddress(this.#connection?.remoteAddress ?? this.#target.host);
        this.#router.addUdp(media, pair, {
          address: reply.source ?? serverAddress,
          rtpPort: reply.serverPort?.[0],
          rtcpPort: reply.serverPort?.[1],
        });
      }
    }
  }

  /**
   * Binds on the control connection's local address: the interface that
   * reaches the server (and 127.0.0.1 for a local one). A server that sends
   * media from another network than its RTSP address needs a route back to it.
   */
  async #bindUdp(): Promise<UdpPortPair> {
    const localAddress = plainAddress(this.#connection?.localAddress ?? '0.0.0.0');
    const pair = await UdpPortPair.bind(localAddress);
    if (this.#closing !== undefined) {
      pair.close();
      throw new RtspError('session closed while binding UDP ports', ErrorCodes.ERR_RTSP_ABORTED, {
        phase: 'SETUP',
      });
    }
    return pair;
  }

  #adoptSession(exchange: Exchange): void {
    const requester = this.#requester!; // connected
    const first = requester.sessionId;
    const session = sessionReply(exchange, first !== undefined);
    if (session === undefined || session.id === first) return;
    if (first === undefined) {
      requester.sessionId = session.id;
      this.#sessionTimeoutSec = session.timeoutSec;
      if (session.timeoutInvalid) this.#logger.warn('unusable Session timeout, using 60 s');
      return;
    }
    // One aggregate session (RFC 2326 §12.37): a later SETUP must not start another.
    if (!this.#options.quirks.acceptChangingSessionId) {
      throw new RtspProtocolError(
        `SETUP ${exchange.response.status}: session id ${session.id} differs from ${first} of the first SETUP (RFC 2326 §12.37)`,
        { phase: 'SETUP', method: 'SETUP', cseq: exchange.cseq },
      );
    }
    this.#quirks.report(
      'acceptChangingSessionId',
      `SETUP of ${redactUrl(exchange.url)} answered session ${session.id}; keeping ${first}`,
    );
  }

  /**
   * 'auto' falls back to interleaved TCP. A session already created for UDP
   * is torn down and a fresh connection set up, as the server may have bound
   * resources to it.
   */
  async #switchToTcp(why: string): Promise<void> {
    this.#quirks.report('udp-fallback', why);
    this.#releaseMedia();
    // Frames cut short by the switch are dropped; the first over TCP is marked discontinuous.
    for (const { depacketizer } of this.#selected) depacketizer.reset();
    if (this.#requester?.sessionId !== undefined) {
      await this.#teardown();
      this.#connection?.close();
      await this.#connect();
    }
    await this.#setupTracks('tcp');
  }

  // ---- PLAY, PAUSE, keepalive ----

  async #playFromStart(): Promise<void> {
    this.#anchorNextPlay = true;
    try {
      await this.#aggregateRequest('PLAY', { Range: 'npt=0.000-' });
    } finally {
      this.#anchorNextPlay = false;
    }
    if (this.#lowerTransport === 'udp') this.#router.punchHoles(performance.now(), this.#localSsrc);
    if (this.#connection !== undefined) this.#connection.lastDataAt = performance.now();
  }

  /** Hands each track its RTP-Info entry (quirks.ignoreRtpInfo, ignoreZeroRtpInfoSeq). */
  #anchorTracks(rtpInfo: string | undefined): void {
    if (rtpInfo === undefined) return;
    const quirks = this.#options.quirks;
    if (quirks.ignoreRtpInfo) {
      this.#quirks.report('ignoreRtpInfo', 'RTP-Info not used (quirks.ignoreRtpInfo)');
      return;
    }
    const tracks = this.#router.tracks;
    const controls = tracks.map((media) => media.track.control);
    const { anchors, unmatched } = matchRtpInfo(rtpInfo, controls, quirks.ignoreZeroRtpInfoSeq);
    const now = performance.now();
    tracks.forEach((media, position) => {
      const anchor = anchors[position];
      if (anchor === undefined) return;
      media.anchor(anchor);
      // UDP packets that overtook this answer may wait on the seq it names: release them now.
      media.flushDue(now);
    });
    if (unmatched.length > 0 && anchors.includes(undefined)) {
      this.#quirks.report(
        'ignoreRtpInfo',
        `RTP-Info url ${unmatched.map(redactText).join(', ')} matches no track set up: not used`,
      );
    }
  }

  #aggregateRequest(method: 'PLAY' | 'PAUSE', headers?: Record<string, string>): Promise<Exchange> {
    const url = this.#description?.aggregateControl ?? this.#target.url.href;
    return this.#requester!.sendOk(method, url, { headers, signal: this.#lifetime.signal }); // after SETUP
  }

  async #keepalive(): Promise<void> {
    if (this.#keepaliveInFlight || this.#requester === undefined) return;
    this.#keepaliveInFlight = true;
    const quirks = this.#options.quirks;
    const method = keepaliveMethod(
      this.#publicMethods,
      this.#getParameterRefused,
      quirks.keepaliveMethod,
    );
    try {
      const url = this.#description?.aggregateControl ?? this.#target.url.href;
      const exchange = await this.#requester.send(method, url, { signal: this.#lifetime.signal });
      const { status, reason } = exchange.response;
      if (status >= 200 && status <= 299) return;
      if (!quirks.ignoreKeepaliveErrors) {
        const error = new RtspResponseError(method, status, reason, {
          phase: phaseOf(method),
          cseq: exchange.cseq,
        });
        if (this.#closing === undefined) void this.#finish('error', error);
        return;
      }
      if (method === 'GET_PARAMETER') this.#getParameterRefused = true;
      this.#quirks.report(
        'ignoreKeepaliveErrors',
        `${method} keepalive answered ${status} ${reason}${method === 'GET_PARAMETER' ? ': keepalives use OPTIONS' : ': ignored'}`,
      );
    } catch (error) {
      // A lost keepalive is not fatal: the server's timeout is at least twice the interval.
      this.#logger.debug({ err: toRtspError(error), method }, 'keepalive failed');
    } finally {
      this.#keepaliveInFlight = false;
    }
  }

  // ---- timers ----

  #startTimers(): void {
    const options = this.#options;
    this.#every(keepaliveIntervalMs(this.#sessionTimeoutSec), () => void this.#keepalive());
    this.#every(RECEIVER_REPORT_INTERVAL_MS, () =>
      this.#router.sendReceiverReports(performance.now(), this.#connection),
    );
    this.#every(Math.min(WATCHDOG_MAX_PERIOD_MS, Math.max(10, options.timeoutMs / 4)), () =>
      this.#watchdog(),
    );
    if (options.statsIntervalMs > 0) this.#every(options.statsIntervalMs, () => this.#emitStats());
    if (
      options.transport === 'auto' &&
      this.#lowerTransport === 'udp' &&
      options.quirks.udpFallbackOnNoMedia
    ) {
      this.#fallbackTimer = setTimeout(
        () => void this.#fallbackIfSilent(),
        UDP_SILENCE_FALLBACK_MS,
      );
    }
  }

  #every(periodMs: number, task: () => void): void {
    this.#intervals.push(setInterval(task, periodMs));
  }

  /** After PLAY, no byte from the server for timeoutMs ends the session ('timeout'). */
  #watchdog(): void {
    // Paused: no media is due. Backpressure: we stopped reading ourselves. UDP fallback pending
    // or under way: the silence is what it is about.
    if (
      this.#state !== 'playing' ||
      this.#queue.paused ||
      this.#fallbackTimer !== undefined ||
      this.#fallingBack
    )
      return;
    const lastData = Math.max(this.#connection?.lastDataAt ?? 0, this.#router.lastDatagramAt);
    const silentMs = performance.now() - lastData;
    if (silentMs < this.#options.timeoutMs) return;
    const error = new RtspTimeoutError(
      `no data from the server for ${Math.round(silentMs)} ms`,
      this.#options.timeoutMs,
      {
        phase: 'streaming',
      },
    );
    void this.#finish('timeout', error);
  }

  async #fallbackIfSilent(): Promise<void> {
    this.#fallbackTimer = undefined;
    if (
      this.#state !== 'playing' ||
      this.#router.tracks.some((track) => track.receiver.stats.packets > 0)
    )
      return;
    this.#fallingBack = true;
    try {
      await this.#switchToTcp(`no RTP over UDP within ${UDP_SILENCE_FALLBACK_MS} ms of PLAY`);
      await this.#playFromStart();
    } catch (error) {
      if (this.#closing === undefined) void this.#finish('error', toRtspError(error));
    } finally {
      this.#fallingBack = false;
    }
  }

  #emitStats(): void {
    const now = performance.now();
    this.#router.collectRejected();
    this.#emit({
      type: 'stats',
      sessionElapsedMs: now - this.#startedAt,
      tracks: this.#router.tracks.map((track) => track.stats(now)),
      timings: this.#timings.snapshot(),
      at: Date.now(),
      unknownChannelFrames: this.#unknownChannelFrames + this.#router.unknownChannelFrames,
    });
  }

  #armReorderTimer(track: MediaTrack, deadline: number): void {
    const armed = this.#reorderTimers.get(track);
    if (armed !== undefined && armed.deadline <= deadline) return;
    if (armed !== undefined) clearTimeout(armed.timer);
    const timer = setTimeout(
      () => {
        this.#reorderTimers.delete(track);
        track.flushDue(performance.now());
      },
      Math.max(0, deadline - performance.now()),
    );
    this.#reorderTimers.set(track, { timer, deadline });
  }

  #clearTimers(): void {
    for (const interval of this.#intervals) clearInterval(interval);
    this.#intervals.length = 0;
    clearTimeout(this.#fallbackTimer);
    this.#fallbackTimer = undefined;
    for (const { timer } of this.#reorderTimers.values()) clearTimeout(timer);
    this.#reorderTimers.clear();
  }

  // ---- events and shutdown ----

  #emit(event: RtspEvent): void {
    this.#queue.push(event);
  }

  #onQueuePressure(paused: boolean): void {
    if (this.#lowerTransport !== 'tcp' || this.#connection === undefined) return;
    if (paused) {
      this.#connection.pause();
    } else {
      this.#connection.lastDataAt = performance.now();
      this.#connection.resume();
    }
  }

  #onEventDropped(event: RtspEvent): void {
    if (
      event.type === 'rtp' ||
      event.type === 'rtcp' ||
      event.type === 'video' ||
      event.type === 'audio'
    ) {
      const track = this.#router.track(event.track);
      if (track !== undefined) track.eventsDropped++;
    }
  }

  #releaseMedia(): void {
    this.#unknownChannelFrames += this.#router.unknownChannelFrames;
    for (const { timer } of this.#reorderTimers.values()) clearTimeout(timer);
    this.#reorderTimers.clear();
    this.#router.release();
    this.#router = new MediaRouter(() => void this.#finish('server-closed'));
  }

  async #teardown(): Promise<void> {
    const requester = this.#requester;
    if (
      requester?.sessionId === undefined ||
      this.#connection === undefined ||
      this.#connection.closed
    )
      return;
    if (!this.#options.quirks.teardownOnClose) {
      this.#quirks.report('teardownOnClose', 'TEARDOWN not sent (quirks.teardownOnClose is false)');
      requester.sessionId = undefined;
      return;
    }
    const url = this.#description?.aggregateControl ?? this.#target.url.href;
    try {
      await requester.send('TEARDOWN', url, { timeoutMs: this.#options.timeoutMs });
    } catch (error) {
      this.#logger.debug({ err: toRtspError(error) }, 'TEARDOWN failed (ignored)');
    }
    requester.sessionId = undefined;
  }

  #finish(reason: ClosedReason, error?: RtspError, failIteration = false): Promise<void> {
    this.#closing ??= this.#shutdown(reason, error, failIteration);
    return this.#closing;
  }

  async #shutdown(
    reason: ClosedReason,
    error: RtspError | undefined,
    failIteration: boolean,
  ): Promise<void> {
    const startedStreaming = this.#state !== 'idle';
    this.#state = transition(this.#state, 'closing');
    this.#options.signal?.removeEventListener('abort', this.#onAbortSignal);
    this.#clearTimers();
    // Cancels a connect or request still running; TEARDOWN below does not use this signal.
    this.#lifetime.abort();
    // No more media: the session is ending. Reading resumes so TEARDOWN's answer gets through
    // even if a full queue had paused the socket.
    this.#releaseMedia();
    this.#connection?.resume();
    if (reason !== 'server-closed') await this.#teardown();
    this.#connection?.close();
    this.#router.release();
    this.#state = transition(this.#state, 'closed');
    if (error !== undefined) this.#logger.info({ reason, err: error }, 'session closed');
    else this.#logger.debug({ reason }, 'session closed');
    if (startedStreaming) {
      const closed: ClosedEvent = {
        type: 'closed',
        sessionElapsedMs: performance.now() - this.#startedAt,
        reason,
        timings: this.#timings.snapshot(),
      };
      if (error !== undefined) closed.error = error;
      this.#queue.push(closed);
    }
    this.#queue.end(failIteration ? error : undefined);
  }
}
