import type { CaseEvent, Decision } from '../index';

/** A decision for tests: LSS 9 § 10 decided on `beslutsdatum`. */
export function decision(beslutsdatum: string, extra: Partial<Decision> = {}): Decision {
  return { id: 'b1', lagrum: 'LSS', insats: 'LSS_9_10', beslutsdatum, ...extra };
}

let counter = 0;

type EventInput = CaseEvent extends infer E
  ? E extends CaseEvent
    ? Omit<E, 'id' | 'decisionId'> & { id?: string; decisionId?: string }
    : never
  : never;

/** An event of decision `b1` with a fresh id unless one is given. */
export function ev(input: EventInput): CaseEvent {
  counter += 1;
  return { id: `e${String(counter).padStart(4, '0')}`, decisionId: 'b1', ...input } as CaseEvent;
}
