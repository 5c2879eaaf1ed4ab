import type { Verksamhetsomrade } from './verksamhetsomraden';

export type Lagrum = 'SoL' | 'LSS';

export type Insats = {
  code: string;
  lagrum: Lagrum;
  /** Swedish label as in IVO's e-tjänst. */
  label: string;
  /** Used in message titles for SoL insatser; LSS ones are written `9§n`. */
  shortLabel: string;
  /** LSS 9 § paragraph (1–10); null for SoL. */
  lssParagraph: number | null;
  /** The verksamhetsområden it is reported under; the first is the usual one. */
  verksamhetsomraden: readonly Verksamhetsomrade[];
  /** For 9 § 6 / 9 § 9: true on the generic code, to be chosen only when the form is not known. */
  formUnknown?: boolean;
  /** Law it is granted under, as a key of LEGAL_REFERENCES. */
  grantedUnder: 'LSS_9' | 'SOL_11_1' | 'SOL_12_1';
};

const lss = (
  code: string,
  paragraph: number,
  label: string,
  extra: Partial<Insats> = {},
): Insats => ({
  code,
  lagrum: 'LSS',
  label,
  shortLabel: `9§${paragraph}`,
  lssParagraph: paragraph,
  verksamhetsomraden: ['LSS'],
  grantedUnder: 'LSS_9',
  ...extra,
});

const sol = (
  code: string,
  label: string,
  shortLabel: string,
  verksamhetsomraden: readonly Verksamhetsomrade[],
  grantedUnder: Insats['grantedUnder'] = 'SOL_11_1',
): Insats => ({
  code,
  lagrum: 'SoL',
  label,
  shortLabel,
  lssParagraph: null,
  verksamhetsomraden,
  grantedUnder,
});

/** Every insats a decision can grant. A code's meaning never changes; new ones may be added. */
export const INSATSER: readonly Insats[] = [
  lss('LSS_9_1', 1, 'Rådgivning och annat personligt stöd'),
  lss('LSS_9_2', 2, 'Biträde av personlig assistent'),
  lss('LSS_9_3', 3, 'Ledsagarservice'),
  lss('LSS_9_4', 4, 'Biträde av kontaktperson'),
  lss('LSS_9_5', 5, 'Avlösarservice i hemmet'),
  lss('LSS_9_6', 6, 'Korttidsvistelse utanför det egna hemmet (formen är inte känd)', {
    formUnknown: true,
  }),
  lss('LSS_9_6_KORTTIDSHEM', 6, 'Korttidsvistelse – korttidshem'),
  lss('LSS_9_6_STODFAMILJ', 6, 'Korttidsvistelse – stödfamilj'),
  lss('LSS_9_6_LAGER', 6, 'Korttidsvistelse – läger'),
  lss('LSS_9_6_ANNAN', 6, 'Korttidsvistelse – annan form'),
  lss('LSS_9_7', 7, 'Korttidstillsyn för skolungdom över 12 år'),
  lss(
    'LSS_9_8',
    8,
    'Boende i familjehem eller bostad med särskild service för barn eller ungdomar',
  ),
  lss('LSS_9_9', 9, 'Bostad med särskild service för vuxna (formen är inte känd)', {
    formUnknown: true,
  }),
  lss('LSS_9_9_GRUPPBOSTAD', 9, 'Bostad med särskild service för vuxna – gruppbostad'),
  lss('LSS_9_9_SERVICEBOSTAD', 9, 'Bostad med särskild service för vuxna – servicebostad'),
  lss('LSS_9_9_ANNAN', 9, 'Annan särskilt anpassad bostad för vuxna'),
  lss('LSS_9_10', 10, 'Daglig verksamhet'),
  sol('SOL_SARSKILT_BOENDE', 'Särskilt boende', 'Särskilt boende', ['SOL_ALDRE', 'SOL_FUNK']),
  sol('SOL_HEMTJANST', 'Hemtjänst', 'Hemtjänst', ['SOL_ALDRE', 'SOL_FUNK']),
  sol('SOL_DAGVERKSAMHET', 'Dagverksamhet', 'Dagverksamhet', ['SOL_ALDRE', 'SOL_FUNK']),
  sol('SOL_KORTTIDSBOENDE', 'Korttidsboende', 'Korttidsboende', ['SOL_ALDRE', 'SOL_FUNK']),
  sol('SOL_AVLOSNING', 'Avlösning i hemmet', 'Avlösning', ['SOL_ALDRE', 'SOL_FUNK']),
  sol('SOL_LEDSAGNING', 'Ledsagning', 'Ledsagning', ['SOL_FUNK', 'SOL_ALDRE']),
  sol('SOL_TRYGGHETSLARM', 'Trygghetslarm', 'Trygghetslarm', ['SOL_ALDRE', 'SOL_FUNK']),
  sol('SOL_BOSTAD_SARSKILD_SERVICE', 'Bostad med särskild service', 'Bostad med särskild service', [
    'SOL_FUNK',
  ]),
  sol('SOL_BOENDESTOD', 'Boendestöd', 'Boendestöd', ['SOL_FUNK', 'SOL_IFO']),
  sol('SOL_SYSSELSATTNING', 'Sysselsättning', 'Sysselsättning', ['SOL_FUNK']),
  sol('SOL_KONTAKTPERSON', 'Kontaktperson', 'Kontaktperson', ['SOL_IFO', 'SOL_FUNK', 'SOL_ALDRE']),
  sol('SOL_KONTAKTFAMILJ', 'Kontaktfamilj', 'Kontaktfamilj', ['SOL_IFO', 'SOL_FUNK']),
  sol('SOL_FAMILJEHEM', 'Familjehem', 'Familjehem', ['SOL_IFO', 'SOL_FUNK']),
  sol('SOL_HVB', 'Hem för vård eller boende (HVB)', 'HVB', ['SOL_IFO', 'SOL_FUNK']),
  sol('SOL_STODBOENDE', 'Stödboende', 'Stödboende', ['SOL_IFO']),
  sol('SOL_OPPENVARD', 'Öppenvårdsinsats', 'Öppenvård', ['SOL_IFO']),
  sol(
    'SOL_EKONOMISKT_BISTAND',
    'Ekonomiskt bistånd',
    'Ekonomiskt bistånd',
    ['SOL_IFO'],
    'SOL_12_1',
  ),
  sol('SOL_OVRIGT', 'Övrigt bistånd', 'Övrigt bistånd', ['SOL_ALDRE', 'SOL_FUNK', 'SOL_IFO']),
];

const byCode = new Map(INSATSER.map((i) => [i.code, i]));

export const INSATS_CODES = INSATSER.map((i) => i.code) as [string, ...string[]];

export function findInsats(code: string): Insats | undefined {
  return byCode.get(code);
}

export function isInsatsCode(code: string): boolean {
  return byCode.has(code);
}

/** How a message title names an insats: `9§9` for every LSS 9 § 9 form, the short label for SoL. */
export function insatsTitleName(code: string): string | undefined {
  return byCode.get(code)?.shortLabel;
}

/** Where an order (beställning) goes by default, per the municipal routine (seed 001). */
export type OrderRecipientKind = 'utforarenhet' | 'boendeteamet' | 'centralen_for_sysselsattning';

/**
 * 9 § 9 goes to Boendeteamet, and 9 § 8 when it is carried out externally; 9 § 10 to Centralen för
 * sysselsättning; everything else to the unit that provides the insats.
 */
export function defaultOrderRecipient(code: string, external = false): OrderRecipientKind {
  const insats = byCode.get(code);
  if (insats?.lssParagraph === 9 || (insats?.lssParagraph === 8 && external)) return 'boendeteamet';
  if (insats?.lssParagraph === 10) return 'centralen_for_sysselsattning';
  return 'utforarenhet';
}
