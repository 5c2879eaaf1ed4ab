/**
 * Why a decision was closed without (further) execution. A refusal is never one of them: a person
 * who said no to an offer is still waiting (seed 003, row 17).
 */
export const AVSLUTSANLEDNINGAR = [
  {
    code: 'ansokan_aterkallad',
    label: 'Den enskilde har återkallat sin ansökan',
    needsText: false,
  },
  { code: 'behov_upphort', label: 'Behovet har upphört', needsText: false },
  { code: 'avliden', label: 'Den enskilde har avlidit', needsText: false },
  { code: 'nytt_beslut', label: 'Nytt beslut har ersatt beslutet', needsText: false },
  { code: 'beslut_upphort', label: 'Beslutet har löpt ut', needsText: false },
  { code: 'flyttat', label: 'Den enskilde har flyttat från kommunen', needsText: false },
  { code: 'annat', label: 'Annan anledning', needsText: true },
] as const;

export type Avslutsanledning = (typeof AVSLUTSANLEDNINGAR)[number]['code'];
export const AVSLUTSANLEDNING_CODES = AVSLUTSANLEDNINGAR.map((a) => a.code) as [
  Avslutsanledning,
  ...Avslutsanledning[],
];

export function findAvslutsanledning(code: string) {
  return AVSLUTSANLEDNINGAR.find((a) => a.code === code);
}
