/**
 * One RTSP session of the file server (RFC 2326 §3.8): the file it plays,
 * the tracks set up with their outputs, the player once PLAY came, and when
 * the client was last heard from (requests and RTCP both count, §12.37).
 */
import type { MediaSource } from './media/media-source.js';
import type { Resource } from './resource-resolver.js';
import type { TrackOutput } from './rtp-output.js';
import { StreamPlayer, type PlayerState } from './stream-player.js';

export interface TrackSetup {
  index: number;
  output: TrackOutput;
  ssrc: number;
  /** The URL the client used in SETUP, echoed in RTP-Info. */
  controlUrl: string;
}

export type SessionState = 'init' | PlayerState;

export interface SessionPlayResult {
  positionMs: number;
  rtpInfo: { url: string; seq: number; rtptime: number }[];
}

export class ServerSession {
  private readonly setups = new Map<number, TrackSetup>();
  private player: StreamPlayer | undefined;
  private closed = false;
  /** Monotonic ms of the last request or RTCP packet from the client. */
  lastActivityMs: number;
  /** From `?play_count=N` on the URL; 1 plays once, 0 loops forever. */
  playCount: number;

  constructor(
    readonly id: string,
    readonly resource: Resource,
    readonly source: MediaSource,
    /** The connection that created the session; it ends the session when it closes. */
    readonly owner: object,
    private readonly options: { cname: string; playCount: number; now: () => number },
  ) {
    this.lastActivityMs = options.now();
    this.playCount = options.playCount;
  }

  get state(): SessionState {
    if (this.player) return this.player.state;
    return this.setups.size === 0 ? 'init' : 'ready';
  }

  /** Tracks can be added until the first PLAY. */
  get acceptsSetup(): boolean {
    return this.player === undefined && !this.closed;
  }

  hasTrack(index: number): boolean {
    return this.setups.has(index);
  }

  get outputs(): TrackOutput[] {
    return [...this.setups.values()].map((s) => s.output);
  }

  addTrack(setup: TrackSetup): void {
    this.setups.set(setup.index, setup);
  }

  touch(): void {
    this.lastActivityMs = this.options.now();
  }

  play(seekMs: number | undefined): SessionPlayResult {
    const setups = [...this.setups.values()].sort((a, b) => a.index - b.index);
    if (!this.player) {
      const tracks = setups.map((s) => ({
        track: this.source.tracks[s.index]!,
        output: s.output,
        ssrc: s.ssrc,
      }));
      this.player = new StreamPlayer(this.source, tracks, {
        playCount: this.playCount,
        cname: this.options.cname,
      });
    }
    const start = this.player.play(seekMs, this.playCount);
    return {
      positionMs: start.positionMs,
      rtpInfo: setups.map((s, i) => ({ url: s.controlUrl, ...start.tracks[i]! })),
    };
  }

  pause(): void {
    this.player?.pause();
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.player?.stop();
    for (const setup of this.setups.values()) setup.output.close();
  }
}
