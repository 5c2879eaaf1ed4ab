import { defaultOrderRecipient, type Verksamhetsomrade } from '@evb/domain';
import type { EnhetTyp, Role } from '../db/schema';
import { FEMALE_NAMES, MALE_NAMES, SURNAMES } from './names';
import type { Random } from './random';

/*
 * The organisation of a seeded deployment: kommuner, their nämnder and verksamhetsområden, the
 * units that carry out insatser and the two matching teams, and the people who work there. The
 * demo kommun has one demo user per role, who can sign in with DEMO_PASSWORD; everybody else is a
 * colleague who appears in the data (as handläggare, or as the one who logged an event) and has a
 * password nobody knows.
 */

export const DEMO_KOMMUN = 'Exempelkommun';
export const DEMO_PASSWORD = 'demo-evb-2026';

export type SeedGrant = {
  role: Role;
  namndId?: string;
  verksamhetsomrade?: Verksamhetsomrade;
  enhetId?: string;
};
export type SeedKommun = { id: string; namn: string };
export type SeedNamnd = {
  id: string;
  kommunId: string;
  namn: string;
  areas: readonly Verksamhetsomrade[];
};
export type SeedEnhet = {
  id: string;
  namndId: string;
  namn: string;
  typ: EnhetTyp;
  /** The insatser an utförarenhet provides (teams take what defaultOrderRecipient sends). */
  serves: readonly string[];
};
export type SeedUser = {
  id: string;
  username: string;
  displayName: string;
  email: string;
  telefon: string;
  /** Signs in with DEMO_PASSWORD and is printed at start-up. */
  demo: boolean;
  grants: SeedGrant[];
};
export type Organisation = {
  kommuner: SeedKommun[];
  namnder: SeedNamnd[];
  enheter: SeedEnhet[];
  users: SeedUser[];
};

/** The demo users, one per role, in the order they are printed. */
export const DEMO_USERS = [
  { username: 'utforare', role: 'utforare', displayName: 'Elin Sandberg' },
  { username: 'matchare', role: 'matchare', displayName: 'Oskar Lindqvist' },
  { username: 'handlaggare', role: 'handlaggare', displayName: 'Sara Nyström' },
  { username: 'rapportor', role: 'rapportor', displayName: 'Karin Holm' },
  { username: 'huvudrapportor', role: 'huvudrapportor', displayName: 'Magnus Ek' },
  { username: 'loggranskare', role: 'loggranskare', displayName: 'Lena Berg' },
  { username: 'admin', role: 'admin', displayName: 'Anders Wallin' },
] as const satisfies readonly { username: string; role: Role; displayName: string }[];

export const DEMO_USERNAMES: readonly string[] = DEMO_USERS.map((u) => u.username);

type UnitTemplate = readonly [namn: string, serves: readonly string[]];

const VARD_UNITS: readonly UnitTemplate[] = [
  ['Hemtjänst Centrum', ['SOL_HEMTJANST', 'SOL_TRYGGHETSLARM', 'SOL_OVRIGT']],
  ['Hemtjänst Norr', ['SOL_HEMTJANST']],
  ['Vård- och omsorgsboendet Linden', ['SOL_SARSKILT_BOENDE']],
  ['Korttidsboendet Björken', ['SOL_KORTTIDSBOENDE']],
  ['Dagverksamheten Lönnen', ['SOL_DAGVERKSAMHET']],
  ['Ledsagar- och avlösarservice', ['LSS_9_3', 'LSS_9_5', 'SOL_LEDSAGNING', 'SOL_AVLOSNING']],
  ['Kontaktpersonsenheten', ['LSS_9_4', 'LSS_9_6_STODFAMILJ', 'SOL_KONTAKTPERSON']],
  ['Personlig assistans Syd', ['LSS_9_2']],
  ['Korttidshemmet Lärkan', ['LSS_9_6', 'LSS_9_6_KORTTIDSHEM', 'LSS_9_6_LAGER', 'LSS_9_6_ANNAN']],
  ['Korttidstillsynen Solrosen', ['LSS_9_7']],
  ['Råd och stöd LSS', ['LSS_9_1']],
  ['Barn- och ungdomsboendet Ugglan', ['LSS_9_8']],
  ['Boendestödet', ['SOL_BOENDESTOD']],
  ['Servicebostaden Almen', ['SOL_BOSTAD_SARSKILD_SERVICE']],
  ['Daglig verksamhet Eken', ['SOL_SYSSELSATTNING']],
];

const SOCIAL_UNITS: readonly UnitTemplate[] = [
  ['Familjehemsenheten', ['SOL_FAMILJEHEM', 'SOL_KONTAKTFAMILJ', 'SOL_KONTAKTPERSON']],
  ['Öppenvården Källan', ['SOL_OPPENVARD', 'SOL_OVRIGT']],
  ['Stödboendet Hamnen', ['SOL_STODBOENDE', 'SOL_BOENDESTOD']],
  ['Placeringsenheten', ['SOL_HVB']],
  ['Försörjningsstödsenheten', ['SOL_EKONOMISKT_BISTAND']],
];

/** Made-up town names for the extra kommuner of a large seed. */
const TOWN_STEMS = ['Björk', 'Ek', 'Gran', 'Hassel', 'Lind', 'Al', 'Rönn', 'Asp', 'Ljung', 'Sälg'];
const TOWN_ENDINGS = ['vik', 'dala', 'hult', 'by', 'torp', 'sund', 'berga', 'näs'];

export function townName(index: number): string {
  const stem = TOWN_STEMS[index % TOWN_STEMS.length]!;
  const ending = TOWN_ENDINGS[Math.floor(index / TOWN_STEMS.length) % TOWN_ENDINGS.length]!;
  const round = Math.floor(index / (TOWN_STEMS.length * TOWN_ENDINGS.length));
  return `${stem}${ending}${round > 0 ? ` ${round + 1}` : ''} kommun`;
}

function asciiFold(text: string): string {
  return text
    .toLowerCase()
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^a-z0-9]+/g, '.');
}

/** Builds kommuner one by one, keeping usernames unique across them. */
class OrganisationBuilder {
  readonly org: Organisation = { kommuner: [], namnder: [], enheter: [], users: [] };
  private readonly usernames = new Set<string>();

  constructor(private readonly random: Random) {}

  private person(): { displayName: string; username: string } {
    const r = this.random;
    const fornamn = r.pick(r.chance(0.7) ? FEMALE_NAMES : MALE_NAMES);
    const displayName = `${fornamn} ${r.pick(SURNAMES)}`;
    const base = asciiFold(displayName);
    let username = base;
    for (let n = 2; this.usernames.has(username); n++) username = `${base}${n}`;
    this.usernames.add(username);
    return { displayName, username };
  }

  private addUser(
    kommunDomain: string,
    who: { displayName: string; username: string },
    grants: SeedGrant[],
    demo = false,
  ): SeedUser {
    const user: SeedUser = {
      id: this.random.uuid(),
      username: who.username,
      displayName: who.displayName,
      email: `${asciiFold(who.displayName)}@${kommunDomain}`,
      telefon: `070-${this.random.int(100, 999)} ${this.random.int(10, 99)} ${this.random.int(10, 99)}`,
      demo,
      grants,
    };
    this.usernames.add(user.username);
    this.org.users.push(user);
    return user;
  }

  private addUnits(namndId: string, templates: readonly UnitTemplate[]): SeedEnhet[] {
    const units = templates.map(([namn, serves]) => ({
      id: this.random.uuid(),
      namndId,
      namn,
      typ: 'utforarenhet' as const,
      serves,
    }));
    this.org.enheter.push(...units);
    return units;
  }

  /**
   * A kommun with Vård- och omsorgsnämnden (SoL Äldre, SoL FUNK, LSS) and Socialnämnden (SoL IFO),
   * their units and teams, and staff; with the demo users when `demo` is set.
   */
  addKommun(namn: string, demo: boolean): void {
    const r = this.random;
    const kommun: SeedKommun = { id: r.uuid(), namn };
    const domain = `${asciiFold(namn.replace(/ kommun$/, '')).replaceAll('.', '')}.se`;
    const vard: SeedNamnd = {
      id: r.uuid(),
      kommunId: kommun.id,
      namn: 'Vård- och omsorgsnämnden',
      areas: ['SOL_ALDRE', 'SOL_FUNK', 'LSS'],
    };
    const social: SeedNamnd = {
      id: r.uuid(),
      kommunId: kommun.id,
      namn: 'Socialnämnden',
      areas: ['SOL_IFO'],
    };
    this.org.kommuner.push(kommun);
    this.org.namnder.push(vard, social);
    const vardUnits = this.addUnits(vard.id, VARD_UNITS);
    const socialUnits = this.addUnits(social.id, SOCIAL_UNITS);
    const boendeteamet: SeedEnhet = {
      id: r.uuid(),
      namndId: vard.id,
      namn: 'Boendeteamet',
      typ: 'boendeteamet',
      serves: [],
    };
    const centralen: SeedEnhet = {
      id: r.uuid(),
      namndId: vard.id,
      namn: 'Centralen för sysselsättning',
      typ: 'centralen_for_sysselsattning',
      serves: [],
    };
    this.org.enheter.push(boendeteamet, centralen);

    if (demo) {
      const kontaktpersoner = vardUnits.find((u) => u.namn === 'Kontaktpersonsenheten')!;
      const grantsByRole: Record<(typeof DEMO_USERS)[number]['role'], SeedGrant[]> = {
        utforare: [{ role: 'utforare', enhetId: kontaktpersoner.id }],
        matchare: [{ role: 'matchare', enhetId: boendeteamet.id }],
        handlaggare: [{ role: 'handlaggare', namndId: vard.id }],
        rapportor: [{ role: 'rapportor', namndId: vard.id }],
        huvudrapportor: [
          { role: 'huvudrapportor', namndId: vard.id },
          { role: 'huvudrapportor', namndId: social.id },
        ],
        loggranskare: [{ role: 'loggranskare', namndId: vard.id }],
        admin: [{ role: 'admin' }],
      };
      for (const demoUser of DEMO_USERS) {
        this.addUser(domain, demoUser, grantsByRole[demoUser.role], true);
      }
    }
    for (let i = 0; i < 3; i++) {
      this.addUser(domain, this.person(), [{ role: 'handlaggare', namndId: vard.id }]);
    }
    for (let i = 0; i < 2; i++) {
      this.addUser(domain, this.person(), [{ role: 'handlaggare', namndId: social.id }]);
    }
    if (!demo) {
      this.addUser(domain, this.person(), [{ role: 'rapportor', namndId: vard.id }]);
      this.addUser(domain, this.person(), [
        { role: 'huvudrapportor', namndId: vard.id },
        { role: 'huvudrapportor', namndId: social.id },
      ]);
    }
    this.addUser(domain, this.person(), [{ role: 'rapportor', namndId: social.id }]);
    for (const unit of [...vardUnits, ...socialUnits]) {
      this.addUser(domain, this.person(), [{ role: 'utforare', enhetId: unit.id }]);
    }
    for (const team of [boendeteamet, centralen]) {
      this.addUser(domain, this.person(), [{ role: 'matchare', enhetId: team.id }]);
    }
  }
}

/**
 * The demo kommun, plus `extraKommuner` made-up kommuner with the same structure for large seeds
 * (each kommun adds two nämnder).
 */
export function buildOrganisation(random: Random, extraKommuner = 0): Organisation {
  const builder = new OrganisationBuilder(random);
  builder.addKommun(DEMO_KOMMUN, true);
  for (let i = 0; i < extraKommuner; i++) builder.addKommun(townName(i), false);
  return builder.org;
}

/**
 * Where a decision's order goes: Boendeteamet for 9 § 9 (and 9 § 8 carried out externally),
 * Centralen för sysselsättning for 9 § 10 (the domain's defaultOrderRecipient), otherwise a unit
 * of the nämnd that provides the insats.
 */
export function orderRecipients(
  org: Organisation,
  namndId: string,
  insats: string,
  extern: boolean,
): SeedEnhet[] {
  const kind = defaultOrderRecipient(insats, extern);
  return org.enheter.filter(
    (e) =>
      e.namndId === namndId &&
      e.typ === kind &&
      (kind !== 'utforarenhet' || e.serves.includes(insats)),
  );
}
