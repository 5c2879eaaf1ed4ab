import type { IsoDate } from '../calendar/dates';
import type { Lagrum } from './insatser';

export type LegalReference = {
  key: LegalReferenceKey;
  /** Short citation, e.g. "34 kap. 1 § SoL (2025:400)". */
  citation: string;
  /** What it requires, in Swedish. */
  summary: string;
  /** The day it applies from; `validTo` the last day, when it has been replaced. */
  validFrom: IsoDate;
  validTo?: IsoDate;
};

export type LegalReferenceKey =
  | 'SOL_RAPPORT'
  | 'SOL_VERKSTALLIGHET'
  | 'SOL_STATISTIK'
  | 'SOL_SARSKILD_AVGIFT'
  | 'SOL_UPPSKOV_LOV'
  | 'SOL_AVGIFT_FRIST'
  | 'SOL_11_1'
  | 'SOL_12_1'
  | 'LSS_9'
  | 'LSS_RAPPORT'
  | 'LSS_VERKSTALLIGHET'
  | 'LSS_STATISTIK'
  | 'LSS_SARSKILD_AVGIFT'
  | 'LSS_AVGIFT_FRIST';

const SOL_2025 = '2025-07-01';
const SOL_2001_LAST = '2025-06-30';

/**
 * Every legal reference the product shows, in one table, so that a change of law is one edit here.
 * Where a rule moved when SoL (2025:400) replaced SoL (2001:453) on 1 July 2025, both rows are kept
 * with their validity so that older reports cite the law that applied.
 */
export const LEGAL_REFERENCES: readonly LegalReference[] = [
  {
    key: 'SOL_RAPPORT',
    citation: '34 kap. 1 § socialtjänstlagen (2025:400)',
    summary:
      'Beslut om insatser enligt 11 kap. 1 § och ekonomiskt bistånd enligt 12 kap. 1 § som inte verkställts inom tre månader, och avbrott i verkställigheten, ska rapporteras till IVO och revisorerna varje kvartal.',
    validFrom: SOL_2025,
  },
  {
    key: 'SOL_VERKSTALLIGHET',
    citation: '34 kap. 2 § socialtjänstlagen (2025:400)',
    summary: 'Nämnden ska rapportera när ett tidigare rapporterat beslut har verkställts.',
    validFrom: SOL_2025,
  },
  {
    key: 'SOL_STATISTIK',
    citation: '34 kap. 3 § socialtjänstlagen (2025:400)',
    summary:
      'Nämnden ska varje kvartal lämna en avidentifierad statistikrapport till kommunfullmäktige om beslut som inte verkställts inom tre månader: antal, typ av insats och tid sedan beslutet.',
    validFrom: SOL_2025,
  },
  {
    key: 'SOL_SARSKILD_AVGIFT',
    citation: '34 kap. socialtjänstlagen (2025:400)',
    summary:
      'En kommun som inte inom skälig tid tillhandahåller beviljat bistånd kan åläggas en särskild avgift.',
    validFrom: SOL_2025,
  },
  {
    key: 'SOL_UPPSKOV_LOV',
    citation: '34 kap. 6 § socialtjänstlagen (2025:400)',
    summary:
      'Särskild avgift tas inte ut när den enskilde inom ett valfrihetssystem har begärt att verkställigheten skjuts upp.',
    validFrom: SOL_2025,
  },
  {
    key: 'SOL_AVGIFT_FRIST',
    citation: '34 kap. 10 § socialtjänstlagen (2025:400)',
    summary:
      'Särskild avgift kan inte dömas ut om förvaltningsrätten inte har delgett kommunen ansökan om avgiften inom två år från det gynnande beslutet.',
    validFrom: SOL_2025,
  },
  {
    key: 'SOL_RAPPORT',
    citation: '16 kap. 6 f § socialtjänstlagen (2001:453)',
    summary:
      'Gynnande beslut enligt 4 kap. 1 § som inte verkställts inom tre månader, och avbrott, ska rapporteras till IVO varje kvartal.',
    validFrom: '2008-07-01',
    validTo: SOL_2001_LAST,
  },
  {
    key: 'SOL_VERKSTALLIGHET',
    citation: '16 kap. 6 g § socialtjänstlagen (2001:453)',
    summary: 'Nämnden ska rapportera när ett tidigare rapporterat beslut har verkställts.',
    validFrom: '2008-07-01',
    validTo: SOL_2001_LAST,
  },
  {
    key: 'SOL_STATISTIK',
    citation: '16 kap. 6 h § socialtjänstlagen (2001:453)',
    summary: 'Kvartalsvis statistikrapport till kommunfullmäktige.',
    validFrom: '2008-07-01',
    validTo: SOL_2001_LAST,
  },
  {
    key: 'SOL_SARSKILD_AVGIFT',
    citation: '16 kap. 6 a § socialtjänstlagen (2001:453)',
    summary: 'Särskild avgift när bistånd inte tillhandahålls inom skälig tid.',
    validFrom: '2006-07-01',
    validTo: SOL_2001_LAST,
  },
  {
    key: 'SOL_11_1',
    citation: '11 kap. 1 § socialtjänstlagen (2025:400)',
    summary: 'Bistånd i form av insatser.',
    validFrom: SOL_2025,
  },
  {
    key: 'SOL_12_1',
    citation: '12 kap. 1 § socialtjänstlagen (2025:400)',
    summary: 'Ekonomiskt bistånd.',
    validFrom: SOL_2025,
  },
  {
    key: 'SOL_11_1',
    citation: '4 kap. 1 § socialtjänstlagen (2001:453)',
    summary: 'Rätt till bistånd.',
    validFrom: '2002-01-01',
    validTo: SOL_2001_LAST,
  },
  {
    key: 'SOL_12_1',
    citation: '4 kap. 1 § socialtjänstlagen (2001:453)',
    summary: 'Rätt till bistånd (försörjningsstöd).',
    validFrom: '2002-01-01',
    validTo: SOL_2001_LAST,
  },
  {
    key: 'LSS_9',
    citation: '9 § lagen (1993:387) om stöd och service till vissa funktionshindrade',
    summary: 'Insatser för särskilt stöd och särskild service.',
    validFrom: '1994-01-01',
  },
  {
    key: 'LSS_RAPPORT',
    citation: '28 f § LSS',
    summary:
      'Gynnande beslut enligt 9 § som inte verkställts inom tre månader, och avbrott, ska rapporteras till IVO och revisorerna varje kvartal.',
    validFrom: '2008-07-01',
  },
  {
    key: 'LSS_VERKSTALLIGHET',
    citation: '28 g § LSS',
    summary: 'Nämnden ska rapportera när ett tidigare rapporterat beslut har verkställts.',
    validFrom: '2008-07-01',
  },
  {
    key: 'LSS_STATISTIK',
    citation: '28 h § LSS',
    summary:
      'Nämnden ska varje kvartal lämna en avidentifierad statistikrapport till kommunfullmäktige.',
    validFrom: '2008-07-01',
  },
  {
    key: 'LSS_SARSKILD_AVGIFT',
    citation: '28 a § LSS',
    summary:
      'En kommun som inte inom skälig tid tillhandahåller en beviljad insats kan åläggas en särskild avgift.',
    validFrom: '2008-07-01',
  },
  {
    key: 'LSS_AVGIFT_FRIST',
    citation: '28 c § LSS',
    summary:
      'Särskild avgift kan inte dömas ut om förvaltningsrätten inte har delgett kommunen ansökan om avgiften inom två år från det gynnande beslutet.',
    validFrom: '2008-07-01',
  },
];

/** The reference that applied on `date` (default: the newest), or null when none did. */
export function findLegalReference(key: LegalReferenceKey, date?: IsoDate): LegalReference | null {
  const rows = LEGAL_REFERENCES.filter(
    (r) => r.key === key && (!date || (r.validFrom <= date && (!r.validTo || date <= r.validTo))),
  );
  return rows.sort((a, b) => b.validFrom.localeCompare(a.validFrom))[0] ?? null;
}

/** The reference that applied on `date` (default: the newest). */
export function legalReference(key: LegalReferenceKey, date?: IsoDate): LegalReference {
  const found = findLegalReference(key, date);
  if (!found) throw new RangeError(`Ingen lagrumshänvisning ${key} gällde ${date ?? 'nu'}`);
  return found;
}

/**
 * By the decision's law, the rule that IVO's application for a särskild avgift must be served on
 * the kommun within two years (SoL 2025:400 34 kap. 10 §, LSS 28 c §), as it applied on `date`.
 */
export function avgiftFristReference(lagrum: Lagrum, date: IsoDate): LegalReference | null {
  return findLegalReference(lagrum === 'SoL' ? 'SOL_AVGIFT_FRIST' : 'LSS_AVGIFT_FRIST', date);
}

/**
 * By the decision's law, the rule that no särskild avgift is imposed for a wait the person asked
 * for within a valfrihetssystem (LOV), as it applied on `date`; null where the law has none. The
 * table holds it for SoL (2025:400) 34 kap. 6 § only: LSS 28 a–c §§ have no such exception in it,
 * so an LSS decision with that orsak keeps its fee range (evb's reading; a row here changes it).
 */
export function uppskovLovReference(lagrum: Lagrum, date: IsoDate): LegalReference | null {
  return lagrum === 'SoL' ? findLegalReference('SOL_UPPSKOV_LOV', date) : null;
}

/**
 * The range of särskild avgift the court may impose for a decision, by its date: 15 000–1 500 000 kr
 * for decisions from 2026-01-01, 10 000–1 000 000 kr before (domain.md, "The law today").
 */
export function sarskildAvgiftRange(beslutsdatum: IsoDate): { min: number; max: number } {
  return beslutsdatum >= '2026-01-01'
    ? { min: 15_000, max: 1_500_000 }
    : { min: 10_000, max: 1_000_000 };
}
