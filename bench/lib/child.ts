/**
 * Benchmark processes: a node child runs one side (server or client) so its
 * CPU time and memory are its own. Messages are `{ type, ... }` objects over
 * the IPC channel; a message that arrives before anyone waits for it is kept.
 */
import { fork, type ChildProcess } from 'node:child_process';

// tsx turns on source-mapped stack traces; users' programs run without them, and with them every
// socket error (200 clients vanishing at once) costs the embedded server milliseconds of source-map
// work, enough to stall it for seconds. Every benchmark process imports this module.
process.setSourceMapsEnabled(false);

export interface BenchMessage {
  type: string;
  [key: string]: unknown;
}

export class NodeChild {
  readonly process: ChildProcess;
  readonly #backlog: BenchMessage[] = [];
  readonly #waiters: { type: string; resolve(message: BenchMessage): void }[] = [];
  #exited: Promise<number | null>;

  private constructor(child: ChildProcess) {
    this.process = child;
    child.on('message', (message: BenchMessage) => this.#deliver(message));
    // EPIPE from a message racing the child's exit: the exit itself is what matters.
    child.on('error', () => {});
    this.#exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
  }

  /** Runs `script` (a .ts file, through tsx) with `args`; `env` is added to ours. */
  static start(script: URL, args: readonly string[], env: Record<string, string> = {}): NodeChild {
    const child = fork(script.pathname, args, {
      execArgv: ['--import', 'tsx'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      env: { ...process.env, ...env },
    });
    return new NodeChild(child);
  }

  get pid(): number {
    return this.process.pid!;
  }

  /** Dropped when the child is gone (it may exit on its own while we send). */
  send(message: BenchMessage): void {
    if (this.process.connected) this.process.send(message, () => {});
  }

  /** The next message of `type` (or one already received), failing after `timeoutMs`. */
  next<T extends BenchMessage>(type: string, timeoutMs = 30_000): Promise<T> {
    const index = this.#backlog.findIndex((m) => m.type === type);
    if (index >= 0) return Promise.resolve(this.#backlog.splice(index, 1)[0] as T);
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        reject(new Error(`no '${type}' message from pid ${this.pid} within ${timeoutMs} ms`));
      }, timeoutMs);
      this.#waiters.push({
        type,
        resolve: (message) => {
          clearTimeout(timer);
          resolve(message as T);
        },
      });
      void this.#exited.then((code) => {
        clearTimeout(timer);
        reject(new Error(`pid ${this.pid} exited (${code}) before sending '${type}'`));
      });
    });
  }

  /** Sends `message` and waits for the reply of `replyType`. */
  request<T extends BenchMessage>(
    message: BenchMessage,
    replyType: string,
    timeoutMs?: number,
  ): Promise<T> {
    const reply = this.next<T>(replyType, timeoutMs);
    this.send(message);
    return reply;
  }

  /** Asks the child to stop (`{type:'stop'}`), then kills it if it is still there after `graceMs`. */
  async stop(graceMs = 5000): Promise<void> {
    if (this.process.exitCode !== null || this.process.signalCode !== null) return;
    this.send({ type: 'stop' });
    const timer = setTimeout(() => this.process.kill('SIGKILL'), graceMs);
    await this.#exited;
    clearTimeout(timer);
  }

  #deliver(message: BenchMessage): void {
    const index = this.#waiters.findIndex((w) => w.type === message.type);
    if (index < 0) {
      this.#backlog.push(message);
      return;
    }
    this.#waiters.splice(index, 1)[0]!.resolve(message);
  }
}

/** In a child: send a message to the parent (dropped when run by hand without IPC). */
export function toParent(message: BenchMessage): void {
  process.send?.(message);
}

/** In a child: handle the parent's messages. */
export function fromParent(handler: (message: BenchMessage) => void): void {
  process.on('message', (message: BenchMessage) => handler(message));
}
