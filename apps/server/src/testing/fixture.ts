import { sql } from 'kysely';
import { hashPassword } from '../auth/password';
import type { Db } from '../db/database';
import type { Role } from '../db/schema';

/*
 * A small, fixed organisation for the integration tests: one kommun, two nämnder, two utförar-
 * enheter, both matching teams, and one user per role (plus a second of some, to test "own" against
 * "other"). Every user's password is FIXTURE_PASSWORD.
 */

export const FIXTURE_PASSWORD = 'rätt-lösenord-123';

export const ORG = {
  kommun: 'k1',
  vard: 'n-vard', // Vård- och omsorgsnämnden: SoL Äldre, SoL FUNK, LSS
  social: 'n-social', // Socialnämnden: SoL IFO
  enhetA: 'e-a',
  enhetB: 'e-b',
  boendeteamet: 'e-bt',
  centralen: 'e-cs',
} as const;

type Grant = { role: Role; namndId?: string; verksamhetsomrade?: string; enhetId?: string };

export const USERS = {
  utforareA: { grants: [{ role: 'utforare', enhetId: ORG.enhetA }] },
  utforareB: { grants: [{ role: 'utforare', enhetId: ORG.enhetB }] },
  matchare: { grants: [{ role: 'matchare', enhetId: ORG.boendeteamet }] },
  handlaggare1: { grants: [{ role: 'handlaggare', namndId: ORG.vard }] },
  handlaggare2: { grants: [{ role: 'handlaggare', namndId: ORG.vard }] },
  rapportorLss: { grants: [{ role: 'rapportor', namndId: ORG.vard, verksamhetsomrade: 'LSS' }] },
  huvudrapportor: { grants: [{ role: 'huvudrapportor', namndId: ORG.vard }] },
  rapportorSocial: { grants: [{ role: 'rapportor', namndId: ORG.social }] },
  loggranskare: { grants: [{ role: 'loggranskare', namndId: ORG.vard }] },
  loggranskareSocial: { grants: [{ role: 'loggranskare', namndId: ORG.social }] },
  admin: { grants: [{ role: 'admin' }] },
} satisfies Record<string, { grants: Grant[] }>;

export type FixtureUser = keyof typeof USERS;

let passwordHash: Promise<string> | undefined;

export async function seedFixture(db: Db): Promise<void> {
  passwordHash ??= hashPassword(FIXTURE_PASSWORD);
  const hash = await passwordHash;
  await db.insertInto('kommun').values({ id: ORG.kommun, namn: 'Exempelkommun' }).execute();
  await db
    .insertInto('namnd')
    .values([
      { id: ORG.vard, kommunId: ORG.kommun, namn: 'Vård- och omsorgsnämnden' },
      { id: ORG.social, kommunId: ORG.kommun, namn: 'Socialnämnden' },
    ])
    .execute();
  await db
    .insertInto('namndVerksamhetsomrade')
    .values([
      { namndId: ORG.vard, verksamhetsomrade: 'SOL_ALDRE' },
      { namndId: ORG.vard, verksamhetsomrade: 'SOL_FUNK' },
      { namndId: ORG.vard, verksamhetsomrade: 'LSS' },
      { namndId: ORG.social, verksamhetsomrade: 'SOL_IFO' },
    ])
    .execute();
  await db
    .insertInto('enhet')
    .values([
      { id: ORG.enhetA, namndId: ORG.vard, namn: 'Daglig verksamhet Eken', typ: 'utforarenhet' },
      { id: ORG.enhetB, namndId: ORG.vard, namn: 'Kontaktpersonsenheten', typ: 'utforarenhet' },
      { id: ORG.boendeteamet, namndId: ORG.vard, namn: 'Boendeteamet', typ: 'boendeteamet' },
      {
        id: ORG.centralen,
        namndId: ORG.vard,
        namn: 'Centralen för sysselsättning',
        typ: 'centralen_for_sysselsattning',
      },
    ])
    .execute();
  // A database not yet migrated to 0017 (a migration's test) has no loggranskare role.
  const { rows } = await sql<{ present: boolean }>`
    select to_regclass('log_review') is not null as present`.execute(db);
  const hasLoggranskare = rows[0]?.present === true;
  for (const [name, { grants }] of Object.entries(USERS)) {
    if (!hasLoggranskare && (grants as Grant[]).some((g) => g.role === 'loggranskare')) continue;
    await db
      .insertInto('appUser')
      .values({ id: name, username: name.toLowerCase(), displayName: name, passwordHash: hash })
      .execute();
    await db
      .insertInto('userRole')
      .values(
        (grants as Grant[]).map((g, i) => ({
          id: `${name}-${i}`,
          userId: name,
          role: g.role,
          namndId: g.namndId ?? null,
          verksamhetsomrade: g.verksamhetsomrade ?? null,
          enhetId: g.enhetId ?? null,
        })),
      )
      .execute();
  }
}
