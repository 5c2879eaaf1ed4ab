import 'fake-indexeddb/auto';
import { todayInStockholm } from '@evb/domain';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ServicesContext } from '../app/context';
import { readCase } from '../local/cases';
import { type LocalDb, openLocalDb, type StoredDecision } from '../local/db';
import { draftKey, loadDraft } from '../local/drafts';
import { SyncEngine } from '../sync/engine';
import { EventForm } from './EventForm';

const today = todayInStockholm();
const decision = {
  id: 'b1',
  namndId: 'n1',
  verksamhetsomrade: 'lss',
  inriktning: null,
  inriktningText: null,
  lagrum: 'LSS',
  insats: 'LSS_9_9',
  beslutsdatum: '2026-01-15',
  forhandsbesked: false,
  ersatterBeslutId: null,
  handlaggareId: 'h1',
  enhetId: 'e1',
  orderedAt: null,
  extern: false,
  createdAt: '2026-01-15T08:00:00.000Z',
  person: { fornamn: 'Alva', efternamn: 'Berg' } as StoredDecision['person'],
} satisfies StoredDecision;

let db: LocalDb;
let engine: SyncEngine;
let n = 0;

beforeEach(async () => {
  db = await openLocalDb(`form-${++n}`);
  await db.put('decisions', decision);
  // Offline: nothing leaves the outbox during these tests.
  engine = new SyncEngine(db, { push: vi.fn(), pull: vi.fn(), org: vi.fn() } as never, false);
});

afterEach(cleanup);

async function renderForm(type: 'anteckning' | 'tackat_nej', onClose = vi.fn()) {
  const item = (await readCase(db, 'b1', today))!;
  render(
    <ServicesContext.Provider value={{ db, engine }}>
      <EventForm type={type} item={item} onClose={onClose} />
    </ServicesContext.Provider>,
  );
  await screen.findByRole('button', { name: /^Spara/ });
  return onClose;
}

describe('EventForm', () => {
  it('saves what is typed as a draft and shows it again when the form is opened anew', async () => {
    await renderForm('anteckning');
    fireEvent.change(screen.getByRole('textbox', { name: 'Anteckning' }), {
      target: { value: 'Ringde god man' },
    });
    await waitFor(async () =>
      expect((await loadDraft(db, draftKey('anteckning', 'b1')))?.data).toMatchObject({
        text: 'Ringde god man',
      }),
    );
    cleanup();
    await renderForm('anteckning');
    expect(screen.getByRole('textbox', { name: 'Anteckning' })).toHaveProperty(
      'value',
      'Ringde god man',
    );
  });

  it('names what is missing in Swedish and sends nothing', async () => {
    const onClose = await renderForm('tackat_nej');
    fireEvent.click(screen.getByRole('button', { name: 'Spara tackat nej' }));
    expect(await screen.findByRole('alert')).toHaveProperty(
      'textContent',
      'Formuläret har fel. Rätta fälten som är markerade.',
    );
    expect(screen.getByText('Välj orsak')).toBeTruthy();
    expect(await db.count('outbox')).toBe(0);
    expect(onClose).not.toHaveBeenCalled();
  });

  it('puts a valid event in the outbox and removes its draft', async () => {
    const onClose = await renderForm('anteckning');
    fireEvent.change(screen.getByRole('textbox', { name: 'Anteckning' }), {
      target: { value: 'Besök bokat' },
    });
    fireEvent.click(screen.getByRole('button', { name: 'Spara anteckning' }));
    await waitFor(() => expect(onClose).toHaveBeenCalledWith('sent'));
    const [item] = await db.getAll('outbox');
    expect(item?.mutation.event).toMatchObject({
      type: 'anteckning',
      decisionId: 'b1',
      date: today,
      text: 'Besök bokat',
    });
    expect(await loadDraft(db, draftKey('anteckning', 'b1'))).toBeUndefined();
  });
});
