import { type CaseEvent, caseStatus } from '@evb/domain';
import { describe, expect, it } from 'vitest';
import { type LocalCase, toDomainDecision } from '../local/cases';
import type { StoredDecision } from '../local/db';
import { storedDecision } from '../local/stored-decision.fixtures';
import { listCases, matchesSearch } from './case-list-view';

const TODAY = '2026-06-01';

/** An event of the decision being made: its id is given, its decision id filled in. */
type EventInput = {
  [K in CaseEvent['type']]: Omit<Extract<CaseEvent, { type: K }>, 'decisionId'>;
}[CaseEvent['type']];

function local(
  id: string,
  beslutsdatum: string,
  events: EventInput[] = [],
  extra: Partial<StoredDecision> = {},
): LocalCase {
  const decision = storedDecision(id, beslutsdatum, {
    person: { fornamn: id, efternamn: 'Lind', ivoId: '19800101-T124' } as StoredDecision['person'],
    ...extra,
  });
  const timeline = events.map((e) => ({
    ...e,
    decisionId: id,
    pending: false,
    rejected: null,
  })) as LocalCase['events'];
  return {
    decision,
    events: timeline,
    status: caseStatus(toDomainDecision(decision), timeline, TODAY),
  };
}

// The domain's own-deadline tests hold the same kinds of decision; here the list's part.
const cases = [
  local('executed', '2025-12-01', [{ id: 'v', type: 'verkstalld', date: '2026-04-15' }]),
  local('fresh', '2026-05-20'),
  local('nearThreeMonths', '2026-03-03', [
    { id: 'u', type: 'uppfoljning', date: '2026-05-10', kontakt: 'God man', text: 'Väntar' },
    { id: 's', type: 'sammanfattning', date: '2026-05-20', text: 'Två boenden erbjudna' },
  ]),
  local('callOverdue', '2026-03-16'),
  local('longWait', '2025-11-10'),
];

const ids = (roles: Parameters<typeof listCases>[1]['roles'], showAll = true) =>
  listCases(cases, { roles, today: TODAY, search: '', showAll }).map((c) => c.decision.id);

describe('listCases', () => {
  it('orders Mina beställningar by the three-month date and the summary, overdue first', () => {
    expect(ids(['utforare', 'matchare'])).toEqual([
      'longWait',
      'nearThreeMonths',
      'callOverdue',
      'fresh',
      'executed',
    ]);
  });

  it('orders Mina beslut by the follow-up call and the message, overdue first', () => {
    expect(ids(['handlaggare'])).toEqual([
      'longWait',
      'callOverdue',
      'nearThreeMonths',
      'fresh',
      'executed',
    ]);
  });

  it('leaves out decisions no longer waiting unless asked for', () => {
    expect(ids(['handlaggare'], false)).not.toContain('executed');
  });

  it('gives each decision the list’s own deadline, not another role’s', () => {
    const [first, second] = listCases(cases, {
      roles: ['utforare'],
      today: TODAY,
      search: '',
      showAll: false,
    });
    expect(first!.own).toMatchObject({ kind: 'sammanfattning', date: '2026-05-08', overdue: true });
    expect(second!.own).toMatchObject({ kind: 'tremanadersdag', date: '2026-06-03', daysLeft: 2 });
  });
});

describe('matchesSearch', () => {
  const list = [
    local('Astrid', '2026-03-01', [], { insats: 'LSS_9_9_GRUPPBOSTAD' }),
    local('Bo', '2026-03-01', [], { insats: 'LSS_9_8', extern: true }),
    local('Cilla', '2026-03-01', [], { insats: 'LSS_9_10' }),
    local('Dan', '2026-03-01', [], { insats: 'LSS_9_1' }),
  ];
  const found = (search: string) =>
    listCases(list, { roles: ['matchare'], today: TODAY, search, showAll: true })
      .map((c) => c.decision.id)
      .sort();

  it('finds decisions by lagrum, written with or without spaces', () => {
    expect(found('9 § 9')).toEqual(['Astrid']);
    expect(found('9§9')).toEqual(['Astrid']);
    expect(found('lss 9 § 10')).toEqual(['Cilla']);
  });

  it('does not take 9 § 1 for 9 § 10', () => {
    expect(found('9 § 1')).toEqual(['Dan']);
  });

  it('tells the external 9 § 8 by its lagrum, and finds by the insats’s name and the person', () => {
    expect(found('externt')).toEqual(['Bo']);
    expect(found('gruppbostad')).toEqual(['Astrid']);
    expect(found('daglig verksamhet')).toEqual(['Cilla']);
    expect(found('cilla')).toEqual(['Cilla']);
    expect(found('')).toHaveLength(4);
  });

  it('matches a single listed case as the list does', () => {
    const bo = listCases([list[1]!], {
      roles: ['matchare'],
      today: TODAY,
      search: '',
      showAll: true,
    });
    expect(matchesSearch(bo[0]!, 'LSS 9 § 8, externt')).toBe(true);
    expect(matchesSearch(bo[0]!, '9 § 9')).toBe(false);
  });
});
