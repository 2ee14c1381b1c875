/**
 * What the process holds: resident memory after a full GC, and its active
 * handles (sockets, timers) by kind. Shared by the fault tests and the soak.
 */
import { runInNewContext } from 'node:vm';
import { setFlagsFromString } from 'node:v8';

let gc: (() => void) | undefined;

/** A full GC without a runner flag: V8 exposes `gc` to contexts made after the flag is set. */
export function collectGarbage(): void {
  if (gc === undefined) {
    setFlagsFromString('--expose-gc');
    gc = runInNewContext('gc') as () => void;
  }
  gc();
}

/** Active resources by kind (`TCPSocketWrap`, `UDPWrap`, `Timeout`, ...). */
export function resourceCounts(): Map<string, number> {
  const counts = new Map<string, number>();
  for (const name of process.getActiveResourcesInfo())
    counts.set(name, (counts.get(name) ?? 0) + 1);
  return counts;
}
