import { describe, expect, it } from 'vitest';
import { type FixtureUser, ORG } from '../testing/fixture';
import { callerFor, useTestDatabase } from '../testing/harness';

/*
 * followUps.*: the handläggare's two-month calls that are due or overdue, and logging one. The
 * clock stands at 2026-11-22: a decision of 2026-08-10 had its call due 10–24 October (overdue), one
 * of 2026-09-15 has its window open 15–29 November, one of 2026-11-01 not until January.
 */

const database = useTestDatabase();

const as = (user: FixtureUser) => callerFor(database, user);

async function register(
  beslutsdatum: string,
  efternamn: string,
  user: FixtureUser = 'handlaggare1',
  insats = 'LSS_9_10',
) {
  return (await as(user)).decisions.register({
    namndId: ORG.vard,
    lagrum: 'LSS',
    insats,
    verksamhetsomrade: 'LSS',
    beslutsdatum,
    person: { typ: 'saknas', fornamn: 'Test', efternamn, fodelsedatum: '1990-01-01', kon: 'man' },
    // 9 § 10 goes to Centralen later; the other insatser are ordered from a unit at once.
    order: insats === 'LSS_9_10' ? {} : { enhetId: ORG.enhetA },
  });
}

describe('followUps', () => {
  it('lists the calls due and overdue, earliest first, only of the caller’s waiting decisions', async () => {
    const overdue = await register('2026-08-10', 'Sen');
    const open = await register('2026-09-15', 'Nu');
    await register('2026-11-01', 'Snart');
    const closed = await register('2026-08-20', 'Klar');
    await (await as('handlaggare1')).decisions.close({
      decisionId: closed.id,
      anledning: 'behov_upphort',
      date: '2026-09-01',
    });
    await register('2026-08-10', 'Annans', 'handlaggare2');

    const due = await (await as('handlaggare1')).followUps.due();
    expect(
      due.map((d) => [
        d.decision.id,
        d.uppfoljning.from,
        d.uppfoljning.date,
        d.uppfoljning.overdue,
      ]),
    ).toEqual([
      [overdue.id, '2026-10-10', '2026-10-24', true],
      [open.id, '2026-11-15', '2026-11-29', false],
    ]);
    expect(due[0]!.decision.person.efternamn).toBe('Sen');
    await expect((await as('utforareA')).followUps.due()).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
  });

  it('logs a call as an uppfoljning event: the deadline moves to the next cycle', async () => {
    const overdue = await register('2026-08-10', 'Sen');
    const handlaggare = await as('handlaggare1');
    const logged = await handlaggare.followUps.log({
      decisionId: overdue.id,
      kontakt: 'Den enskildes gode man',
      text: 'Väntar fortfarande; informerad om läget',
    });
    expect(logged.event).toMatchObject({
      type: 'uppfoljning',
      date: '2026-11-22',
      kontakt: 'Den enskildes gode man',
    });
    expect(logged.caseStatus.deadlines.uppfoljning).toMatchObject({
      from: '2027-01-10',
      date: '2027-01-24',
      overdue: false,
      k: 2,
    });
    expect(await handlaggare.followUps.due()).toEqual([]);
  });

  it('refuses a call without its text, on another handläggare’s decision, or before the wait', async () => {
    const decision = await register('2026-08-10', 'Sen');
    const handlaggare = await as('handlaggare1');
    await expect(
      handlaggare.followUps.log({ decisionId: decision.id, kontakt: ' ', text: 'x' }),
    ).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    await expect(
      (await as('handlaggare2')).followUps.log({
        decisionId: decision.id,
        kontakt: 'Anhörig',
        text: 'x',
      }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(
      handlaggare.followUps.log({
        decisionId: decision.id,
        kontakt: 'Anhörig',
        text: 'x',
        date: '2026-08-01',
      }),
    ).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    expect(await database.db.selectFrom('caseEvent').select('id').execute()).toEqual([]);
  });

  it('records korttidsvistelse offered on a stödfamilj’s call, and refuses it on another insats', async () => {
    const stodfamilj = await register('2026-09-15', 'Stöd', 'handlaggare1', 'LSS_9_6_STODFAMILJ');
    const other = await register('2026-09-15', 'Annan');
    const handlaggare = await as('handlaggare1');
    const call = {
      kontakt: 'Vårdnadshavare',
      text: 'Ingen stödfamilj än',
      korttidsenhetErbjuden: true,
    };
    const logged = await handlaggare.followUps.log({ decisionId: stodfamilj.id, ...call });
    expect(logged.event).toMatchObject({ type: 'uppfoljning', korttidsenhetErbjuden: true });
    await expect(
      handlaggare.followUps.log({ decisionId: other.id, ...call }),
    ).rejects.toMatchObject({
      code: 'BAD_REQUEST',
      message:
        'Korttidsvistelse på korttidsenhet erbjuds i väntan på stödfamilj: bara för korttidsvistelse i form av stödfamilj (LSS 9 § 6)',
    });
  });
});
