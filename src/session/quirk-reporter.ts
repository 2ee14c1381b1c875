/**
 * Turns applied camera quirks into `quirk` events: one per quirk per session,
 * the first time it applies (not per packet), also logged at info so a user's
 * log says which workaround their camera needed (docs/camera-quirks.md).
 */
import type { QuirkEvent } from '../events/types.js';
import type { Logger } from '../logger.js';
import type { QuirkName } from './quirks.js';

export class QuirkReporter {
  readonly #reported = new Set<QuirkName>();
  readonly #emit: (event: QuirkEvent) => void;
  readonly #elapsedMs: () => number;
  readonly #logger: Logger;

  /** `elapsedMs`: the session's monotonic clock, for `sessionElapsedMs`. */
  constructor(emit: (event: QuirkEvent) => void, elapsedMs: () => number, logger: Logger) {
    this.#emit = emit;
    this.#elapsedMs = elapsedMs;
    this.#logger = logger;
  }

  /** Emits the event unless this quirk was already reported; returns whether it did. */
  report(quirk: QuirkName, detail: string): boolean {
    if (this.#reported.has(quirk)) return false;
    this.#reported.add(quirk);
    this.#logger.info({ quirk, detail }, 'camera quirk applied');
    this.#emit({ type: 'quirk', sessionElapsedMs: this.#elapsedMs(), quirk, detail });
    return true;
  }
}
