import { describe, expect, it } from 'vitest';
import { type FixtureUser, ORG } from '../testing/fixture';
import { callerFor, useTestDatabase } from '../testing/harness';

/* org.overview: each role sees the nämnder, verksamhetsområden and units its grants reach. */

const database = useTestDatabase();

async function overview(user: FixtureUser | null) {
  return (await callerFor(database, user)).org.overview();
}

const summary = (o: Awaited<ReturnType<typeof overview>>) =>
  o.namnder.map((n) => ({
    id: n.id,
    mayRegister: n.mayRegister,
    areas: n.verksamhetsomraden.map((v) => v.code),
    enheter: n.enheter.map((e) => e.id),
  }));

describe('org.overview', () => {
  it('gives a handläggare their whole nämnd, with labels, and the right to register there', async () => {
    const o = await overview('handlaggare1');
    expect(summary(o)).toEqual([
      {
        id: ORG.vard,
        mayRegister: true,
        areas: ['LSS', 'SOL_ALDRE', 'SOL_FUNK'],
        enheter: [ORG.boendeteamet, ORG.centralen, ORG.enhetA, ORG.enhetB],
      },
    ]);
    expect(o.namnder[0]!.verksamhetsomraden).toContainEqual({
      code: 'SOL_ALDRE',
      label: 'SoL Äldre',
    });
    expect(o.namnder[0]!.enheter).toContainEqual({
      id: ORG.boendeteamet,
      namn: 'Boendeteamet',
      typ: 'boendeteamet',
    });
  });

  it('narrows a rapportör to her verksamhetsområde, and an utförare to their own unit', async () => {
    expect(summary(await overview('rapportorLss'))).toEqual([
      {
        id: ORG.vard,
        mayRegister: false,
        areas: ['LSS'],
        enheter: [ORG.boendeteamet, ORG.centralen, ORG.enhetA, ORG.enhetB],
      },
    ]);
    expect(summary(await overview('utforareA'))).toEqual([
      { id: ORG.vard, mayRegister: false, areas: [], enheter: [ORG.enhetA] },
    ]);
    expect(summary(await overview('rapportorSocial'))).toEqual([
      { id: ORG.social, mayRegister: false, areas: ['SOL_IFO'], enheter: [] },
    ]);
  });

  it('gives an admin every nämnd, and nobody signed out anything', async () => {
    expect(summary(await overview('admin')).map((n) => n.id)).toEqual([ORG.social, ORG.vard]);
    await expect(overview(null)).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
  });
});
