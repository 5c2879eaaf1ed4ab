import { caseStatus } from '@evb/domain';
import { cleanup, render, screen, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DecisionDeadlines } from './OwnDeadlines';

// LSS 9 § 4 decided 16 March 2026, seen on 1 June: the handläggare's call (16–30 May) is overdue;
// the unit's summary and three-month date are on 16 June.
const status = caseStatus(
  { id: 'd1', lagrum: 'LSS', insats: 'LSS_9_4', beslutsdatum: '2026-03-16' },
  [],
  '2026-06-01',
);

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(new Date('2026-06-01T10:00:00Z'));
});

afterEach(() => {
  cleanup();
  vi.useRealTimers();
});

const section = () => screen.getByRole('region', { name: 'Dina uppgifter' });
const others = () => screen.getByRole('list', { name: 'Andras tidsgränser, för kännedom' });

describe('DecisionDeadlines on a decision’s page', () => {
  it('shows the utförare’s own tasks first, and the overdue call only as information', () => {
    render(<DecisionDeadlines status={status} roles={['utforare']} />);
    const own = within(section()).getAllByRole('list')[0]!;
    expect(
      within(own)
        .getAllByRole('listitem')
        .map((li) => li.textContent),
    ).toEqual([
      'Sammanfattning senast 16 juni 2026 (om 15 dagar)',
      'Tremånadersdag 16 juni 2026 (om 15 dagar)',
    ]);
    const info = within(others()).getAllByRole('listitem');
    expect(info[0]!.textContent).toBe(
      'Uppföljningssamtal senast 30 maj 2026 (passerade för 2 dagar sedan)',
    );
    expect(others().textContent).not.toMatch(/försenad/i);
    expect(others().querySelector('.is-overdue')).toBeNull();
  });

  it('marks the handläggare’s own overdue call late, in red', () => {
    render(<DecisionDeadlines status={status} roles={['handlaggare']} />);
    const own = within(section()).getAllByRole('listitem')[0]!;
    expect(own.textContent).toBe(
      'Försenad sedan 31 maj 2026: Uppföljningssamtal senast 30 maj 2026',
    );
    expect(own.querySelector('.is-overdue')).not.toBeNull();
    expect(
      within(others())
        .getAllByRole('listitem')
        .map((li) => li.textContent),
    ).toEqual([
      'Sammanfattning senast 16 juni 2026 (om 15 dagar)',
      'Tremånadersdag 16 juni 2026 (om 15 dagar)',
      'Individrapport till IVO senast 31 augusti 2026 (om 91 dagar)',
    ]);
  });

  it('says so when only other roles have deadlines left, and shows nothing when none has', () => {
    // Carried out on 15 April after it was reported: only the rapportör's slutrapportering is left.
    const reported = caseStatus(
      { id: 'd2', lagrum: 'LSS', insats: 'LSS_9_4', beslutsdatum: '2025-12-01' },
      [{ id: 'v', decisionId: 'd2', type: 'verkstalld', date: '2026-04-15' }],
      '2026-06-01',
    );
    const { unmount } = render(<DecisionDeadlines status={reported} roles={['utforare']} />);
    expect(
      within(section()).getByText('Inga tidsgränser för dig i beslutet just nu.'),
    ).toBeTruthy();
    expect(
      within(others())
        .getAllByRole('listitem')
        .map((li) => li.textContent),
    ).toEqual(['Individrapport till IVO senast 31 augusti 2026 (om 91 dagar)']);
    unmount();
    // Carried out within three months: nothing is left for anyone.
    const executed = caseStatus(
      { id: 'd3', lagrum: 'LSS', insats: 'LSS_9_4', beslutsdatum: '2026-03-16' },
      [{ id: 'v', decisionId: 'd3', type: 'verkstalld', date: '2026-05-01' }],
      '2026-06-01',
    );
    render(<DecisionDeadlines status={executed} roles={['utforare']} />);
    expect(screen.queryByRole('region', { name: 'Dina uppgifter' })).toBeNull();
  });
});
