/** Which SDP track a command uses: the first of its media, as the session sets up. */
import type { Track } from '../sdp/track.js';
import { CommandFailure } from './cli-errors.js';

export function firstTrack(
  tracks: readonly Track[],
  media: 'video' | 'audio',
  forOutput: string,
): Track {
  const track = tracks.find((t) => t.media === media);
  if (!track) throw new CommandFailure(`${forOutput}: the stream has no ${media} track`);
  return track;
}
