/**
 * Camera quirk policies: each workaround rtspkit applies for a camera that
 * bends RTSP/RTP is a named option here, with a safe default and the camera
 * family it was seen on (public issue threads; docs/camera-quirks.md has the
 * table). When one applies, the session emits one `quirk` event naming it,
 * the first time only, so users can tell which camera does what.
 */
import { ErrorCodes, RtspError } from '../errors.js';

export type KeepaliveMethodPolicy = 'auto' | 'GET_PARAMETER' | 'OPTIONS';

export interface QuirkPolicies {
  /**
   * Send TEARDOWN on close (default true), bounded by timeoutMs. false only
   * closes the socket: for servers that never answer TEARDOWN, so that every
   * close waits the full timeout (IPTV head-ends behind rtp2httpd, issues
   * #305 and #402 there). Also skips the TEARDOWN of a UDP → TCP fallback.
   */
  teardownOnClose: boolean;
  /**
   * Treat `seq=0` in RTP-Info as absent (default true): some servers write a
   * constant 0 instead of the first sequence number (a SAT>IP server,
   * minisatip #87; `seq=0;rtptime=0` from a camera in retina #117).
   */
  ignoreZeroRtpInfoSeq: boolean;
  /**
   * Do not use RTP-Info at all (default false). By default its seq and rtptime
   * anchor each track's first packet: packets from before PLAY are dropped and
   * pts counts from the play range start, the same origin for every track.
   * Entries without rtptime, with a URL matching no track, or with values far
   * from the first packet are ignored anyway (cameras that omit or garble it:
   * Vstarcam, retina #10; a GW Security camera's RTP-Info URL, retina #12).
   */
  ignoreRtpInfo: boolean;
  /**
   * Marker-less H.264/H.265 (default true): a new RTP timestamp ends the
   * access unit the marker bit should have ended (RFC 6184 §5.1). The
   * depacketizer always splits; false drops those frames instead (strict
   * mode, for diagnosing a camera: on a marker-less one it drops every
   * frame). Seen on Reolink RLC-822A (retina #13) and behind the live555
   * proxy (SharpRTSP #57).
   */
  splitOnTimestampChange: boolean;
  /**
   * Keepalive answers that are errors do not end the session (default true):
   * a GET_PARAMETER refused with any 4xx/5xx switches keepalives to OPTIONS,
   * other failures are logged. Cameras list GET_PARAMETER/SET_PARAMETER in
   * Public and then reject it (TP-Link Tapo C220, retina #136; a "C520WS"
   * ONVIF camera, retina #133; mediamtx #842). false: a non-2xx keepalive
   * answer ends the session with RtspResponseError.
   */
  ignoreKeepaliveErrors: boolean;
  /**
   * A later SETUP answering with another session id keeps the first one
   * (default true), as VLC/live555 and gortsplib do for one aggregate session;
   * false fails SETUP with RtspProtocolError. Seen from go2rtc's server with
   * two tracks (go2rtc #2462) and cheap NVRs.
   */
  acceptChangingSessionId: boolean;
  /**
   * A Content-Base without a scheme (`192.168.1.87:1935/`) is completed from
   * the request URL (default true); false ignores it and resolves controls
   * against Content-Location or the request URL. Seen on SV3C cameras
   * (moonfire-nvr #356) and Android RTSP server apps (retina #135,
   * mediamtx #6167).
   */
  repairSchemelessContentBase: boolean;
  /**
   * 'auto' (default): GET_PARAMETER when Public lists it (RFC 2326 §10.8),
   * else OPTIONS. 'GET_PARAMETER' for servers that support it without listing
   * it and do not count OPTIONS as activity (EvoStream, Streamedian
   * html5_rtsp_player #73); 'OPTIONS' for servers that mishandle GET_PARAMETER.
   */
  keepaliveMethod: KeepaliveMethodPolicy;
  /**
   * With transport 'auto': no RTP over UDP within 3 s of PLAY starts again
   * over TCP (default true), for firewalls and NATs that drop the camera's
   * datagrams. false keeps waiting (the no-data watchdog still applies).
   */
  udpFallbackOnNoMedia: boolean;
  /**
   * Video starts at the first keyframe (default true): frames before it
   * (joining a live stream mid-GOP) cannot be decoded and are dropped and
   * counted in framesDropped. false hands them on (e.g. for byte dumps).
   */
  useFirstKeyframe: boolean;
}

export const DEFAULT_QUIRKS: Readonly<QuirkPolicies> = Object.freeze({
  teardownOnClose: true,
  ignoreZeroRtpInfoSeq: true,
  ignoreRtpInfo: false,
  splitOnTimestampChange: true,
  ignoreKeepaliveErrors: true,
  acceptChangingSessionId: true,
  repairSchemelessContentBase: true,
  keepaliveMethod: 'auto',
  udpFallbackOnNoMedia: true,
  useFirstKeyframe: true,
});

/**
 * The `quirk` field of a quirk event: the policy that was applied, plus
 * 'udp-fallback' (transport 'auto' gave up on UDP: a 461 answer, or silence
 * under udpFallbackOnNoMedia).
 */
export type QuirkName = Exclude<keyof QuirkPolicies, 'keepaliveMethod'> | 'udp-fallback';

const KEEPALIVE_METHODS: readonly KeepaliveMethodPolicy[] = ['auto', 'GET_PARAMETER', 'OPTIONS'];

function invalid(message: string): RtspError {
  return new RtspError(`invalid option quirks.${message}`, ErrorCodes.ERR_RTSP_INVALID_ARGUMENT);
}

/** The defaults with the caller's overrides; an unknown name or a wrong type throws. */
export function resolveQuirks(overrides: unknown): QuirkPolicies {
  if (overrides === undefined) return { ...DEFAULT_QUIRKS };
  if (typeof overrides !== 'object' || overrides === null)
    throw invalid('object: expected an object of quirk policies');
  const resolved: QuirkPolicies = { ...DEFAULT_QUIRKS };
  for (const [name, value] of Object.entries(overrides)) {
    if (value === undefined) continue;
    if (name === 'keepaliveMethod') {
      if (!KEEPALIVE_METHODS.includes(value as KeepaliveMethodPolicy))
        throw invalid(`keepaliveMethod: expected one of ${KEEPALIVE_METHODS.join(', ')}`);
      resolved.keepaliveMethod = value as KeepaliveMethodPolicy;
    } else if (Object.hasOwn(DEFAULT_QUIRKS, name)) {
      if (typeof value !== 'boolean') throw invalid(`${name}: expected a boolean`);
      (resolved as unknown as Record<string, boolean>)[name] = value;
    } else {
      throw invalid(`${name}: unknown quirk (known: ${Object.keys(DEFAULT_QUIRKS).join(', ')})`);
    }
  }
  return resolved;
}
