/** One media section of a DESCRIBE answer, resolved for SETUP. */
export interface Track {
  /** Index among the media sections kept (0-based, in SDP order). */
  index: number;
  media: 'video' | 'audio';
  /**
   * Encoding name from rtpmap, lower-cased (`h264`, `h265`, `mpeg4-generic`,
   * `mp4a-latm`, `pcma`, `pcmu`, `jpeg`, ...). For static payload types without
   * rtpmap it is filled from RFC 3551 table 4/5 (0 → pcmu, 8 → pcma, 26 → jpeg).
   */
  codec: string;
  payloadType: number;
  clockRate: number;
  /** Audio channels from rtpmap (default 1 for audio). */
  channels: number | undefined;
  /** fmtp parameters for the payload type, keys lower-cased. */
  fmtp: Readonly<Record<string, string>>;
  /** Absolute control URL for SETUP (no credentials in it). */
  control: string;
  /** Raw `a=control` value as written in the SDP (may be relative). */
  controlAttribute: string | undefined;
  /** Other attributes of the media section (`a=` lines, name → value). */
  attributes: Readonly<Record<string, string>>;
}

/** The session description as the client needs it. */
export interface SessionDescription {
  tracks: Track[];
  /** Aggregate control URL for PLAY/PAUSE/TEARDOWN. */
  aggregateControl: string;
  /** Session name (s=), if present. */
  name: string | undefined;
  /** Media sections that could not be used, with why (counted, reported in probe). */
  skipped: { index: number; reason: string }[];
}
