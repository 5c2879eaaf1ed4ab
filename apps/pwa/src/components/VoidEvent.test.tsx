import 'fake-indexeddb/auto';
import { addDays, type CaseEvent, todayInStockholm } from '@evb/domain';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { type Me, MeContext, ServicesContext } from '../app/context';
import { type LocalDb, openLocalDb } from '../local/db';
import { draftKey } from '../local/drafts';
import { useLocalInvalidation } from '../local/hooks';
import { grant, storedDecision } from '../local/stored-decision.fixtures';
import { DecisionPage } from '../screens/DecisionPage';
import { type SyncApi, SyncEngine } from '../sync/engine';

/*
 * Makulering on the decision page (issue 12), offline: who is offered "Makulera" and "Rätta", the
 * reason it asks for, the voiding queued in the outbox, the voided event struck through with who
 * and why, and the local rules ignoring it at once.
 */

const mocks = vi.hoisted(() => ({ history: vi.fn() }));
vi.mock('../api/client', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../api/client')>()),
  api: { reports: { history: { query: mocks.history } } },
}));

const today = todayInStockholm();
const beslutsdatum = addDays(today, -120);
const decision = storedDecision('b1', beslutsdatum);

const USERS = {
  utforare: { id: 'u1', roles: [grant('utforare', { enhetId: 'e1' })] },
  utforare2: { id: 'u2', roles: [grant('utforare', { enhetId: 'e1' })] },
  handlaggare: { id: 'h1', roles: [grant('handlaggare', { namndId: 'n1' })] },
} as unknown as Record<string, Me>;

const executed = {
  id: 'x1',
  decisionId: 'b1',
  type: 'verkstalld',
  date: addDays(beslutsdatum, 30),
  recordedBy: { id: 'u1', namn: 'Ulla Utförare' },
} as CaseEvent;

let db: LocalDb;
let n = 0;

beforeEach(async () => {
  db = await openLocalDb(`void-event-${++n}`);
  await db.put('decisions', decision);
  await db.put('events', executed);
  mocks.history.mockReset().mockResolvedValue({ decisionId: 'b1', filings: [] });
});

afterEach(() => {
  cleanup();
  db.close();
});

function Invalidation() {
  useLocalInvalidation();
  return null;
}

async function open(user: string) {
  // Offline, signed out of sync: everything stays in the outbox.
  const engine = new SyncEngine(db, {} as SyncApi, false);
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  render(
    <QueryClientProvider client={client}>
      <ServicesContext.Provider value={{ db, engine }}>
        <MeContext.Provider value={USERS[user]!}>
          <Invalidation />
          <DecisionPage params={{ id: 'b1' }} />
        </MeContext.Provider>
      </ServicesContext.Provider>
    </QueryClientProvider>,
  );
  await screen.findByRole('heading', { level: 1, name: 'Alva Berg' });
  return screen.getByRole('region', { name: 'Händelser' });
}

describe('Makulera on the timeline', () => {
  it('is offered to whoever logged the event and to the decision’s handläggare, not to others', async () => {
    const mine = await open('utforare');
    expect(within(mine).getByRole('button', { name: /^Makulera verkställt/ })).toBeTruthy();
    cleanup();
    const handlaggare = await open('handlaggare');
    expect(within(handlaggare).getByRole('button', { name: /^Rätta verkställt/ })).toBeTruthy();
    cleanup();
    const other = await open('utforare2');
    expect(within(other).queryByRole('button', { name: /^Makulera/ })).toBeNull();
  });

  it('asks for a reason, queues the voiding offline, strikes the event and waits again at once', async () => {
    const timeline = await open('utforare');
    expect(screen.getByText('Verkställt', { selector: '.badge' })).toBeTruthy();
    fireEvent.click(within(timeline).getByRole('button', { name: /^Makulera verkställt/ }));
    fireEvent.click(within(timeline).getByRole('button', { name: 'Makulera händelsen' }));
    expect((await within(timeline).findByRole('alert')).textContent).toBe(
      'Skriv varför händelsen makuleras',
    );
    expect(await db.getAll('outbox')).toEqual([]);

    fireEvent.change(within(timeline).getByLabelText('Varför makuleras händelsen?'), {
      target: { value: 'Registrerad på fel person' },
    });
    fireEvent.click(within(timeline).getByRole('button', { name: 'Makulera händelsen' }));
    await waitFor(async () => expect(await db.getAll('outbox')).toHaveLength(1));
    const [queued] = await db.getAll('outbox');
    expect(queued!.mutation.event).toMatchObject({
      type: 'makulering',
      makulerarId: 'x1',
      text: 'Registrerad på fel person',
      date: today,
    });

    const note = await within(timeline).findByText(/^Makulerad av dig den/);
    expect(note.textContent).toContain('Registrerad på fel person');
    expect(note.textContent).toContain('väntar på att skickas');
    expect(timeline.querySelector('del')?.textContent).toContain('Verkställt');
    // The local rules no longer count the execution: the decision waits.
    await waitFor(() => expect(screen.getByText('Väntar', { selector: '.badge' })).toBeTruthy());
    expect(within(timeline).queryByRole('button', { name: /^Makulera/ })).toBeNull();
  });

  async function startCorrection(timeline: HTMLElement) {
    fireEvent.click(within(timeline).getByRole('button', { name: /^Rätta verkställt/ }));
    fireEvent.change(within(timeline).getByLabelText('Varför makuleras händelsen?'), {
      target: { value: 'Fel datum' },
    });
    fireEvent.click(within(timeline).getByRole('button', { name: 'Rätta i formuläret' }));
    return screen.findByRole('form', { name: 'Verkställt' });
  }

  it('Rätta opens the form filled in with what was logged, and saving queues the voiding and the corrected event together', async () => {
    const timeline = await open('handlaggare');
    const form = await startCorrection(timeline);
    const date = within(form).getByLabelText(/Datum/) as HTMLInputElement;
    expect(date.value).toBe(executed.date);
    // Nothing is voided until the correction is saved.
    expect(await db.getAll('outbox')).toEqual([]);
    const corrected = addDays(executed.date, -2);
    fireEvent.change(date, { target: { value: corrected } });
    fireEvent.click(within(form).getByRole('button', { name: 'Spara verkställt' }));
    await waitFor(async () => expect(await db.getAll('outbox')).toHaveLength(2));
    const queued = (await db.getAll('outbox')).map((o) => o.mutation.event);
    expect(queued.map((e) => e.type)).toEqual(['makulering', 'verkstalld']);
    expect(queued[0]).toMatchObject({ makulerarId: executed.id, text: 'Fel datum' });
    expect(queued[1]).toMatchObject({ date: corrected });
    expect(await db.get('drafts', draftKey('verkstalld', 'b1'))).toBeUndefined();
    expect(screen.getByRole('status').textContent).toContain(
      'Händelsen är makulerad och den rättade (”Verkställt”) är sparad i dess ställe',
    );
  });

  it('a cancelled correction voids nothing and leaves no draft behind', async () => {
    const timeline = await open('handlaggare');
    const form = await startCorrection(timeline);
    fireEvent.click(within(form).getByRole('button', { name: 'Avbryt rättelsen' }));
    await waitFor(() =>
      expect(screen.getByRole('status').textContent).toContain(
        'Rättelsen är avbruten. Händelsen är inte makulerad.',
      ),
    );
    expect(await db.getAll('outbox')).toEqual([]);
    expect(await db.get('drafts', draftKey('verkstalld', 'b1'))).toBeUndefined();
    expect(screen.queryByText(/Makulerad av/)).toBeNull();
  });
});
