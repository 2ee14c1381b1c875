/**
 * The server's live sessions by id, with the reaper that ends the ones whose
 * client went silent for longer than the announced timeout (RFC 2326 §12.37).
 */
import { randomBytes } from 'node:crypto';
import type { ServerSession } from './server-session.js';

export interface SessionStats {
  /** Sessions created since the server started. */
  sessions: number;
  activeSessions: number;
  /** Media packets dropped for slow TCP clients. */
  packetsDropped: number;
}

export class SessionRegistry {
  private readonly byId = new Map<string, ServerSession>();
  private readonly reaper: NodeJS.Timeout;
  readonly stats: SessionStats = { sessions: 0, activeSessions: 0, packetsDropped: 0 };

  constructor(
    private readonly timeoutMs: number,
    private readonly now: () => number,
    private readonly onReaped: (session: ServerSession) => void,
  ) {
    this.reaper = setInterval(() => this.reap(), Math.min(1000, timeoutMs / 4));
    this.reaper.unref();
  }

  /** A session id that is hard to guess: it is the only thing that authorises PLAY/TEARDOWN on a session. */
  static newId(): string {
    return randomBytes(8).toString('hex').toUpperCase();
  }

  add(session: ServerSession): void {
    this.byId.set(session.id, session);
    this.stats.sessions++;
    this.stats.activeSessions = this.byId.size;
  }

  get(id: string): ServerSession | undefined {
    return this.byId.get(id);
  }

  remove(session: ServerSession): void {
    session.close();
    if (this.byId.get(session.id) === session) this.byId.delete(session.id);
    this.stats.activeSessions = this.byId.size;
  }

  /** RTCP from a client on its RTSP connection keeps its sessions alive (RFC 2326 §12.37). */
  touchOwnedBy(owner: object): void {
    for (const session of this.byId.values()) if (session.owner === owner) session.touch();
  }

  /** Ends every session created by this connection (it closed). */
  removeOwnedBy(owner: object): void {
    for (const session of this.byId.values()) if (session.owner === owner) this.remove(session);
  }

  reap(): void {
    const deadline = this.now() - this.timeoutMs;
    for (const session of this.byId.values()) {
      if (session.lastActivityMs < deadline) {
        this.remove(session);
        this.onReaped(session);
      }
    }
  }

  close(): void {
    clearInterval(this.reaper);
    for (const session of this.byId.values()) this.remove(session);
  }
}
