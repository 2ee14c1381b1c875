/** rtspkit's public API: everything a user imports comes from here, by name. */
export { RtspSession } from './session/session.js';
export type { RtspSessionOptions, TransportPreference } from './session/options.js';
export { ReconnectingSession, backoffDelayMs } from './session/reconnecting-session.js';
export type {
  ReconnectPolicy,
  ReconnectingSessionOptions,
  ReconnectHooks,
  ReconnectableSession,
} from './session/reconnecting-session.js';
export { DEFAULT_QUIRKS } from './session/quirks.js';
export type { KeepaliveMethodPolicy, QuirkName, QuirkPolicies } from './session/quirks.js';
export type { SessionState } from './session/state.js';
export type { Connector, ConnectRequest, RtspSocket, TlsOptions } from './transport/connect.js';
export type { Logger, LogFn } from './logger.js';
export type { Credentials } from './rtsp/authenticator.js';

export type {
  AudioEvent,
  AudioFrame,
  ClosedEvent,
  ClosedReason,
  ConnectEvent,
  QuirkEvent,
  ReconnectedEvent,
  ReconnectingEvent,
  RtcpEvent,
  RtpEvent,
  RtspEvent,
  RtspEventType,
  RtspExchangeEvent,
  SessionTimings,
  StatsEvent,
  TrackStats,
  VideoEvent,
  VideoFrame,
} from './events/types.js';

export {
  ErrorCodes,
  RtspAbortError,
  RtspAuthError,
  RtspConnectionError,
  RtspError,
  RtspProtocolError,
  RtspResponseError,
  RtspStateError,
  RtspTimeoutError,
} from './errors.js';
export type { ErrorCode, RtspErrorOptions, RtspPhase } from './errors.js';

export { redactUrl } from './rtsp/url.js';
export type { SessionDescription, Track } from './sdp/track.js';
export type {
  AudioCodec,
  DepacketizedAudioFrame,
  DepacketizedFrame,
  DepacketizedVideoFrame,
  Depacketizer,
  DepacketizerOptions,
  DepacketizerStats,
  MediaPacket,
  VideoCodec,
} from './depacketizers/depacketizer.js';

export { serve } from './server/index.js';
export type { RtspFileServer, ServeAuth, ServeOptions } from './server/index.js';

export {
  AdtsWriter,
  AnnexBWriter,
  MjpegWriter,
  Mp4Writer,
  WavWriter,
  audioSpecificConfigFromFmtp,
  createSink,
  isAacRtpCodec,
} from './writers/index.js';
export type {
  AacRtpCodec,
  AnnexBWriterOptions,
  ByteSink,
  FrameWriter,
  Mp4AudioTrack,
  Mp4VideoTrack,
  Mp4WriterOptions,
  OpenSinkOptions,
  SinkTarget,
  WavWriterOptions,
} from './writers/index.js';
