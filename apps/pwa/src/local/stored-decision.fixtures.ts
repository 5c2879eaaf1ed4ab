import type { Me } from '../app/context';
import type { StoredDecision } from './db';

/**
 * Test fixtures: a decision as the device stores it (an LSS 9 § 4 of nämnd n1, handläggare h1,
 * unit e1, ordered from nobody yet), with what a test needs changed given in `extra`.
 */
export function storedDecision(
  id: string,
  beslutsdatum: string,
  extra: Partial<StoredDecision> = {},
): StoredDecision {
  return {
    id,
    namndId: 'n1',
    verksamhetsomrade: 'LSS',
    inriktning: null,
    inriktningText: null,
    lagrum: 'LSS',
    insats: 'LSS_9_4',
    beslutsdatum,
    forhandsbesked: false,
    ersatterBeslutId: null,
    handlaggareId: 'h1',
    enhetId: 'e1',
    extern: false,
    person: { fornamn: 'Alva', efternamn: 'Berg', personnummer: null, ivoId: '19850304-T124' },
    ...extra,
  } as StoredDecision;
}

/** Test fixtures: one role grant of a signed-in user, scoped by `extra` (enhetId, namndId…). */
export const grant = (role: string, extra: object = {}) =>
  ({
    role,
    enhetId: null,
    namndId: null,
    verksamhetsomrade: null,
    ...extra,
  }) as Me['roles'][number];
