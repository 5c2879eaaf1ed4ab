import { randomUUID } from 'node:crypto';
import type { CaseEvent } from '@evb/domain';
import { describe, expect, it } from 'vitest';
import { eventMutation } from '../sync/test-support';
import { insertEvents } from '../testing/decisions';
import { refusal } from '../testing/errors';
import { ORG } from '../testing/fixture';
import { OFFER_REFUSED, Q3, useVoidingCase, voiding } from '../testing/voiding';

/*
 * Makulering (issue 12) through the server: who may void an event, the domain's refusals, the
 * audit, the columns the reporting views narrow by and the quarter's lines after a voiding, a
 * voiding pushed from a phone with the event logged again in the same batch, and a filed report
 * that keeps its frozen copy and says that it used an event since voided — also when the voided
 * event was the avbrott its episode started with. On testing/voiding.ts's decision b1; the clock
 * stands at 2026-11-22 unless told otherwise.
 */

const { database, as } = useVoidingCase();

async function decisionColumns() {
  return database.db
    .selectFrom('decision')
    .select(['waitingEndedBy', 'lastInterruption', 'earlierWaitsEndedBy'])
    .where('id', '=', 'b1')
    .executeTakeFirstOrThrow();
}

describe('events.log with a makulering', () => {
  it('lets whoever logged the event or the decision’s handläggare void it, nobody else', async () => {
    const utforare = await as('utforareA');
    await utforare.events.log({
      id: 'o1',
      decisionId: 'b1',
      type: 'erbjudande',
      date: '2026-04-01',
      text: 'Kontaktperson erbjuden',
    });
    await utforare.events.log({
      id: 'o2',
      decisionId: 'b1',
      type: 'erbjudande',
      date: '2026-04-02',
      text: 'Kontaktperson erbjuden igen',
    });

    // A rapportör of the nämnd sees the decision but did not log the offer.
    const rapportor = await as('rapportorLss');
    expect(await refusal(rapportor.events.log(voiding('m0', 'o1')))).toMatchObject({
      httpStatus: 403,
      message: 'Bara den som registrerade händelsen eller beslutets handläggare får makulera den.',
    });
    // Another unit's utförare does not see the decision at all.
    const other = await as('utforareB');
    expect(await refusal(other.events.log(voiding('m0', 'o1')))).toMatchObject({
      httpStatus: 404,
    });

    const voided = await utforare.events.log(voiding('m1', 'o1'));
    expect(voided.event).toMatchObject({ type: 'makulering', makulerarId: 'o1' });
    const handlaggare = await as('handlaggare1');
    await handlaggare.events.log(voiding('m2', 'o2'));

    const audit = await database.db
      .selectFrom('auditLog')
      .select(['action', 'userId', 'details'])
      .where('action', '=', 'handelse_makulering')
      .orderBy('id')
      .execute();
    expect(audit).toEqual([
      {
        action: 'handelse_makulering',
        userId: 'utforareA',
        details: { handelseId: 'm1', datum: '2026-11-22', makulerarId: 'o1' },
      },
      {
        action: 'handelse_makulering',
        userId: 'handlaggare1',
        details: { handelseId: 'm2', datum: '2026-11-22', makulerarId: 'o2' },
      },
    ]);
  });

  it('refuses with the domain’s reason: voided already, a voiding, an impossible sequence, another decision’s event', async () => {
    await insertEvents(
      database.db,
      [
        { id: 'v1', decisionId: 'b1', type: 'verkstalld', date: '2026-04-01' },
        { id: 'a1', decisionId: 'b1', type: 'avbrott', date: '2026-05-01' },
        { id: 'v2', decisionId: 'b1', type: 'verkstalld', date: '2026-06-01' },
      ],
      'utforareA',
    );
    const utforare = await as('utforareA');
    const impossible = await refusal(utforare.events.log(voiding('m1', 'a1')));
    expect(impossible.httpStatus).toBe(400);
    expect(impossible.message).toMatch(
      /Makulera först den senare händelsen ”Verkställt” den 1 juni 2026\./,
    );

    await utforare.events.log(voiding('m2', 'v2'));
    expect(await refusal(utforare.events.log(voiding('m3', 'v2')))).toMatchObject({
      httpStatus: 400,
      message: 'Händelsen är redan makulerad',
    });
    expect(await refusal(utforare.events.log(voiding('m4', 'm2')))).toMatchObject({
      httpStatus: 400,
      message: 'En makulering kan inte makuleras',
    });
    expect(await refusal(utforare.events.log(voiding('m5', 'nope')))).toMatchObject({
      httpStatus: 400,
      message: 'Händelsen som ska makuleras finns inte på det här beslutet',
    });
    // A reason is required and bounded.
    const noReason = await refusal(
      utforare.events.log({ ...voiding('m6', 'a1'), text: '' } as CaseEvent),
    );
    expect(noReason.httpStatus).toBe(400);
    expect(noReason.message).toMatch(/Skriv varför händelsen makuleras/);
    // Now the interruption may go: v2 is voided.
    await utforare.events.log(voiding('m7', 'a1'));
    expect((await utforare.decisions.get({ id: 'b1' })).decision.caseStatus.state).toBe(
      'verkstalld',
    );
  });
});

describe('what the reporting views read after a voiding', () => {
  it('a voided execution: the decision waits again, its columns follow, and the quarter has its line', async () => {
    // Executed within three months: no line in Q3.
    await insertEvents(
      database.db,
      [{ id: 'v1', decisionId: 'b1', type: 'verkstalld', date: '2026-05-04' }],
      'utforareA',
    );
    expect(await decisionColumns()).toEqual({
      waitingEndedBy: '2026-05-04',
      lastInterruption: null,
      earlierWaitsEndedBy: null,
    });
    const rapportor = await as('rapportorLss');
    expect((await rapportor.quarter.lines({ namndId: ORG.vard, quarter: Q3 })).lines).toEqual([]);

    await (await as('utforareA')).events.log(voiding('m1', 'v1'));
    expect(await decisionColumns()).toEqual({
      waitingEndedBy: null,
      lastInterruption: null,
      earlierWaitsEndedBy: null,
    });
    const lines = (await rapportor.quarter.lines({ namndId: ORG.vard, quarter: Q3 })).lines;
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ decisionId: 'b1', status: 'ej_verkstalld' });
  });

  it('a voided interruption: the columns no longer count it', async () => {
    await insertEvents(
      database.db,
      [
        { id: 'v1', decisionId: 'b1', type: 'verkstalld', date: '2026-04-01' },
        { id: 'a1', decisionId: 'b1', type: 'avbrott', date: '2026-05-01' },
      ],
      'utforareA',
    );
    expect(await decisionColumns()).toEqual({
      waitingEndedBy: null,
      lastInterruption: '2026-05-01',
      earlierWaitsEndedBy: '2026-04-01',
    });
    await (await as('handlaggare1')).events.log(voiding('m1', 'a1'));
    expect(await decisionColumns()).toEqual({
      waitingEndedBy: '2026-04-01',
      lastInterruption: null,
      earlierWaitsEndedBy: null,
    });
  });
});

describe('sync.push with a makulering', () => {
  it('voids and logs the event again in one batch (Rätta), in order, from a phone that was offline', async () => {
    const phone = await as('utforareA');
    const wrong = eventMutation({
      id: randomUUID(),
      decisionId: 'b1',
      type: 'verkstalld',
      date: '2026-04-01',
    });
    await phone.sync.push({ mutations: [wrong] });
    const corrected = [
      eventMutation({ ...voiding(randomUUID(), wrong.event.id), date: '2026-11-20' }),
      eventMutation({ id: randomUUID(), decisionId: 'b1', type: 'verkstalld', date: '2026-07-01' }),
    ];
    const answers = await phone.sync.push({ mutations: corrected });
    expect(answers.map((a) => a.status)).toEqual(['applied', 'applied']);
    // Without the voiding the second execution would be refused ("redan verkställt").
    const status = (await phone.decisions.get({ id: 'b1' })).decision.caseStatus;
    expect(status?.episode).toEqual({
      kind: 'beslut',
      start: '2026-03-02',
      end: { type: 'verkstalld', date: '2026-07-01' },
    });
    expect((await decisionColumns()).waitingEndedBy).toBe('2026-07-01');
  });

  it('answers a voiding another user may not make as rejected, and applies the rest', async () => {
    await insertEvents(
      database.db,
      [{ id: 'o1', decisionId: 'b1', type: 'anteckning', date: '2026-04-01', text: 'x' }],
      'handlaggare1',
    );
    const phone = await as('utforareA');
    const answers = await phone.sync.push({
      mutations: [
        eventMutation(voiding(randomUUID(), 'o1')),
        eventMutation({
          id: randomUUID(),
          decisionId: 'b1',
          type: 'anteckning',
          date: '2026-11-01',
          text: 'Ok',
        }),
      ],
    });
    expect(answers.map((a) => a.status)).toEqual(['rejected', 'applied']);
    expect(answers[0]).toMatchObject({ code: 'FORBIDDEN' });
  });
});

/**
 * b1 executed on 2026-04-01 and interrupted on 2026-05-01 (`v1`, `a1`, by utförare A), and the
 * avbrott's line in Q3 filed on 2026-10-05 with a reason: the key and the filing.
 */
async function fileAvbrottLine() {
  await insertEvents(
    database.db,
    [
      { id: 'v1', decisionId: 'b1', type: 'verkstalld', date: '2026-04-01' },
      { id: 'a1', decisionId: 'b1', type: 'avbrott', date: '2026-05-01' },
    ],
    'utforareA',
  );
  const key = { namndId: ORG.vard, quarter: Q3, decisionId: 'b1', episodeStart: '2026-05-01' };
  const october = await as('rapportorLss', '2026-10-05');
  await october.reports.saveDraft({ ...key, draft: { skal: 'hos_kommunen', orsak: 'personal' } });
  return { key, filed: await october.reports.file({ ...key, filedOn: '2026-10-05' }) };
}

describe('a filed report and a voiding', () => {
  it('keeps the frozen copy and says that it used an event since voided', async () => {
    await insertEvents(database.db, OFFER_REFUSED, 'utforareA');
    const key = {
      namndId: ORG.vard,
      quarter: Q3,
      decisionId: 'b1',
      episodeStart: '2026-03-02',
    };
    const october = await as('rapportorLss', '2026-10-05');
    const filed = await october.reports.file({ ...key, filedOn: '2026-10-05' });
    const before = await october.reports.get(key);
    expect(before.filing?.voidedSince).toBeNull();

    await (await as('utforareA', '2026-10-20')).events.log(voiding('m1', 't1', '2026-10-20'));
    const after = await (await as('rapportorLss', '2026-10-21')).reports.get(key);
    expect(after.filing?.snapshot).toEqual(filed.snapshot);
    expect(after.filing?.voidedSince).toBe(
      'Den inlämnade rapporten bygger på en händelse som sedan makulerats: Tackat nej 10 april 2026.',
    );
    // The report as it would be made now no longer has the refusal.
    expect(JSON.stringify(after.prefill)).not.toContain('För lång resväg');
  });

  it('keeps a filed avbrott line readable by its filing when the avbrott is voided and its episode is gone', async () => {
    const { key, filed } = await fileAvbrottLine();
    const before = await (await as('rapportorLss', '2026-10-05')).reports.get(key);
    expect(before.line).toMatchObject({
      episode: { kind: 'avbrott', start: '2026-05-01' },
      filed: true,
      filedVoidedSince: null,
    });

    // The avbrott goes, then the execution: the decision waits again since its decision date, so
    // the quarter's line starts on 2026-03-02 and no longer on the avbrott's day.
    const handlaggare = await as('handlaggare1', '2026-10-20');
    await handlaggare.events.log(voiding('m1', 'a1', '2026-10-20'));
    await handlaggare.events.log(voiding('m2', 'v1', '2026-10-20'));
    const rapportor = await as('rapportorLss', '2026-10-21');
    const quarterLines = (await rapportor.quarter.lines({ namndId: ORG.vard, quarter: Q3 })).lines;
    expect(quarterLines.map((l) => [l.episode.start, l.kategori, l.filed])).toEqual([
      ['2026-05-01', 'nyrapportering', true],
      ['2026-03-02', 'aterrapportering', false],
    ]);

    // The filed report is still found by its filing, unchanged, and says what was voided since.
    const note =
      'Den inlämnade rapporten bygger på en händelse som sedan makulerats: Avbrott 1 maj 2026.';
    const after = await rapportor.reports.get(key);
    expect(after.filing).toEqual({ ...before.filing, voidedSince: note });
    expect(after.filing?.snapshot).toEqual(filed.snapshot);
    expect(after.line).toEqual({ ...before.line, filedVoidedSince: note });
    // The quarter lists it as reports.get reads it, so the rapportör can open it.
    expect(quarterLines[0]).toEqual(after.line);
    expect(after).toMatchObject({ canFile: false, record: { allowed: false } });
    // It stays filed: it cannot be changed or filed again.
    expect(
      await refusal(rapportor.reports.saveDraft({ ...key, draft: { ovrigt: 'Ny text' } })),
    ).toMatchObject({ httpStatus: 409 });
    expect(await refusal(rapportor.reports.file({ ...key, filedOn: '2026-10-21' }))).toMatchObject({
      httpStatus: 409,
    });
    // An episode with no filing in the quarter is still unknown.
    expect(
      await refusal(rapportor.reports.get({ ...key, episodeStart: '2026-05-02' })),
    ).toMatchObject({ httpStatus: 404 });
  });

  it('lists the filed avbrott line and exports its filed copy when the voided avbrott leaves the decision executed', async () => {
    const { key, filed } = await fileAvbrottLine();

    // Executed on 2026-04-01, within three months: without the avbrott the decision has no line
    // in the quarter, and the reporting views no longer select it.
    await (await as('handlaggare1', '2026-10-20')).events.log(voiding('m1', 'a1', '2026-10-20'));
    const rapportor = await as('rapportorLss', '2026-10-21');
    const view = await rapportor.quarter.lines({ namndId: ORG.vard, quarter: Q3 });
    const report = await rapportor.reports.get(key);
    expect(view.lines).toEqual([report.line]);
    expect(view.counts).toEqual({ nyrapportering: 1, aterrapportering: 0, slutrapportering: 0 });
    expect(report.line).toMatchObject({
      episode: { kind: 'avbrott', start: '2026-05-01' },
      filed: true,
      filedOn: '2026-10-05',
      filedVoidedSince:
        'Den inlämnade rapporten bygger på en händelse som sedan makulerats: Avbrott 1 maj 2026.',
    });
    expect(report.filing?.snapshot).toEqual(filed.snapshot);

    // The quarter's exports build it from its filing too, as filed.
    const exported = await rapportor.exports.quarter({ namndId: ORG.vard, quarter: Q3 });
    expect(exported.reports).toHaveLength(1);
    expect(exported.reports[0]).toMatchObject({
      state: 'inlamnad',
      line: report.line,
      draft: filed.snapshot.draft,
    });
  });
});
