import { describe, expect, it } from 'vitest';
import {
  AVSLUTSANLEDNINGAR,
  CASE_EVENT_TYPES,
  DEFAULT_REASON_CODE_LIST,
  defaultOrderRecipient,
  EVENT_TYPE_LABELS,
  EVENT_TYPES_BY_ROLE,
  findInsats,
  INSATSER,
  LEGAL_REFERENCES,
  legalReference,
  loggableEventTypes,
  ReasonCodeListSchema,
  ROLES,
  sarskildAvgiftRange,
  VERKSAMHETSOMRADEN,
} from '../index';

describe('reason code list', () => {
  it('has the structure of IVO’s e-tjänst (seed 000)', () => {
    const { orsaker } = DEFAULT_REASON_CODE_LIST;
    expect(orsaker.hos_kommunen).toHaveLength(6);
    expect(orsaker.hos_kommunen.some((o) => o.label === 'Personalrelaterade skäl')).toBe(true);
    expect(orsaker.utanfor_kommunen).toHaveLength(5);
    expect(orsaker.utanfor_kommunen.at(-1)).toMatchObject({ label: 'Annat', needsText: true });
    expect(orsaker.hos_den_enskilde).toHaveLength(8);
    expect(orsaker.hos_den_enskilde.map((o) => o.label)).toContain('Har specifika önskemål om…');
    expect(orsaker.hos_den_enskilde.filter((o) => o.needsText).map((o) => o.label)).toEqual([
      'Annat',
    ]);
    expect(orsaker.tackat_nej).toHaveLength(5);
    expect(orsaker.tackat_nej.every((o) => o.needsOfferDate)).toBe(true);
  });

  it('is valid data with unique codes per skäl, so an administrator’s correction can be checked', () => {
    expect(ReasonCodeListSchema.parse(DEFAULT_REASON_CODE_LIST)).toEqual(DEFAULT_REASON_CODE_LIST);
    for (const list of Object.values(DEFAULT_REASON_CODE_LIST.orsaker)) {
      expect(new Set(list.map((o) => o.code)).size).toBe(list.length);
    }
  });

  it('never offers a refusal as a reason to close a decision', () => {
    expect(AVSLUTSANLEDNINGAR.map((a) => a.label).join(' ')).not.toMatch(/tackat nej/i);
  });
});

describe('insatser', () => {
  it('has every LSS 9 § insats and the known forms of 9 § 6 and 9 § 9', () => {
    for (let n = 1; n <= 10; n++) expect(findInsats(`LSS_9_${n}`)?.lssParagraph).toBe(n);
    for (const form of ['KORTTIDSHEM', 'STODFAMILJ', 'LAGER', 'ANNAN']) {
      expect(findInsats(`LSS_9_6_${form}`)?.shortLabel).toBe('9§6');
    }
    for (const form of ['GRUPPBOSTAD', 'SERVICEBOSTAD', 'ANNAN']) {
      expect(findInsats(`LSS_9_9_${form}`)?.shortLabel).toBe('9§9');
    }
    expect(findInsats('LSS_9_6')?.formUnknown).toBe(true);
    expect(findInsats('LSS_9_9_GRUPPBOSTAD')?.formUnknown).toBeUndefined();
  });

  it('gives every SoL insats a verksamhetsområde of SoL and a short label', () => {
    const solAreas = VERKSAMHETSOMRADEN.filter((v) => v.lagrum === 'SoL').map((v) => v.code);
    for (const insats of INSATSER.filter((i) => i.lagrum === 'SoL')) {
      expect(insats.code).toMatch(/^SOL_/);
      expect(insats.verksamhetsomraden.length).toBeGreaterThan(0);
      expect(insats.verksamhetsomraden.every((v) => (solAreas as string[]).includes(v))).toBe(true);
      expect(insats.shortLabel.length).toBeGreaterThan(0);
    }
    expect(new Set(INSATSER.map((i) => i.code)).size).toBe(INSATSER.length);
  });

  it('routes orders as the routine says (seed 001)', () => {
    expect(defaultOrderRecipient('LSS_9_9_GRUPPBOSTAD')).toBe('boendeteamet');
    expect(defaultOrderRecipient('LSS_9_8')).toBe('utforarenhet');
    expect(defaultOrderRecipient('LSS_9_8', true)).toBe('boendeteamet');
    expect(defaultOrderRecipient('LSS_9_10')).toBe('centralen_for_sysselsattning');
    expect(defaultOrderRecipient('LSS_9_4')).toBe('utforarenhet');
  });
});

describe('the law', () => {
  it('cites SoL (2025:400) 34 kap. today and SoL (2001:453) for older dates', () => {
    expect(legalReference('SOL_RAPPORT').citation).toBe('34 kap. 1 § socialtjänstlagen (2025:400)');
    expect(legalReference('SOL_RAPPORT', '2025-06-30').citation).toBe(
      '16 kap. 6 f § socialtjänstlagen (2001:453)',
    );
    expect(legalReference('SOL_STATISTIK', '2025-07-01').citation).toContain('34 kap. 3 §');
    expect(legalReference('LSS_STATISTIK').citation).toBe('28 h § LSS');
  });

  it('keeps each reference unambiguous on every date', () => {
    const keys = new Set(LEGAL_REFERENCES.map((r) => r.key));
    for (const key of keys) {
      const rows = LEGAL_REFERENCES.filter((r) => r.key === key);
      for (const a of rows) {
        for (const b of rows) {
          if (a === b) continue;
          const overlap =
            a.validFrom <= (b.validTo ?? '9999') && b.validFrom <= (a.validTo ?? '9999');
          expect(overlap, `${key}: ${a.citation} / ${b.citation}`).toBe(false);
        }
      }
    }
  });

  it('gives the fee range by decision date', () => {
    expect(sarskildAvgiftRange('2025-12-31')).toEqual({ min: 10_000, max: 1_000_000 });
    expect(sarskildAvgiftRange('2026-01-01')).toEqual({ min: 15_000, max: 1_500_000 });
  });
});

describe('roles and the events they log', () => {
  it('names every event type', () => {
    for (const type of CASE_EVENT_TYPES) expect(EVENT_TYPE_LABELS[type]).toMatch(/^\p{Lu}/u);
  });

  it('leaves the follow-up call and closing to the handläggare', () => {
    for (const role of ROLES) {
      const types = EVENT_TYPES_BY_ROLE[role];
      expect(types.includes('uppfoljning')).toBe(role === 'handlaggare');
      expect(types.includes('avslutad')).toBe(role === 'handlaggare');
    }
  });

  it('lets the unit log every step of the execution but not the handläggare’s', () => {
    // A makulering is no role's to log: whoever logged the event, or the decision's handläggare,
    // may void it (mayVoid), so it is in no role's list.
    expect([...EVENT_TYPES_BY_ROLE.utforare].sort()).toEqual(
      CASE_EVENT_TYPES.filter(
        (t) => t !== 'uppfoljning' && t !== 'avslutad' && t !== 'makulering',
      ).sort(),
    );
    expect(EVENT_TYPES_BY_ROLE.matchare).toEqual(EVENT_TYPES_BY_ROLE.utforare);
    expect(EVENT_TYPES_BY_ROLE.admin).toEqual([]);
  });
});

describe('loggableEventTypes', () => {
  const decision = { enhetId: 'e1', handlaggareId: 'h1', namndId: 'n1', verksamhetsomrade: 'LSS' };
  const grant = (role: (typeof ROLES)[number], scope: Partial<Record<string, string>> = {}) => ({
    role,
    enhetId: scope.enhetId ?? null,
    namndId: scope.namndId ?? null,
    verksamhetsomrade: scope.verksamhetsomrade ?? null,
  });

  it('gives each grant that reaches the decision its role’s events, and nothing otherwise', () => {
    const types = (id: string, roles: ReturnType<typeof grant>[]) =>
      [...loggableEventTypes({ id, roles }, decision)].sort();
    expect(types('u', [grant('utforare', { enhetId: 'e1' })])).toEqual(
      [...EVENT_TYPES_BY_ROLE.utforare].sort(),
    );
    expect(types('u', [grant('utforare', { enhetId: 'e2' })])).toEqual([]);
    expect(types('h1', [grant('handlaggare', { namndId: 'n1' })])).toContain('avslutad');
    expect(types('h2', [grant('handlaggare', { namndId: 'n1' })])).toEqual([]);
    expect(types('r', [grant('rapportor', { namndId: 'n1' })])).toEqual(['anteckning', 'skal']);
    expect(
      types('r', [grant('rapportor', { namndId: 'n1', verksamhetsomrade: 'SOL_ALDRE' })]),
    ).toEqual([]);
  });
});
