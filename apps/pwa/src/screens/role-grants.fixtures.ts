import type { Org } from './role-grants';

/** A kommun's two nämnder with units and teams, for the administration screens' tests. */
export const ORG: Org = {
  namnder: [
    {
      id: 'vard',
      namn: 'Vård- och omsorgsnämnden',
      kommunId: 'k',
      mayRegister: false,
      verksamhetsomraden: [
        { code: 'SOL_ALDRE', label: 'SoL Äldre' },
        { code: 'SOL_FUNK', label: 'SoL FUNK' },
        { code: 'LSS', label: 'LSS' },
      ],
      enheter: [
        { id: 'kontakt', namn: 'Kontaktpersonsenheten', typ: 'utforarenhet' },
        { id: 'boende', namn: 'Boendeteamet', typ: 'boendeteamet' },
        {
          id: 'central',
          namn: 'Centralen för sysselsättning',
          typ: 'centralen_for_sysselsattning',
        },
        { id: 'hemtjanst', namn: 'Hemtjänst Centrum', typ: 'utforarenhet' },
      ],
    },
    {
      id: 'social',
      namn: 'Socialnämnden',
      kommunId: 'k',
      mayRegister: false,
      verksamhetsomraden: [{ code: 'SOL_IFO', label: 'SoL IFO' }],
      enheter: [{ id: 'familj', namn: 'Familjehemsenheten', typ: 'utforarenhet' }],
    },
  ],
};
