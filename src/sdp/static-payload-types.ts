/**
 * Static RTP payload types (RFC 3551 §6, tables 4 and 5), for m= lines that use
 * one without an rtpmap, as many cameras do for G.711 (0, 8) and MJPEG (26).
 */
export interface StaticPayloadType {
  /** Encoding name, lower-cased as in Track.codec. */
  codec: string;
  clockRate: number;
  /** Audio channels; undefined where the table leaves it open or for video. */
  channels: number | undefined;
}

const audio = (
  codec: string,
  clockRate: number,
  channels: number | undefined = 1,
): StaticPayloadType => ({
  codec,
  clockRate,
  channels,
});
const video = (codec: string): StaticPayloadType => ({
  codec,
  clockRate: 90_000,
  channels: undefined,
});

const STATIC_PAYLOAD_TYPES: ReadonlyMap<number, StaticPayloadType> = new Map([
  [0, audio('pcmu', 8000)],
  [3, audio('gsm', 8000)],
  [4, audio('g723', 8000)],
  [5, audio('dvi4', 8000)],
  [6, audio('dvi4', 16_000)],
  [7, audio('lpc', 8000)],
  [8, audio('pcma', 8000)],
  // RFC 3551 §4.5.2: G.722's RTP clock is 8000 although it samples at 16 kHz.
  [9, audio('g722', 8000)],
  [10, audio('l16', 44_100, 2)],
  [11, audio('l16', 44_100)],
  [12, audio('qcelp', 8000)],
  [13, audio('cn', 8000)],
  [14, audio('mpa', 90_000, undefined)],
  [15, audio('g728', 8000)],
  [16, audio('dvi4', 11_025)],
  [17, audio('dvi4', 22_050)],
  [18, audio('g729', 8000)],
  [25, video('celb')],
  [26, video('jpeg')],
  [28, video('nv')],
  [31, video('h261')],
  [32, video('mpv')],
  [33, video('mp2t')],
  [34, video('h263')],
]);

export function staticPayloadType(payloadType: number): StaticPayloadType | undefined {
  return STATIC_PAYLOAD_TYPES.get(payloadType);
}
