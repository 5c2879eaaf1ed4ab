import { z } from 'zod';

/** The four huvudsakliga skäl of IVO's tab 4. Exactly one per report. */
export const SKAL = [
  { code: 'hos_kommunen', label: 'Hos kommunen' },
  { code: 'utanfor_kommunen', label: 'Utanför kommunen' },
  { code: 'hos_den_enskilde', label: 'Hos den enskilde' },
  { code: 'tackat_nej', label: 'Den enskilde har tackat nej' },
] as const;

export type Skal = (typeof SKAL)[number]['code'];
export const SKAL_CODES = SKAL.map((s) => s.code) as [Skal, ...Skal[]];

export function skalLabel(code: Skal): string {
  return SKAL.find((s) => s.code === code)?.label ?? code;
}

export const OrsakSchema = z.object({
  code: z.string().regex(/^[a-z0-9_]+$/),
  label: z.string().min(1),
  /** "Annat" and the like: the report must say what, in free text. */
  needsText: z.boolean(),
  /** Refusals: the report must give the date of the offer. */
  needsOfferDate: z.boolean(),
});
export type Orsak = z.infer<typeof OrsakSchema>;

/**
 * A versioned orsak list per skäl. IVO's exact labels live in its e-tjänst and not in our sources,
 * so the list is kept as data (one version, DEFAULT_REASON_CODE_LIST; there is no screen or API to
 * edit it yet, and the reason_code_list table is unused); the structure is fixed by seed 000: 6 options hos kommunen, 4 + Annat utanför kommunen,
 * 8 (including "Har specifika önskemål om…" and Annat) hos den enskilde, 4 + Annat for tackat nej.
 */
export const ReasonCodeListSchema = z.object({
  version: z.string().min(1),
  orsaker: z.object({
    hos_kommunen: z.array(OrsakSchema).min(1),
    utanfor_kommunen: z.array(OrsakSchema).min(1),
    hos_den_enskilde: z.array(OrsakSchema).min(1),
    tackat_nej: z.array(OrsakSchema).min(1),
  }),
});
export type ReasonCodeList = z.infer<typeof ReasonCodeListSchema>;

const o = (code: string, label: string, flags: Partial<Orsak> = {}): Orsak => ({
  code,
  label,
  needsText: false,
  needsOfferDate: false,
  ...flags,
});
const annat = (extra: Partial<Orsak> = {}) => o('annat', 'Annat', { needsText: true, ...extra });
const refusal = (code: string, label: string) => o(code, label, { needsOfferDate: true });

export const DEFAULT_REASON_CODE_LIST: ReasonCodeList = {
  version: '2026-1',
  orsaker: {
    hos_kommunen: [
      o('brist_plats', 'Brist på ledig plats eller bostad'),
      o('personal', 'Personalrelaterade skäl'),
      o('uppdragstagare', 'Brist på lämplig uppdragstagare (kontaktperson, stödfamilj m.fl.)'),
      o('lokaler', 'Brist på lämpliga lokaler'),
      o('anpassning', 'Bostaden eller platsen behöver anpassas'),
      o('organisation', 'Organisatoriska skäl'),
    ],
    utanfor_kommunen: [
      o('extern_plats', 'Väntar på plats hos extern utförare'),
      o('annan_huvudman', 'Väntar på insats eller beslut från region eller annan myndighet'),
      o('bostadsanpassning', 'Väntar på bostadsanpassning'),
      o('hyresvard', 'Väntar på hyresvärd eller fastighetsägare'),
      annat(),
    ],
    hos_den_enskilde: [
      o('specifika_onskemal', 'Har specifika önskemål om…'),
      o('uppskov', 'Har själv begärt att verkställigheten skjuts upp'),
      // SoL (2025:400) 34 kap. 6 §: no fee where the person asked to postpone within a LOV system.
      o('uppskov_lov', 'Har begärt uppskov inom valfrihetssystem (LOV)'),
      o('sjukdom', 'Sjukdom eller vård på sjukhus'),
      o('ej_antraffbar', 'Går inte att nå'),
      o('annan_ort', 'Vistas tillfälligt på annan ort'),
      o('behov_forandrat', 'Behovet håller på att förändras'),
      annat(),
    ],
    tackat_nej: [
      refusal('motsvarar_inte_onskemal', 'Erbjudandet motsvarar inte önskemålen'),
      refusal('geografiskt_lage', 'Erbjudandets geografiska läge'),
      refusal('vill_avvakta', 'Vill avvakta med insatsen'),
      refusal('utforare_person', 'Vill inte ha den erbjudna utföraren eller personen'),
      annat({ needsOfferDate: true }),
    ],
  },
};

export function orsakerFor(
  skal: Skal,
  list: ReasonCodeList = DEFAULT_REASON_CODE_LIST,
): readonly Orsak[] {
  return list.orsaker[skal];
}

export function findOrsak(
  skal: Skal,
  code: string,
  list: ReasonCodeList = DEFAULT_REASON_CODE_LIST,
): Orsak | undefined {
  return list.orsaker[skal].find((orsak) => orsak.code === code);
}
