import { describe, expect, it } from 'vitest';
import {
  changeGrant,
  checkGrants,
  describeGrant,
  emptyGrant,
  type GrantDraft,
  scopeOf,
  toGrantDrafts,
  toGrantInputs,
  unitChoices,
} from './role-grants';
import { ORG } from './role-grants.fixtures';

const grant = (over: Partial<GrantDraft>): GrantDraft => ({ ...emptyGrant(), ...over });

describe('scopeOf', () => {
  it('asks each role for the scope users.create needs', () => {
    expect(scopeOf('utforare')).toEqual({
      enhet: 'utforarenhet',
      namnd: false,
      verksamhetsomrade: false,
    });
    expect(scopeOf('matchare')).toEqual({ enhet: 'team', namnd: false, verksamhetsomrade: false });
    expect(scopeOf('handlaggare')).toEqual({ enhet: null, namnd: true, verksamhetsomrade: false });
    // A loggranskare reviews one nämnd's whole log: a nämnd, no area, no unit.
    expect(scopeOf('loggranskare')).toEqual({ enhet: null, namnd: true, verksamhetsomrade: false });
    expect(scopeOf('rapportor')).toEqual({ enhet: null, namnd: true, verksamhetsomrade: true });
    expect(scopeOf('huvudrapportor')).toEqual({
      enhet: null,
      namnd: true,
      verksamhetsomrade: true,
    });
    expect(scopeOf('admin')).toEqual({ enhet: null, namnd: false, verksamhetsomrade: false });
    expect(scopeOf('')).toEqual({ enhet: null, namnd: false, verksamhetsomrade: false });
  });
});

describe('unitChoices', () => {
  it('offers an utförare the utförarenheter and a matchare the teams, per nämnd in Swedish order', () => {
    expect(unitChoices(ORG, 'utforare')).toEqual([
      {
        namnd: 'Vård- och omsorgsnämnden',
        enheter: [
          { id: 'hemtjanst', namn: 'Hemtjänst Centrum', typ: 'utforarenhet' },
          { id: 'kontakt', namn: 'Kontaktpersonsenheten', typ: 'utforarenhet' },
        ],
      },
      {
        namnd: 'Socialnämnden',
        enheter: [{ id: 'familj', namn: 'Familjehemsenheten', typ: 'utforarenhet' }],
      },
    ]);
    expect(unitChoices(ORG, 'matchare').flatMap((g) => g.enheter.map((e) => e.id))).toEqual([
      'boende',
      'central',
    ]);
    expect(unitChoices(ORG, 'handlaggare')).toEqual([]);
  });
});

describe('toGrantInputs', () => {
  it('sends each grant with exactly the scope its role needs', () => {
    const everything = { namndId: 'vard', verksamhetsomrade: 'LSS', enhetId: 'kontakt' };
    expect(
      toGrantInputs([
        grant({ role: 'utforare', ...everything }),
        grant({ role: 'matchare', ...everything, enhetId: 'boende' }),
        grant({ role: 'handlaggare', ...everything }),
        grant({ role: 'rapportor', ...everything }),
        grant({ role: 'huvudrapportor', namndId: 'social' }),
        grant({ role: 'loggranskare', ...everything }),
        grant({ role: 'admin', ...everything }),
      ]),
    ).toEqual([
      { role: 'utforare', enhetId: 'kontakt' },
      { role: 'matchare', enhetId: 'boende' },
      { role: 'handlaggare', namndId: 'vard' },
      { role: 'rapportor', namndId: 'vard', verksamhetsomrade: 'LSS' },
      // No area chosen: all of the nämnd's.
      { role: 'huvudrapportor', namndId: 'social', verksamhetsomrade: null },
      { role: 'loggranskare', namndId: 'vard' },
      { role: 'admin' },
    ]);
  });
});

describe('checkGrants', () => {
  it('names what is missing with the server’s paths', () => {
    expect(
      checkGrants([
        grant({}),
        grant({ role: 'utforare' }),
        grant({ role: 'matchare' }),
        grant({ role: 'rapportor' }),
        grant({ role: 'rapportor', namndId: 'vard' }),
        grant({ role: 'admin' }),
      ]),
    ).toEqual({
      'roles.0.role': 'Välj roll',
      'roles.1.enhetId': 'Välj utförarenhet',
      'roles.2.enhetId': 'Välj team',
      'roles.3.namndId': 'Välj nämnd',
    });
    expect(checkGrants([])).toEqual({ roles: 'Ange minst en roll' });
  });
});

describe('changeGrant', () => {
  it('drops a unit that does not fit the new role, keeps one that does', () => {
    const utforare = grant({ role: 'utforare', enhetId: 'kontakt' });
    expect(changeGrant(utforare, 'role', 'matchare', ORG).enhetId).toBe('');
    expect(changeGrant(utforare, 'role', 'handlaggare', ORG).enhetId).toBe('');
    const matchare = grant({ role: 'matchare', enhetId: 'boende' });
    expect(changeGrant(matchare, 'role', 'matchare', ORG).enhetId).toBe('boende');
  });

  it('drops an area the new nämnd does not report for', () => {
    const rapportor = grant({ role: 'rapportor', namndId: 'vard', verksamhetsomrade: 'LSS' });
    expect(changeGrant(rapportor, 'namndId', 'social', ORG)).toEqual(
      grant({ role: 'rapportor', namndId: 'social', verksamhetsomrade: '' }),
    );
    expect(changeGrant(rapportor, 'role', 'huvudrapportor', ORG).verksamhetsomrade).toBe('LSS');
  });
});

describe('toGrantDrafts and describeGrant', () => {
  it('reads the server’s grants into the form and names them in Swedish', () => {
    const rows = [
      { role: 'utforare' as const, namndId: null, verksamhetsomrade: null, enhetId: 'kontakt' },
      { role: 'handlaggare' as const, namndId: 'social', verksamhetsomrade: null, enhetId: null },
      { role: 'rapportor' as const, namndId: 'vard', verksamhetsomrade: 'LSS', enhetId: null },
      { role: 'huvudrapportor' as const, namndId: 'vard', verksamhetsomrade: null, enhetId: null },
      { role: 'admin' as const, namndId: null, verksamhetsomrade: null, enhetId: null },
    ];
    expect(toGrantDrafts(rows)[0]).toEqual(grant({ role: 'utforare', enhetId: 'kontakt' }));
    expect(rows.map((r) => describeGrant(r, ORG))).toEqual([
      'Utförare – Kontaktpersonsenheten',
      'Handläggare – Socialnämnden',
      'Rapportör – Vård- och omsorgsnämnden, LSS',
      'Huvudrapportör – Vård- och omsorgsnämnden, alla verksamhetsområden',
      'Administratör',
    ]);
  });
});
