import { IMPORT_COLUMNS, type ImportField } from '@evb/domain';
import { beforeEach, describe, expect, it } from 'vitest';
import { type FixtureUser, ORG } from '../testing/fixture';
import { callerFor, clearAuditLog, useTestDatabase } from '../testing/harness';
import { pnr } from '../testing/personnummer';

/*
 * Confidentiality across nämnder and in the audit log:
 * - decisions.register and the import answer a personnummer known only in another nämnd exactly
 *   as one never seen (field by field), use the stored person without changing it, and record the
 *   difference of what was typed for review; every look-up by personnummer is audited without the
 *   number;
 * - the audit log keeps no search text, and a reader sees only entries about decisions and persons
 *   they may see.
 * The clock stands at 2026-11-22.
 */

const database = useTestDatabase();

const dashed = (number: string) => `${number.slice(0, 8)}-${number.slice(8)}`;

// Three women born the same day: Karin is known in Vård- och omsorgsnämnden; the others never seen.
const KARIN = pnr('19800101', '002');
const NEVER = pnr('19800101', '024');
const NEVER_2 = pnr('19800101', '046');

type User = FixtureUser | 'handlaggareSocial';
const as = (user: User) => callerFor(database, user);

beforeEach(async () => {
  // A handläggare of Socialnämnden, who may see nothing of Vård- och omsorgsnämnden's decisions.
  await database.db
    .insertInto('appUser')
    .values({
      id: 'handlaggareSocial',
      username: 'handlaggaresocial',
      displayName: 'handlaggareSocial',
      passwordHash: 'x',
    })
    .execute();
  await database.db
    .insertInto('userRole')
    .values({ id: 'g-hs', userId: 'handlaggareSocial', role: 'handlaggare', namndId: ORG.social })
    .execute();
});

/** Karin's LSS decision in Vård- och omsorgsnämnden, with her real, protected identity. */
async function karinInVard() {
  return (await as('handlaggare1')).decisions.register({
    namndId: ORG.vard,
    lagrum: 'LSS',
    insats: 'LSS_9_10',
    verksamhetsomrade: 'LSS',
    beslutsdatum: '2026-06-01',
    person: {
      typ: 'personnummer',
      fornamn: 'Karin',
      efternamn: 'Lund',
      personnummer: dashed(KARIN),
      skyddadIdentitet: true,
    },
  });
}

const socialDecision = (number: string) => ({
  namndId: ORG.social,
  lagrum: 'SoL' as const,
  insats: 'SOL_KONTAKTPERSON',
  verksamhetsomrade: 'SOL_IFO' as const,
  inriktning: 'IFO_BARN_UNGA',
  beslutsdatum: '2026-07-01',
  person: {
    typ: 'personnummer' as const,
    fornamn: 'Test',
    efternamn: 'Testsson',
    personnummer: dashed(number),
  },
});

/** An answer with its ids and the number typed replaced by placeholders, for comparing. */
function comparable(answer: unknown, ids: Record<string, string>): unknown {
  let text = JSON.stringify(answer);
  for (const [placeholder, value] of Object.entries(ids)) {
    text = text.replaceAll(value, placeholder);
  }
  return JSON.parse(text);
}

async function auditRows() {
  return database.db.selectFrom('auditLog').selectAll().orderBy('id').execute();
}

/** No form of these numbers anywhere in the text. */
function expectNoNumbers(text: string, numbers: string[]) {
  for (const number of numbers) {
    for (const form of [number, dashed(number), number.slice(2), dashed(number).slice(2)]) {
      expect(text).not.toContain(form);
    }
  }
}

async function refusalOf(promise: Promise<unknown>) {
  return promise.then(
    () => {
      throw new Error('expected a refusal');
    },
    (e: { code: string; message: string }) => ({ code: e.code, message: e.message }),
  );
}

describe('decisions.register with a personnummer known only in another nämnd', () => {
  it('answers exactly as for a person never seen, on the stored person, which stays as it was', async () => {
    const karin = await karinInVard();
    const social = await as('handlaggareSocial');
    const knownElsewhere = await social.decisions.register(socialDecision(KARIN));
    const neverSeen = await social.decisions.register(socialDecision(NEVER));

    // Field by field the same, but for the ids and the number typed.
    expect(
      comparable(knownElsewhere, {
        BESLUT: knownElsewhere.id,
        PERSON: knownElsewhere.person.id,
        IVO: knownElsewhere.person.ivoId,
        NUMMER: dashed(KARIN),
      }),
    ).toEqual(
      comparable(neverSeen, {
        BESLUT: neverSeen.id,
        PERSON: neverSeen.person.id,
        IVO: neverSeen.person.ivoId,
        NUMMER: dashed(NEVER),
      }),
    );
    expect(knownElsewhere.person).toEqual({
      id: karin.person.id,
      fornamn: 'Test',
      efternamn: 'Testsson',
      personnummer: dashed(KARIN),
      identitet: 'personnummer',
      kon: 'kvinna',
      fodelsedatum: '1980-01-01',
      skyddadIdentitet: false,
      ivoId: karin.person.ivoId,
      fullIdentity: true,
    });
    expect(neverSeen.person.ivoId).toMatch(/^19800101-T\d{3}$/);

    // One person row per number: Karin's is used (her IVO id stays one), and not changed.
    const persons = await database.db
      .selectFrom('person')
      .select(['id', 'personnummer', 'fornamn', 'efternamn', 'skyddadIdentitet', 'ivoId'])
      .orderBy('personnummer')
      .execute();
    expect(persons).toEqual([
      {
        id: karin.person.id,
        personnummer: KARIN,
        fornamn: 'Karin',
        efternamn: 'Lund',
        skyddadIdentitet: true,
        ivoId: karin.person.ivoId,
      },
      expect.objectContaining({ personnummer: NEVER, fornamn: 'Test', efternamn: 'Testsson' }),
    ]);
    const decision = await database.db
      .selectFrom('decision')
      .select('personId')
      .where('id', '=', knownElsewhere.id)
      .executeTakeFirstOrThrow();
    expect(decision.personId).toBe(karin.person.id);

    // A refusal after the look-up reads the same too.
    const withUnit = (number: string) => ({
      ...socialDecision(number),
      order: { enhetId: ORG.enhetA },
    });
    expect(await refusalOf(social.decisions.register(withUnit(KARIN)))).toEqual(
      await refusalOf(social.decisions.register(withUnit(NEVER_2))),
    );
  });

  it('records the difference for review and every look-up, never a number or a typed name', async () => {
    const karin = await karinInVard();
    const social = await as('handlaggareSocial');
    const knownElsewhere = await social.decisions.register(socialDecision(KARIN));
    const neverSeen = await social.decisions.register(socialDecision(NEVER));
    // Refused after the look-up: rolled back, and still audited.
    await refusalOf(
      social.decisions.register({ ...socialDecision(NEVER_2), order: { enhetId: ORG.enhetA } }),
    );

    const audit = await auditRows();
    const differing = audit.filter((a) => a.action === 'personuppgifter_avviker');
    expect(differing).toMatchObject([
      {
        userId: 'handlaggareSocial',
        subjectType: 'beslut',
        subjectId: knownElsewhere.id,
        namndId: ORG.social,
        details: {
          personId: karin.person.id,
          falt: ['fornamn', 'efternamn', 'skyddadIdentitet'],
          redanSynlig: false,
        },
      },
    ]);
    const lookups = audit
      .filter((a) => a.action === 'person_uppslag' && a.userId === 'handlaggareSocial')
      .map((a) => ({ subjectId: a.subjectId, namndId: a.namndId, details: a.details }));
    expect(lookups).toEqual([
      {
        subjectId: karin.person.id,
        namndId: ORG.social,
        details: { hittad: true, via: 'registrering' },
      },
      {
        subjectId: null,
        namndId: ORG.social,
        details: { hittad: false, antal: 1, via: 'registrering' },
      },
      {
        subjectId: null,
        namndId: ORG.social,
        details: { hittad: false, antal: 1, via: 'registrering' },
      },
    ]);
    const text = JSON.stringify(audit);
    expectNoNumbers(text, [KARIN, NEVER, NEVER_2]);
    expect(text).not.toContain('Testsson');
    expect(neverSeen.person.fornamn).toBe('Test');
  });

  it('shows the stored identity to a handläggare who already sees the person, as before', async () => {
    const karin = await karinInVard();
    const again = await (await as('handlaggare1')).decisions.register({
      namndId: ORG.vard,
      lagrum: 'LSS',
      insats: 'LSS_9_4',
      verksamhetsomrade: 'LSS',
      beslutsdatum: '2026-07-01',
      person: {
        typ: 'personnummer',
        fornamn: 'Kajsa',
        efternamn: 'Lund',
        personnummer: dashed(KARIN),
      },
    });
    expect(again.person).toMatchObject({
      id: karin.person.id,
      fornamn: 'Karin',
      skyddadIdentitet: true,
    });
    const differing = (await auditRows()).filter((a) => a.action === 'personuppgifter_avviker');
    expect(differing).toMatchObject([
      { details: { falt: ['fornamn', 'skyddadIdentitet'], redanSynlig: true } },
    ]);
  });
});

describe('the import with a personnummer known only in another nämnd', () => {
  const csvOf = (rows: Partial<Record<ImportField, string>>[]) => {
    const fields = IMPORT_COLUMNS.map((c) => c.field);
    return [
      IMPORT_COLUMNS.map((c) => c.header).join(';'),
      ...rows.map((row) => fields.map((f) => row[f] ?? '').join(';')),
    ].join('\r\n');
  };
  const row = (number: string, beslutsid: string) => ({
    beslutsid,
    personnummer: dashed(number),
    fornamn: 'Test',
    efternamn: 'Testsson',
    lagrum: 'SoL',
    insats: 'Kontaktperson',
    verksamhetsomrade: 'SoL IFO',
    inriktning: 'Barn och unga',
    beslutsdatum: '2026-07-01',
    handlaggare: 'handlaggaresocial',
  });

  it('previews and imports the person as new, exactly as one never seen', async () => {
    const karin = await karinInVard();
    const social = await as('handlaggareSocial');
    const dryRun = (csv: string) => social.imports.dryRun({ namndId: ORG.social, csv });

    const knownElsewhere = await dryRun(csvOf([row(KARIN, 'S-1'), row(KARIN, 'S-2')]));
    const neverSeen = await dryRun(csvOf([row(NEVER, 'S-1'), row(NEVER, 'S-2')]));
    expect(knownElsewhere).toEqual(neverSeen);
    expect(knownElsewhere).toMatchObject({
      refused: [],
      newPersons: 1,
      accepted: [{ person: 'ny' }, { person: 'ny' }],
    });

    const imported = await social.imports.run({
      namndId: ORG.social,
      csv: csvOf([row(KARIN, 'S-1')]),
    });
    const importedNew = await social.imports.run({
      namndId: ORG.social,
      csv: csvOf([row(NEVER, 'S-2')]),
    });
    const shape = (a: typeof imported) => ({ ...a, decisionIds: a.decisionIds.length });
    expect(shape(imported)).toEqual(shape(importedNew));
    expect(imported).toMatchObject({ imported: 1, newPersons: 1 });

    // Karin's row was used and left as it was.
    const decision = await database.db
      .selectFrom('decision')
      .innerJoin('person', 'person.id', 'decision.personId')
      .select(['person.id', 'person.fornamn', 'person.skyddadIdentitet'])
      .where('decision.id', '=', imported.decisionIds[0]!)
      .executeTakeFirstOrThrow();
    expect(decision).toEqual({ id: karin.person.id, fornamn: 'Karin', skyddadIdentitet: true });

    // Now that the nämnd has a decision about her, a later file finds her there.
    const later = await dryRun(csvOf([row(KARIN, 'S-3')]));
    expect(later).toMatchObject({ newPersons: 0, accepted: [{ person: 'befintlig' }] });

    const audit = await auditRows();
    const lookups = audit
      .filter((a) => a.action === 'person_uppslag' && a.details && 'via' in a.details)
      .filter((a) => (a.details as { via: string }).via === 'import');
    // Each file's look-ups: the first file found Karin (once, though she is on two rows).
    expect(lookups.map((a) => [a.subjectId, a.details])).toEqual([
      [karin.person.id, { hittad: true, via: 'import' }],
      [null, { hittad: false, antal: 1, via: 'import' }],
      [karin.person.id, { hittad: true, via: 'import' }],
      [null, { hittad: false, antal: 1, via: 'import' }],
      [karin.person.id, { hittad: true, via: 'import' }],
    ]);
    expectNoNumbers(JSON.stringify(audit), [KARIN, NEVER]);
  });
});

describe('the audit log', () => {
  it('keeps the kind of a search and the decisions it returned, never the text', async () => {
    const karin = await karinInVard();
    const handlaggare = await as('handlaggare1');
    await clearAuditLog(database);
    const byNumber = await handlaggare.decisions.list({ search: dashed(KARIN) });
    const byName = await handlaggare.decisions.list({ search: 'Karin Lund' });
    expect(byNumber.items.map((i) => i.id)).toEqual([karin.id]);
    expect(byName.items.map((i) => i.id)).toEqual([karin.id]);
    const audit = await auditRows();
    expect(audit.map((a) => a.details)).toEqual([
      expect.objectContaining({
        beslut: [karin.id],
        urval: expect.objectContaining({ sokning: 'personnummer' }),
      }),
      expect.objectContaining({
        beslut: [karin.id],
        urval: expect.objectContaining({ sokning: 'text' }),
      }),
    ]);
    for (const row of audit) expect(row.details).not.toHaveProperty('urval.search');
    const text = JSON.stringify(audit);
    expectNoNumbers(text, [KARIN]);
    expect(text).not.toContain('Karin');
    expect(text).not.toContain('Lund');
  });

  it('shows a reader only entries about decisions and persons they may see', async () => {
    const handlaggare = await as('handlaggare1');
    const lss = await karinInVard();
    // Britt has only a SoL Äldre decision, which a rapportör for LSS may not see.
    const britt = pnr('19400303', '002');
    const aldre = await handlaggare.decisions.register({
      namndId: ORG.vard,
      lagrum: 'SoL',
      insats: 'SOL_HEMTJANST',
      verksamhetsomrade: 'SOL_ALDRE',
      beslutsdatum: '2026-06-01',
      person: {
        typ: 'personnummer',
        fornamn: 'Britt',
        efternamn: 'Ek',
        personnummer: dashed(britt),
      },
    });
    await handlaggare.decisions.get({ id: lss.id });
    await handlaggare.decisions.get({ id: aldre.id });
    await handlaggare.decisions.list({ sort: 'oldest' });
    await handlaggare.decisions.list({ verksamhetsomrade: 'SOL_ALDRE', sort: 'oldest' });
    // Britt's number looked up again, and a note on the import (about no decision).
    await handlaggare.decisions.register({
      namndId: ORG.vard,
      lagrum: 'SoL',
      insats: 'SOL_HEMTJANST',
      verksamhetsomrade: 'SOL_ALDRE',
      beslutsdatum: '2026-07-01',
      person: {
        typ: 'personnummer',
        fornamn: 'Britt',
        efternamn: 'Ek',
        personnummer: dashed(britt),
      },
    });

    const seen = async (user: User) =>
      (await (await as(user)).audit.list({ limit: 200 })).entries.map((e) => ({
        action: e.action,
        subjectId: e.subjectId,
        beslut: (e.details as { beslut?: unknown } | null)?.beslut,
      }));

    const rapportorLss = await seen('rapportorLss');
    const britts = await database.db
      .selectFrom('person')
      .select('id')
      .where('personnummer', '=', britt)
      .executeTakeFirstOrThrow();
    const aldreIds = (await database.db.selectFrom('decision').select('id').execute())
      .map((d) => d.id)
      .filter((id) => id !== lss.id);
    for (const entry of rapportorLss) {
      expect(aldreIds).not.toContain(entry.subjectId);
      expect(entry.subjectId).not.toBe(britts.id);
      if (Array.isArray(entry.beslut)) expect(entry.beslut).toEqual([lss.id]);
    }
    expect(rapportorLss).toEqual(
      expect.arrayContaining([
        { action: 'beslut_last', subjectId: lss.id, beslut: undefined },
        { action: 'beslut_registrerat', subjectId: lss.id, beslut: undefined },
        // The list of all: shown, with the SoL Äldre decision left out; the SoL Äldre list not.
        { action: 'beslut_listade', subjectId: null, beslut: [lss.id] },
      ]),
    );
    expect(rapportorLss.filter((e) => e.action === 'beslut_listade')).toHaveLength(1);

    // The huvudrapportör of the nämnd sees everything of it.
    const huvud = await seen('huvudrapportor');
    expect(huvud).toEqual(
      expect.arrayContaining([
        { action: 'beslut_last', subjectId: aldre.id, beslut: undefined },
        { action: 'person_uppslag', subjectId: britts.id, beslut: undefined },
        { action: 'beslut_listade', subjectId: null, beslut: [lss.id, aldre.id] },
        { action: 'beslut_listade', subjectId: null, beslut: expect.arrayContaining([aldre.id]) },
      ]),
    );
  });

  it('keeps no free text from the log’s own filter', async () => {
    const rapportor = await as('rapportorLss');
    await rapportor.audit.list({ action: dashed(KARIN), userId: KARIN });
    await rapportor.audit.list({ action: 'beslut_last', userId: 'handlaggare1' });
    const reads = (await auditRows()).filter((a) => a.action === 'granskningslogg_last');
    expect(reads.map((r) => (r.details as { filter: unknown }).filter)).toEqual([
      { userId: null, action: null, from: null, to: null },
      { userId: 'handlaggare1', action: 'beslut_last', from: null, to: null },
    ]);
    expectNoNumbers(JSON.stringify(reads), [KARIN]);
  });
});
