/** IVO's verksamhetsområden (tab 1 of the e-tjänst). */
export const VERKSAMHETSOMRADEN = [
  { code: 'SOL_ALDRE', label: 'SoL Äldre', lagrum: 'SoL' },
  { code: 'SOL_FUNK', label: 'SoL FUNK', lagrum: 'SoL' },
  { code: 'SOL_IFO', label: 'SoL IFO', lagrum: 'SoL' },
  { code: 'LSS', label: 'LSS', lagrum: 'LSS' },
] as const;

export type Verksamhetsomrade = (typeof VERKSAMHETSOMRADEN)[number]['code'];
export const VERKSAMHETSOMRADE_CODES = VERKSAMHETSOMRADEN.map((v) => v.code) as [
  Verksamhetsomrade,
  ...Verksamhetsomrade[],
];

export function verksamhetsomradeLabel(code: Verksamhetsomrade): string {
  return VERKSAMHETSOMRADEN.find((v) => v.code === code)?.label ?? code;
}

/**
 * Inriktning is asked for SoL FUNK and SoL IFO only (tab 3). `OVRIGT` needs free text. IVO's exact
 * labels live in its e-tjänst; these are the municipal terms it uses, kept as data so they can be
 * corrected in one place.
 */
export const INRIKTNINGAR = {
  SOL_FUNK: [
    { code: 'FUNK_PSYKISK', label: 'Psykisk funktionsnedsättning' },
    { code: 'FUNK_INTELLEKTUELL', label: 'Intellektuell funktionsnedsättning' },
    { code: 'FUNK_FYSISK', label: 'Fysisk funktionsnedsättning' },
    { code: 'FUNK_NEUROPSYKIATRISK', label: 'Neuropsykiatrisk funktionsnedsättning' },
    { code: 'OVRIGT', label: 'Övrigt', needsText: true },
  ],
  SOL_IFO: [
    { code: 'IFO_MISSBRUK', label: 'Missbruk och beroende' },
    { code: 'IFO_BARN_UNGA', label: 'Barn och unga' },
    { code: 'IFO_VALD', label: 'Våld i nära relationer' },
    { code: 'IFO_EKONOMISKT_BISTAND', label: 'Ekonomiskt bistånd' },
    { code: 'IFO_HEMLOSHET', label: 'Hemlöshet' },
    { code: 'OVRIGT', label: 'Övrigt', needsText: true },
  ],
} as const satisfies Record<
  'SOL_FUNK' | 'SOL_IFO',
  readonly { code: string; label: string; needsText?: boolean }[]
>;

export function needsInriktning(v: Verksamhetsomrade): v is 'SOL_FUNK' | 'SOL_IFO' {
  return v === 'SOL_FUNK' || v === 'SOL_IFO';
}

export function inriktningarFor(v: Verksamhetsomrade): readonly {
  code: string;
  label: string;
  needsText?: boolean;
}[] {
  return needsInriktning(v) ? INRIKTNINGAR[v] : [];
}
