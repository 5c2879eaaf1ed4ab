/**
 * Which events are voided (makulerade): the part of makulering.ts that every rule applies at its
 * entry. It imports nothing, so the timeline can use it without a cycle.
 */

/** What `withoutVoided` needs of an event: any event shape that carries these will do. */
export type VoidableEvent = { id: string; type: string; makulerarId?: unknown };

function voidedIdOf(event: VoidableEvent): string | undefined {
  return event.type === 'makulering' && typeof event.makulerarId === 'string'
    ? event.makulerarId
    : undefined;
}

/**
 * The events as the rules see them: without the voidings, and without the events they void. The
 * same list (not a copy) when nothing is voided, so the common case costs one pass.
 */
export function withoutVoided<E extends VoidableEvent>(events: readonly E[]): E[] {
  if (!events.some((e) => e.type === 'makulering')) return events as E[];
  const gone = new Set<string>();
  for (const event of events) {
    const target = voidedIdOf(event);
    if (target !== undefined) gone.add(target);
  }
  return events.filter((e) => e.type !== 'makulering' && !gone.has(e.id));
}

/** Each voided event's id with the voiding that voided it (the first one, should there be two). */
export function voidingsOf<E extends VoidableEvent>(events: readonly E[]): Map<string, E> {
  const byTarget = new Map<string, E>();
  for (const event of events) {
    const target = voidedIdOf(event);
    if (target !== undefined && !byTarget.has(target)) byTarget.set(target, event);
  }
  return byTarget;
}

/** Whether `id` is voided by one of `events`. */
export function isVoided(events: readonly VoidableEvent[], id: string): boolean {
  return events.some((e) => voidedIdOf(e) === id);
}
