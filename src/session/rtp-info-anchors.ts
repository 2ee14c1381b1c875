/**
 * Which RTP-Info entry (RFC 2326 §12.33) belongs to which set-up track. The
 * RFC has each entry's url be the track's control URL, but cameras write it
 * their own way (a relative control, another host name, a trailing '/': a GW
 * Security camera in retina #12), so matching falls back from the exact URL
 * to the path, then to the order of the entries when there is one per track.
 */
import { parseRtpInfo, type RtpInfoEntry } from '../rtsp/rtp-info.js';
import type { RtpInfoAnchor } from './rtp-info-start.js';

export interface RtpInfoMatch {
  /** Per track (in the order of `controls`): its anchor, or undefined. */
  anchors: (RtpInfoAnchor | undefined)[];
  /** URLs of entries that matched no track. */
  unmatched: string[];
}

const ORIGIN = /^[a-z][a-z0-9+.-]*:\/\/[^/?#]*/i;

/** The path and query, without a trailing '/' or a leading one. */
function pathOf(url: string): string {
  return url
    .trim()
    .replace(ORIGIN, '')
    .replace(/^\/+|\/+$/g, '');
}

function sameResource(entryUrl: string, control: string): boolean {
  const entry = pathOf(entryUrl);
  const track = pathOf(control);
  if (entry === '' || track === '') return false;
  // A relative entry (`trackID=0`) names the end of the control's path.
  return entry === track || track.endsWith(`/${entry}`) || entry.endsWith(`/${track}`);
}

function toAnchor(entry: RtpInfoEntry, ignoreZeroSeq: boolean): RtpInfoAnchor {
  const zeroSeqIgnored = ignoreZeroSeq && entry.seq === 0;
  return {
    seq: zeroSeqIgnored ? undefined : entry.seq,
    rtptime: entry.rtptime,
    zeroSeqIgnored,
    sharedOrigin: true,
  };
}

export function matchRtpInfo(
  header: string,
  controls: readonly string[],
  ignoreZeroSeq: boolean,
): RtpInfoMatch {
  const entries = parseRtpInfo(header);
  const anchors: (RtpInfoAnchor | undefined)[] = controls.map(() => undefined);
  const unmatched: string[] = [];
  const byPosition = entries.length === controls.length;
  entries.forEach((entry, position) => {
    let track = controls.findIndex((control) => control === entry.url);
    if (track < 0) track = controls.findIndex((control) => sameResource(entry.url, control));
    if (track < 0 && byPosition) track = position;
    if (track < 0 || anchors[track] !== undefined) unmatched.push(entry.url);
    else anchors[track] = toAnchor(entry, ignoreZeroSeq);
  });
  // rtptime can be a common pts origin only if every track has one: a track
  // counting from its own first frame would be out of step with the others.
  if (anchors.some((anchor) => anchor?.rtptime === undefined))
    for (const anchor of anchors) if (anchor !== undefined) anchor.sharedOrigin = false;
  return { anchors, unmatched };
}
