import { INRIKTNINGAR, needsInriktning, type Verksamhetsomrade } from '@evb/domain';
import type { Random } from './random';

/*
 * How often each insats is decided, and for whom, in a believable kommun: kontaktperson, gruppbostad
 * and särskilt boende are the classic long waits; 9 § 6 and 9 § 9 are mostly decided with their
 * form known.
 */

type Weighted = readonly (readonly [string, number])[];

export const INSATS_WEIGHTS: Record<Verksamhetsomrade, Weighted> = {
  LSS: [
    ['LSS_9_4', 18],
    ['LSS_9_9_GRUPPBOSTAD', 14],
    ['LSS_9_9_SERVICEBOSTAD', 6],
    ['LSS_9_9_ANNAN', 2],
    ['LSS_9_9', 1],
    ['LSS_9_10', 12],
    ['LSS_9_6_KORTTIDSHEM', 8],
    ['LSS_9_6_STODFAMILJ', 6],
    ['LSS_9_6_LAGER', 2],
    ['LSS_9_6_ANNAN', 1],
    ['LSS_9_6', 1],
    ['LSS_9_3', 5],
    ['LSS_9_5', 4],
    ['LSS_9_7', 4],
    ['LSS_9_8', 4],
    ['LSS_9_2', 3],
    ['LSS_9_1', 2],
  ],
  SOL_ALDRE: [
    ['SOL_SARSKILT_BOENDE', 40],
    ['SOL_HEMTJANST', 15],
    ['SOL_DAGVERKSAMHET', 10],
    ['SOL_KORTTIDSBOENDE', 10],
    ['SOL_KONTAKTPERSON', 8],
    ['SOL_AVLOSNING', 5],
    ['SOL_LEDSAGNING', 4],
    ['SOL_TRYGGHETSLARM', 4],
    ['SOL_OVRIGT', 2],
  ],
  SOL_FUNK: [
    ['SOL_BOENDESTOD', 25],
    ['SOL_KONTAKTPERSON', 20],
    ['SOL_BOSTAD_SARSKILD_SERVICE', 20],
    ['SOL_SYSSELSATTNING', 15],
    ['SOL_LEDSAGNING', 8],
    ['SOL_AVLOSNING', 5],
    ['SOL_HEMTJANST', 5],
    ['SOL_OVRIGT', 2],
  ],
  SOL_IFO: [
    ['SOL_KONTAKTFAMILJ', 25],
    ['SOL_KONTAKTPERSON', 25],
    ['SOL_FAMILJEHEM', 12],
    ['SOL_OPPENVARD', 12],
    ['SOL_STODBOENDE', 10],
    ['SOL_HVB', 8],
    ['SOL_BOENDESTOD', 5],
    ['SOL_EKONOMISKT_BISTAND', 1],
    ['SOL_OVRIGT', 2],
  ],
};

/** How the decisions of a nämnd with these areas are spread over them. */
export const AREA_WEIGHTS: Record<Verksamhetsomrade, number> = {
  LSS: 45,
  SOL_ALDRE: 35,
  SOL_FUNK: 20,
  SOL_IFO: 100,
};

/** The ages (in whole years, at the decision) of people granted an insats. */
export function ageRange(insats: string, area: Verksamhetsomrade): readonly [number, number] {
  switch (insats) {
    case 'LSS_9_7':
      return [13, 20];
    case 'LSS_9_8':
      return [4, 17];
    case 'LSS_9_6':
    case 'LSS_9_6_KORTTIDSHEM':
    case 'LSS_9_6_STODFAMILJ':
    case 'LSS_9_6_LAGER':
    case 'LSS_9_6_ANNAN':
      return [6, 25];
    case 'SOL_FAMILJEHEM':
    case 'SOL_KONTAKTFAMILJ':
    case 'SOL_HVB':
      return [3, 17];
  }
  if (insats.startsWith('LSS_9_9') || insats === 'LSS_9_10') return [19, 66];
  if (area === 'SOL_ALDRE') return [67, 98];
  if (area === 'LSS') return [8, 70];
  return [19, 70];
}

/** The inriktning (SoL FUNK and SoL IFO only) for a decision, with free text for Övrigt. */
export function drawInriktning(
  random: Random,
  area: Verksamhetsomrade,
  insats: string,
): { inriktning: string | null; inriktningText: string | null } {
  if (!needsInriktning(area)) return { inriktning: null, inriktningText: null };
  if (insats === 'SOL_EKONOMISKT_BISTAND') {
    return { inriktning: 'IFO_EKONOMISKT_BISTAND', inriktningText: null };
  }
  const options = INRIKTNINGAR[area].filter(
    (o) => o.code !== 'IFO_EKONOMISKT_BISTAND' && (o.code !== 'OVRIGT' || random.chance(0.1)),
  );
  const choice = random.pick(options);
  return choice.code === 'OVRIGT'
    ? { inriktning: 'OVRIGT', inriktningText: 'Stöd efter förvärvad hjärnskada' }
    : { inriktning: choice.code, inriktningText: null };
}

const OFFERS: Record<string, readonly string[]> = {
  boende: [
    'Erbjuden lägenhet i gruppbostaden Tallen',
    'Erbjuden plats i servicebostaden på Storgatan',
    'Erbjuden lägenhet med inflyttning om två veckor',
  ],
  sarskilt: [
    'Erbjuden plats på Vård- och omsorgsboendet Linden',
    'Erbjuden plats på ett boende i grannkommunen',
  ],
  kontakt: [
    'Erbjuden kontaktperson, kvinna i 40-årsåldern',
    'Erbjuden kontaktperson med intresse för friluftsliv',
    'Erbjuden stödfamilj en helg per månad',
  ],
  syssel: [
    'Erbjuden plats på Daglig verksamhet Eken, trädgårdsgruppen',
    'Erbjuden praktikplats på återbruket',
  ],
  korttid: ['Erbjuden korttidsvistelse två helger per månad', 'Erbjuden plats på sommarläger'],
  ovrigt: ['Erbjuden start nästa vecka', 'Erbjuden insatsen från månadsskiftet'],
};

function offerKind(insats: string): keyof typeof OFFERS {
  if (insats.startsWith('LSS_9_9') || insats === 'LSS_9_8' || insats.includes('BOSTAD')) {
    return 'boende';
  }
  if (insats === 'SOL_SARSKILT_BOENDE') return 'sarskilt';
  if (insats === 'LSS_9_4' || insats.includes('KONTAKT') || insats.endsWith('STODFAMILJ')) {
    return 'kontakt';
  }
  if (insats === 'LSS_9_10' || insats === 'SOL_SYSSELSATTNING') return 'syssel';
  if (insats.startsWith('LSS_9_6') || insats.includes('KORTTID')) return 'korttid';
  return 'ovrigt';
}

export function offerText(random: Random, insats: string): string {
  return random.pick(OFFERS[offerKind(insats)]!);
}

export const PARTIAL_TEXTS = [
  '2 av 5 timmar per vecka',
  'Två av fyra dagar i veckan',
  'Varannan helg av beviljade tre helger per månad',
  '10 av 20 timmar per månad',
];

export function compensatoryText(random: Random, date: string): string {
  return `${date}: ${random.pick([
    'Extra besök av hemtjänsten två gånger i veckan i väntan på insatsen',
    'Ledsagning två timmar i veckan tills kontaktperson finns',
    'Tillfällig plats på korttidsboende',
    'Samtalsstöd varannan vecka hos biståndshandläggaren',
  ])}`;
}

export const SUMMARY_TEXTS = [
  'Rekrytering pågår; två intervjuer har hållits utan att matchning kunnat göras.',
  'Ingen ledig plats under perioden; den enskilde står först i kön.',
  'Kontakt med god man varje månad; den enskilde önskar fortfarande insatsen.',
  'Erbjudande lämnat och avböjt; nytt erbjudande planeras när plats blir ledig.',
  'Utföraren har haft personalbrist; insatsen har delvis getts.',
];

export const NOTE_TEXTS = [
  'Ringt den enskilde och informerat om läget.',
  'Mejl till god man om planerad start.',
  'Avstämning med utföraren på veckomötet.',
  'Den enskilde har flyttat till ny adress inom kommunen.',
  'Anhörig har hört av sig och frågat om väntetiden.',
];

export const CALL_CONTACTS = [
  'Den enskilde',
  'God man',
  'Förvaltare',
  'Vårdnadshavare',
  'Anhörig (dotter)',
  'Anhörig (make)',
];

export const CALL_TEXTS = [
  'Vill fortfarande ha insatsen. Informerad om orsaken till dröjsmålet och om kompenserande stöd.',
  'Behovet kvarstår. Önskar besked så snart en plats finns.',
  'Har det svårt i väntan på insatsen; kompenserande insats diskuterades.',
  'Nöjd med den tillfälliga lösningen men vill ha den beviljade insatsen.',
];

export const INTERRUPTION_TEXTS = [
  'Kontaktpersonen har avslutat sitt uppdrag',
  'Stödfamiljen har sagt upp sig',
  'Platsen upphörde när verksamheten stängde för renovering',
  'Assistansen upphörde när assistenten slutade',
];
