/** Shared by the session integration tests: run a session until a condition, collecting its events. */
import type { RtspEvent } from '../../src/events/types.js';
import type { RtspSession } from '../../src/session/session.js';

export async function runUntil(
  session: RtspSession,
  stop: (event: RtspEvent, all: readonly RtspEvent[]) => boolean,
  then: 'close' | 'continue' = 'close',
): Promise<{ events: RtspEvent[]; iterator: AsyncIterator<RtspEvent> }> {
  const iterator = session.events();
  const events: RtspEvent[] = [];
  for (let next = await iterator.next(); next.done !== true; next = await iterator.next()) {
    events.push(next.value);
    if (stop(next.value, events)) break;
  }
  if (then === 'close') {
    await session.close();
    for (let next = await iterator.next(); next.done !== true; next = await iterator.next())
      events.push(next.value);
  }
  return { events, iterator };
}

export function exchanges(events: readonly RtspEvent[]): string[] {
  return events.flatMap((event) =>
    event.type === 'rtsp' ? [`${event.method} ${event.status}`] : [],
  );
}

/** Handles that outlive a session: sockets and timers (TTYs and the test runner's own are compared away). */
export function activeHandles(): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const name of process.getActiveResourcesInfo()) counts[name] = (counts[name] ?? 0) + 1;
  return counts;
}
