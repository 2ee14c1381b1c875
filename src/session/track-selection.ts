/**
 * Which tracks of the description to SETUP: the media the caller asked for,
 * with a depacketizer from the registry. Unsupported codecs are reported here,
 * at SETUP time, not at the first packet.
 */
import type { Depacketizer } from '../depacketizers/depacketizer.js';
import { createDepacketizer } from '../depacketizers/registry.js';
import { ErrorCodes, RtspError } from '../errors.js';
import type { SessionDescription, Track } from '../sdp/track.js';

export interface SelectedTrack {
  track: Track;
  depacketizer: Depacketizer;
}

export interface TrackSelection {
  selected: SelectedTrack[];
  /** Tracks of wanted media that cannot be depacketized, with why. */
  refused: string[];
}

/** Throws RtspError ERR_RTSP_UNSUPPORTED when nothing can be set up. */
export function selectTracks(
  description: SessionDescription,
  wanted: { video: boolean; audio: boolean; waitForKeyframe: boolean },
): TrackSelection {
  const selected: SelectedTrack[] = [];
  const refused: string[] = [];
  for (const track of description.tracks) {
    if (!wanted[track.media]) continue;
    const result = createDepacketizer(track, { waitForKeyframe: wanted.waitForKeyframe });
    if (result.ok) selected.push({ track, depacketizer: result.depacketizer });
    else refused.push(`${track.media} track ${track.index}: ${result.reason}`);
  }
  if (selected.length === 0) {
    const media = (['video', 'audio'] as const).filter((kind) => wanted[kind]).join(' or ');
    const detail =
      refused.length > 0 ? refused.join('; ') : `the description has no ${media} track`;
    throw new RtspError(
      `no supported track to set up: ${detail}`,
      ErrorCodes.ERR_RTSP_UNSUPPORTED,
      {
        phase: 'SETUP',
      },
    );
  }
  return { selected, refused };
}
