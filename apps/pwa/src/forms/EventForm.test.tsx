import 'fake-indexeddb/auto';
import { addDays, type CaseEvent, type FormEventType, todayInStockholm } from '@evb/domain';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
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
  extern: false,
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

async function renderForm(type: FormEventType, onClose = vi.fn()) {
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

  it('starts a refusal from the latest offer of the wait: its date filled in, what was offered shown', async () => {
    await db.put('events', offer('o1', addDays(today, -20), 'Gruppbostad på Lärkvägen'));
    await db.put('events', offer('o2', addDays(today, -5), 'Servicebostad på Ekgatan 3'));
    await renderForm('tackat_nej');
    expect(screen.getByLabelText('Datum för erbjudandet')).toHaveProperty(
      'value',
      addDays(today, -5),
    );
    expect(screen.getByText(/^Senaste erbjudandet, .*: Servicebostad på Ekgatan 3$/)).toBeTruthy();
  });

  it('asks for the offer’s date when the skäl is a refusal, filled in from the latest offer', async () => {
    await db.put('events', offer('o1', addDays(today, -3), 'Servicebostad på Ekgatan 3'));
    await renderForm('skal');
    const offerDate = /Datum för erbjudandet/;
    expect(screen.queryByLabelText(offerDate)).toBeNull();
    fireEvent.change(screen.getByLabelText('Huvudsakligt skäl'), {
      target: { value: 'tackat_nej' },
    });
    expect(screen.getByLabelText(offerDate)).toHaveProperty('value', addDays(today, -3));
    fireEvent.change(screen.getByLabelText('Orsak'), { target: { value: 'vill_avvakta' } });
    fireEvent.change(screen.getByLabelText(offerDate), { target: { value: '' } });
    fireEvent.click(screen.getByRole('button', { name: /^Spara skäl/ }));
    expect(
      await screen.findByText('Ange datum för erbjudandet som den enskilde tackade nej till'),
    ).toBeTruthy();
    expect(await db.count('outbox')).toBe(0);
  });

  it('offers the routine’s people to call as quick choices', async () => {
    await renderForm('uppfoljning');
    const chips = within(screen.getByRole('group', { name: 'Vanliga val' }))
      .getAllByRole('button')
      .map((b) => b.textContent);
    expect(chips).toEqual([
      'Den enskilde',
      'Företrädare (god man, förvaltare, ombud)',
      'Vårdnadshavare',
    ]);
    fireEvent.click(
      screen.getByRole('button', { name: 'Företrädare (god man, förvaltare, ombud)' }),
    );
    expect(screen.getByRole('textbox', { name: 'Vem talade du med' })).toHaveProperty(
      'value',
      'Företrädare',
    );
    // Not a stödfamilj: no reminder of korttidsvistelse.
    expect(screen.queryByRole('checkbox')).toBeNull();
    expect(screen.queryByText(/Erbjud korttidsvistelse/)).toBeNull();
  });

  it('reminds of korttidsvistelse on a stödfamilj’s call and records that it was offered', async () => {
    await db.put('decisions', { ...decision, insats: 'LSS_9_6_STODFAMILJ' });
    const onClose = await renderForm('uppfoljning');
    expect(screen.getByText(/Erbjud korttidsvistelse på korttidsenhet under tiden/)).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Vårdnadshavare' }));
    fireEvent.change(screen.getByRole('textbox', { name: 'Vad sades' }), {
      target: { value: 'Ingen stödfamilj hittad ännu' },
    });
    fireEvent.click(
      screen.getByRole('checkbox', {
        name: 'Korttidsvistelse på korttidsenhet erbjöds i väntan på stödfamilj',
      }),
    );
    fireEvent.click(screen.getByRole('button', { name: 'Spara uppföljningssamtal' }));
    await waitFor(() => expect(onClose).toHaveBeenCalledWith('sent'));
    const [item] = await db.getAll('outbox');
    expect(item?.mutation.event).toMatchObject({
      type: 'uppfoljning',
      kontakt: 'Vårdnadshavare',
      korttidsenhetErbjuden: true,
    });
  });
});

function offer(id: string, date: string, text: string): CaseEvent {
  return {
    id,
    decisionId: 'b1',
    type: 'erbjudande',
    date,
    text,
    recordedAt: `${date}T08:00:00.000Z`,
  };
}
