import {
  birthDateOfPersonnummer,
  type CaseEvent,
  CaseEventSchema,
  type CaseStatus,
  caseStatus,
  DecisionSchema,
  decisionState,
  defaultOrderRecipient,
  findInsats,
  formatSwedishDate,
  type IsoDate,
  IsoDateSchema,
  inriktningarFor,
  isSamordningsnummer,
  isValidPersonnummer,
  konOfPersonnummer,
  LagrumSchema,
  mintIvoPseudoId,
  needsInriktning,
  VERKSAMHETSOMRADE_CODES,
  type Verksamhetsomrade,
  verksamhetsomradeLabel,
} from '@evb/domain';
import { TRPCError } from '@trpc/server';
import { v7 as uuidv7 } from 'uuid';
import { z } from 'zod';
import {
  type PersonView,
  personView,
  type StoredPerson,
  storedPersonOf,
} from '../access/redaction';
import { type DecisionScope, decisionScope } from '../access/scope';
import { type AuditEntry, insertAudit } from '../data/audit';
import {
  type DecisionWithPeople,
  eventsOfDecision,
  findDecisionById,
  findVisibleDecision,
  findVisibleDecisionWithPeople,
  insertDecision,
  lockChangeSequence,
  reportingDoneFor,
  setDecisionOrder,
  timelinesOf,
} from '../data/decisions';
import { enheterOf, findEnhet, findNamnd, verksamhetsomradenOf } from '../data/organisation';
import {
  findPersonById,
  findPersonByPersonnummer,
  insertPersonUnlessTaken,
  ivoIdsBornOn,
  personHasVisibleDecision,
} from '../data/persons';
import type { Db } from '../db/database';
import type { DecisionRow, EnhetTyp, Person } from '../db/schema';
import type { AuthUser } from '../trpc/context';
import { notFound } from '../trpc/init';
import { toDomainDecision, toDomainEvent } from './case-events';

/*
 * Registering decisions and routing their orders, and the views of a decision that the routers
 * answer with. Every rule about dates, codes and identities is the domain's; this module adds what
 * needs the database (the nämnd's verksamhetsområden and units, existing persons, who handles what).
 */

// ---------------------------------------------------------------------------------------------
// Errors

/**
 * A 400 naming a field, for checks that need the database or today's date and so cannot live in
 * the zod schema. The error formatter shows it exactly like a zod issue: "field: message".
 */
export function invalidField(path: string, message: string): TRPCError {
  const cause = Object.assign(new Error(`${path}: ${message}`), {
    issues: [{ path: path.split('.'), message }],
  });
  return new TRPCError({ code: 'BAD_REQUEST', message: `${path}: ${message}`, cause });
}

/** Checks an event built by the server from a procedure's input against the domain's schema. */
export function parseCaseEvent(candidate: unknown): CaseEvent {
  const result = CaseEventSchema.safeParse(candidate);
  if (!result.success) {
    throw new TRPCError({ code: 'BAD_REQUEST', message: 'Ogiltig händelse', cause: result.error });
  }
  return result.data;
}

/** The caller's roles as the audit log records them. */
export function rolesOf(user: AuthUser): string {
  return user.roles.map((r) => r.role).join(',');
}

// ---------------------------------------------------------------------------------------------
// Case status

/**
 * The domain's caseStatus of many decisions, with the handled messages and filed quarters that
 * make its deadlines right: three queries however many decisions there are. caseStatus reads an
 * event's place in the timeline (id, type, date, recordedAt), never its type-specific fields, so
 * only those are loaded: a list sorted by urgency needs the status of every decision it may show.
 * (The tests compare these statuses with the domain's over full events.)
 */
export async function loadCaseStatuses(
  db: Db,
  decisions: readonly DecisionRow[],
  today: IsoDate,
): Promise<Map<string, CaseStatus>> {
  const ids = decisions.map((d) => d.id);
  const timelines = groupBy(
    (await timelinesOf(db, ids)).map(
      (row) =>
        ({
          id: row.id,
          decisionId: row.decisionId,
          type: row.type,
          date: row.date,
          recordedAt: row.recordedAt,
        }) as CaseEvent,
    ),
  );
  const { handled, filed } = await reportingDoneFor(db, ids);
  const handledKeys = groupBy(handled);
  const filedQuarters = groupBy(filed);
  const statuses = new Map<string, CaseStatus>();
  for (const decision of decisions) {
    statuses.set(
      decision.id,
      caseStatus(toDomainDecision(decision), timelines.get(decision.id) ?? [], today, {
        handledMessages: (handledKeys.get(decision.id) ?? []).map((h) => h.messageKey),
        filedQuarters: (filedQuarters.get(decision.id) ?? []).map((f) => f.quarter),
      }),
    );
  }
  return statuses;
}

function groupBy<T extends { decisionId: string }>(rows: readonly T[]): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const row of rows) {
    const group = groups.get(row.decisionId);
    if (group) group.push(row);
    else groups.set(row.decisionId, [row]);
  }
  return groups;
}

export async function loadCaseStatus(
  db: Db,
  decision: DecisionRow,
  today: IsoDate,
): Promise<CaseStatus> {
  return (await loadCaseStatuses(db, [decision], today)).get(decision.id)!;
}

// ---------------------------------------------------------------------------------------------
// Views

export type DecisionSummary = {
  id: string;
  namndId: string;
  verksamhetsomrade: string;
  inriktning: string | null;
  inriktningText: string | null;
  lagrum: 'SoL' | 'LSS';
  insats: string;
  insatsLabel: string;
  beslutsdatum: string;
  forhandsbesked: boolean;
  ersatterBeslutId: string | null;
  /** LSS 9 § 8 carried out externally (ordered to Boendeteamet). */
  extern: boolean;
  /** When the order was last routed (ISO timestamp), null when not ordered yet. */
  orderedAt: string | null;
  handlaggare: { id: string; namn: string };
  enhet: { id: string; namn: string; typ: EnhetTyp } | null;
  person: PersonView;
  caseStatus: CaseStatus;
};

/** A decision as the caller may see it: the personnummer masked unless they see full identity. */
export function decisionSummary(
  user: AuthUser,
  row: DecisionWithPeople,
  status: CaseStatus,
): DecisionSummary {
  return {
    id: row.id,
    namndId: row.namndId,
    verksamhetsomrade: row.verksamhetsomrade,
    inriktning: row.inriktning,
    inriktningText: row.inriktningText,
    lagrum: row.lagrum,
    insats: row.insats,
    insatsLabel: findInsats(row.insats)?.label ?? row.insats,
    beslutsdatum: row.beslutsdatum,
    forhandsbesked: row.forhandsbesked,
    ersatterBeslutId: row.ersatterBeslutId,
    extern: row.extern,
    orderedAt: row.orderedAt ? new Date(row.orderedAt).toISOString() : null,
    handlaggare: { id: row.handlaggareId, namn: row.handlaggareNamn },
    enhet:
      row.enhetId && row.enhetNamn && row.enhetTyp
        ? { id: row.enhetId, namn: row.enhetNamn, typ: row.enhetTyp }
        : null,
    person: personView(user, row, storedPersonOf(row)),
    caseStatus: status,
  };
}

/** One visible decision's summary with its current caseStatus; 404 when it is not visible. */
export async function summaryOfDecision(
  db: Db,
  user: AuthUser,
  decisionId: string,
  today: IsoDate,
): Promise<DecisionSummary> {
  const row = await findVisibleDecisionWithPeople(db, decisionScope(user), decisionId);
  if (!row) throw notFound();
  return decisionSummary(user, row, await loadCaseStatus(db, row, today));
}

// ---------------------------------------------------------------------------------------------
// Input

const name = (what: string) =>
  z
    .string({ error: `Skriv ${what}` })
    .trim()
    .min(1, { error: `Skriv ${what}` })
    .max(200, { error: 'Högst 200 tecken' });
const someId = (message: string) =>
  z.string({ error: message }).trim().min(1, { error: message }).max(100, { error: message });

const personnummer = (what: 'personnummer' | 'samordningsnummer') =>
  z
    .string({ error: `Ange ${what}` })
    .max(20, { error: `Ogiltigt ${what}: ange ÅÅÅÅMMDD-NNNN med rätt kontrollsiffra` })
    .trim()
    .refine((value) => isValidPersonnummer(value), {
      error: `Ogiltigt ${what}: ange ÅÅÅÅMMDD-NNNN med rätt kontrollsiffra`,
    })
    .transform((value) => value.replace('-', ''))
    .refine((value) => isSamordningsnummer(value) === (what === 'samordningsnummer'), {
      error:
        what === 'personnummer'
          ? 'Numret är ett samordningsnummer; välj samordningsnummer'
          : 'Numret är inget samordningsnummer (födelsedagen ska vara ökad med 60)',
    });

const newPerson = {
  fornamn: name('förnamn'),
  efternamn: name('efternamn'),
  skyddadIdentitet: z.boolean({ error: 'Ange ja eller nej' }).optional(),
};

/**
 * Who the decision is about: an existing person (by id), or a new one with a personnummer, a
 * samordningsnummer, or none (`saknas`, then birth date and kön are given). A new person whose
 * number the kommun already has is that person: their IVO id is kept.
 */
export const PersonInput = z.discriminatedUnion(
  'typ',
  [
    z.object({ typ: z.literal('befintlig'), personId: someId('Välj person') }),
    z.object({
      typ: z.literal('personnummer'),
      ...newPerson,
      personnummer: personnummer('personnummer'),
    }),
    z.object({
      typ: z.literal('samordningsnummer'),
      ...newPerson,
      personnummer: personnummer('samordningsnummer'),
    }),
    z.object({
      typ: z.literal('saknas'),
      ...newPerson,
      fodelsedatum: IsoDateSchema,
      kon: z.enum(['kvinna', 'man'], { error: 'Välj kön: kvinna eller man' }),
    }),
  ],
  { error: 'Välj befintlig person, personnummer, samordningsnummer eller saknas' },
);
export type PersonInput = z.infer<typeof PersonInput>;

/**
 * Where an order goes: a unit or team of the decision's nämnd, or — without `enhetId` — the
 * default recipient for the insats (Boendeteamet for 9 § 9 and an external 9 § 8, Centralen för
 * sysselsättning for 9 § 10) when the nämnd has exactly one. `extern` only for LSS 9 § 8.
 */
export const OrderInput = z.object({
  enhetId: someId('Välj enhet').optional(),
  extern: z.boolean({ error: 'Ange ja eller nej' }).optional(),
});
export type OrderInput = z.infer<typeof OrderInput>;

export const RegisterDecisionInput = z
  .object({
    /** The client's UUID for the decision: registering it again answers the same decision. */
    id: z.uuid({ error: 'Beslutets id ska vara ett UUID' }).optional(),
    namndId: someId('Välj nämnd'),
    person: PersonInput,
    lagrum: LagrumSchema,
    insats: z.string({ error: 'Välj insats' }).max(100, { error: 'Okänd insats' }),
    verksamhetsomrade: z.enum(VERKSAMHETSOMRADE_CODES, { error: 'Välj verksamhetsområde' }),
    inriktning: z.string({ error: 'Välj inriktning' }).max(100).nullish(),
    inriktningText: z
      .string({ error: 'Beskriv inriktningen' })
      .trim()
      .max(4000, { error: 'Texten får vara högst 4 000 tecken' })
      .nullish(),
    beslutsdatum: IsoDateSchema,
    forhandsbesked: z.boolean({ error: 'Ange ja eller nej' }).optional(),
    ersatterBeslutId: someId('Välj beslutet som ersätts').nullish(),
    /** Order the decision at once; leave out to order it later. */
    order: OrderInput.optional(),
  })
  .superRefine((input, ctx) => {
    // The domain's decision rules: a known insats granted under the chosen lagrum.
    const decision = DecisionSchema.safeParse({
      id: input.id ?? 'nytt-beslut',
      lagrum: input.lagrum,
      insats: input.insats,
      beslutsdatum: input.beslutsdatum,
      forhandsbesked: input.forhandsbesked,
      ersatterBeslutId: input.ersatterBeslutId,
    });
    if (!decision.success) {
      for (const issue of decision.error.issues) {
        ctx.addIssue({ code: 'custom', path: issue.path, message: issue.message });
      }
    }
    const insats = findInsats(input.insats);
    if (!insats) return;
    const area = input.verksamhetsomrade;
    if (!insats.verksamhetsomraden.includes(area)) {
      ctx.addIssue({
        code: 'custom',
        path: ['verksamhetsomrade'],
        message: `${insats.label} rapporteras under ${insats.verksamhetsomraden.map(verksamhetsomradeLabel).join(' eller ')}, inte ${verksamhetsomradeLabel(area)}`,
      });
    }
    if (needsInriktning(area)) {
      const inriktning = inriktningarFor(area).find((i) => i.code === input.inriktning);
      if (!inriktning) {
        ctx.addIssue({
          code: 'custom',
          path: ['inriktning'],
          message: `Välj inriktning för ${verksamhetsomradeLabel(area)}`,
        });
      } else if (inriktning.needsText && !input.inriktningText) {
        ctx.addIssue({
          code: 'custom',
          path: ['inriktningText'],
          message: `Beskriv inriktningen ("${inriktning.label}" kräver en förklaring)`,
        });
      }
    } else if (input.inriktning || input.inriktningText) {
      ctx.addIssue({
        code: 'custom',
        path: ['inriktning'],
        message: 'Inriktning anges bara för SoL FUNK och SoL IFO',
      });
    }
    if (input.order?.extern && insats.lssParagraph !== 8) {
      ctx.addIssue({
        code: 'custom',
        path: ['order', 'extern'],
        message: 'Extern verkställighet gäller bara LSS 9 § 8',
      });
    }
  });
export type RegisterDecisionInput = z.infer<typeof RegisterDecisionInput>;

// ---------------------------------------------------------------------------------------------
// Registering

const RECIPIENT_NAMES: Record<EnhetTyp, string> = {
  utforarenhet: 'utförarenhet',
  boendeteamet: 'Boendeteamet',
  centralen_for_sysselsattning: 'Centralen för sysselsättning',
};

/** The unit or team an order goes to (see OrderInput); `field` names the input on refusal. */
async function orderRecipient(
  db: Db,
  namndId: string,
  insats: string,
  order: OrderInput,
  field: string,
) {
  if (order.enhetId) {
    const enhet = await findEnhet(db, order.enhetId);
    if (!enhet || enhet.namndId !== namndId) {
      throw invalidField(field, 'Enheten finns inte i beslutets nämnd');
    }
    return enhet;
  }
  const kind = defaultOrderRecipient(insats, order.extern ?? false);
  const candidates = await enheterOf(db, [namndId], kind);
  if (candidates.length !== 1) {
    throw invalidField(
      field,
      kind === 'utforarenhet'
        ? 'Välj vilken utförarenhet beställningen går till'
        : `Nämnden har ingen enhet av typen ${RECIPIENT_NAMES[kind]}; välj enhet`,
    );
  }
  return candidates[0]!;
}

/** How many times minting an IVO id is retried when another writer took it first. */
const MINT_ATTEMPTS = 5;

/*
 * Confidentiality across nämnder. A person is one row per kommun (matched by personnummer), so
 * that their IVO pseudo-id stays one per person whichever nämnd reports them. But a handläggare
 * may not learn anything about a person they may not see (through a decision in their scope): not
 * that the number is known elsewhere, not the stored name, not the protected-identity flag. So
 * when a registration or an import names a personnummer known only where the caller may not see:
 *
 * - the stored person is used (the same row, the same IVO id) and never changed: the caller's
 *   names and skyddad-identitet flag do not overwrite what another nämnd registered;
 * - the caller is answered with what they typed, exactly as for a person never seen (an import
 *   counts the person as new);
 * - a difference between what they typed and what is stored is recorded in the audit log
 *   (`personuppgifter_avviker`, on the new decision: which fields, never the values) for review,
 *   without telling the caller.
 *
 * Once the decision is registered the caller handles a decision about the person and, like any
 * handläggare of that person's decisions, sees the stored identity when reading it. Every look-up
 * by personnummer is audited (`person_uppslag`: who, which person id, found or not; never the
 * number): see personLookupAudits.
 */

/** A look-up of a person by personnummer: the person found, or null when none was. */
export type PersonLookup = { personId: string | null };

/** The person a registration is about, and what the caller may be shown of them. */
export type ResolvedPerson = {
  person: Person;
  /** Added by this registration. */
  created: boolean;
  /**
   * Whether the caller may see the stored identity: a new person, or one with a decision in the
   * caller's scope before this registration. Otherwise they are answered with what they typed.
   */
  entitled: boolean;
};

/**
 * The person the decision is about. A new person gets an IVO pseudo-id, minted once from the
 * birth date and kön (both read from the personnummer when there is one) among the ids taken.
 * A look-up by personnummer is added to `lookups`.
 */
async function resolvePerson(
  db: Db,
  scope: DecisionScope,
  kommunId: string,
  input: PersonInput,
  today: IsoDate,
  lookups: PersonLookup[] | undefined,
): Promise<ResolvedPerson> {
  if (input.typ === 'befintlig') {
    const person = await findPersonById(db, input.personId);
    // Only a person the handläggare already meets through a decision: an id reveals nothing.
    if (
      !person ||
      person.kommunId !== kommunId ||
      !(await personHasVisibleDecision(db, scope, person.id))
    ) {
      throw invalidField('person.personId', 'Personen finns inte eller så saknar du behörighet');
    }
    return { person, created: false, entitled: true };
  }
  const pnr = input.typ === 'saknas' ? null : input.personnummer;
  const fodelsedatum = input.typ === 'saknas' ? input.fodelsedatum : birthDateOfPersonnummer(pnr!)!;
  const kon = input.typ === 'saknas' ? input.kon : konOfPersonnummer(pnr!)!;
  // Checked before the look-up, so that a known and an unknown number are refused alike.
  if (fodelsedatum > today) {
    throw invalidField(
      'person.fodelsedatum',
      `Födelsedatum ${formatSwedishDate(fodelsedatum)} ligger i framtiden`,
    );
  }
  const known = async (person: Person): Promise<ResolvedPerson> => {
    lookups?.push({ personId: person.id });
    const entitled = await personHasVisibleDecision(db, scope, person.id);
    return { person, created: false, entitled };
  };
  if (pnr) {
    const person = await findPersonByPersonnummer(db, kommunId, pnr);
    if (person) return known(person);
  }
  for (let attempt = 0; attempt < MINT_ATTEMPTS; attempt++) {
    const taken = await ivoIdsBornOn(db, fodelsedatum);
    const inserted = await insertPersonUnlessTaken(db, {
      id: uuidv7(),
      kommunId,
      fornamn: input.fornamn,
      efternamn: input.efternamn,
      personnummer: pnr,
      identitet: input.typ,
      kon,
      fodelsedatum,
      skyddadIdentitet: input.skyddadIdentitet ?? false,
      ivoId: mintIvoPseudoId({ birthDate: fodelsedatum, kon }, taken),
    });
    if (inserted) {
      if (pnr) lookups?.push({ personId: null });
      return { person: inserted, created: true, entitled: true };
    }
    // Someone else registered the same personnummer meanwhile: that is this person.
    if (pnr) {
      const person = await findPersonByPersonnummer(db, kommunId, pnr);
      if (person) return known(person);
    }
  }
  throw new TRPCError({
    code: 'CONFLICT',
    message: 'Det gick inte att tilldela ett IVO-nummer just nu. Försök igen.',
  });
}

/** Names compared as a person would: case, accents kept; spaces and letter case not. */
function sameName(a: string, b: string): boolean {
  const fold = (text: string) => text.trim().replace(/\s+/g, ' ').toLocaleLowerCase('sv');
  return fold(a) === fold(b);
}

/** Which of the typed identity's fields differ from the stored person's (never their values). */
function differingFields(input: PersonInput, person: Person): string[] {
  if (input.typ === 'befintlig') return [];
  const fields: string[] = [];
  if (!sameName(input.fornamn, person.fornamn)) fields.push('fornamn');
  if (!sameName(input.efternamn, person.efternamn)) fields.push('efternamn');
  if ((input.skyddadIdentitet ?? false) !== person.skyddadIdentitet) {
    fields.push('skyddadIdentitet');
  }
  return fields;
}

/**
 * The person as the caller typed them, on the stored row (its id and IVO id): what a person never
 * seen before would have been stored as.
 */
function typedPerson(input: PersonInput, person: Person): StoredPerson {
  if (input.typ === 'befintlig' || input.typ === 'saknas') return storedPerson(person);
  return {
    id: person.id,
    fornamn: input.fornamn,
    efternamn: input.efternamn,
    personnummer: input.personnummer,
    identitet: input.typ,
    kon: konOfPersonnummer(input.personnummer)!,
    fodelsedatum: birthDateOfPersonnummer(input.personnummer)!,
    skyddadIdentitet: input.skyddadIdentitet ?? false,
    ivoId: person.ivoId,
  };
}

function storedPerson(person: Person): StoredPerson {
  return {
    id: person.id,
    fornamn: person.fornamn,
    efternamn: person.efternamn,
    personnummer: person.personnummer,
    identitet: person.identitet,
    kon: person.kon,
    fodelsedatum: person.fodelsedatum,
    skyddadIdentitet: person.skyddadIdentitet,
    ivoId: person.ivoId,
  };
}

/**
 * The audit rows of a request's look-ups by personnummer, in the caller's name: one per person
 * found (subject: the person), and one counting those not found. The number itself is never
 * written. `via` says what looked them up (`registrering`, `import`).
 */
export function personLookupAudits(
  user: AuthUser,
  namndId: string,
  lookups: readonly PersonLookup[],
  via: string,
): AuditEntry[] {
  const role = rolesOf(user);
  const found = [...new Set(lookups.flatMap((l) => (l.personId ? [l.personId] : [])))];
  const notFound = lookups.filter((l) => !l.personId).length;
  const entries: AuditEntry[] = found.map((personId) => ({
    userId: user.id,
    role,
    action: 'person_uppslag',
    subjectType: 'person',
    subjectId: personId,
    namndId,
    details: { hittad: true, via },
  }));
  if (notFound > 0) {
    entries.push({
      userId: user.id,
      role,
      action: 'person_uppslag',
      subjectType: 'person',
      subjectId: null,
      namndId,
      details: { hittad: false, antal: notFound, via },
    });
  }
  return entries;
}

/**
 * How an import from the case system (services/case-system-import.ts) registers a decision: for
 * the handläggare the file names rather than the caller, with the case system's id. A replaced
 * decision or an existing person is then looked up among all the nämnd's decisions, since the file
 * links decisions by the case system's ids whoever handles them.
 */
export type ImportedAs = {
  handlaggare: AuthUser;
  caseSystemId: string;
};

/**
 * Registers a decision in the caller's transaction: the handläggare must hold a grant for the
 * nämnd, the verksamhetsområde must be one the nämnd reports for, the date not in the future, a
 * replaced decision one of the same person that the caller can see. With the client's id, a second
 * registration answers the first decision.
 */
export async function registerDecision(
  db: Db,
  user: AuthUser,
  input: RegisterDecisionInput,
  today: IsoDate,
  now: Date,
  lookups?: PersonLookup[],
): Promise<DecisionSummary> {
  const registered = await insertRegisteredDecision(
    db,
    user,
    input,
    today,
    now,
    undefined,
    lookups,
  );
  const summary = await summaryOfDecision(db, user, registered.decision.id, today);
  if (!registered.person || registered.person.entitled) return summary;
  // Known only where the caller may not see: answered as a person never seen would be.
  return {
    ...summary,
    person: personView(
      user,
      registered.decision,
      typedPerson(input.person, registered.person.person),
    ),
  };
}

/** A registered decision, with its person when this call resolved one (not on a repeat). */
export type RegisteredDecision = { decision: DecisionRow; person: ResolvedPerson | null };

/**
 * The rules and the writes of registerDecision (see there), answering the decision's row and its
 * person. For an import (`imported`), the decision is the named handläggare's and the audit entry
 * says it was imported, by the caller. Look-ups by personnummer are added to `lookups`.
 */
export async function insertRegisteredDecision(
  db: Db,
  user: AuthUser,
  input: RegisterDecisionInput,
  today: IsoDate,
  now: Date,
  imported?: ImportedAs,
  lookups?: PersonLookup[],
): Promise<RegisteredDecision> {
  const handlaggare = imported?.handlaggare ?? user;
  const grant = handlaggare.roles.some(
    (g) => g.role === 'handlaggare' && g.namndId === input.namndId,
  );
  if (!grant) {
    throw new TRPCError({
      code: 'FORBIDDEN',
      message: imported
        ? `${handlaggare.displayName} är inte handläggare i den nämnden.`
        : 'Du är inte handläggare i den nämnden och kan inte registrera beslut där.',
    });
  }
  if (input.beslutsdatum > today) {
    throw invalidField(
      'beslutsdatum',
      `Beslutsdatum ${formatSwedishDate(input.beslutsdatum)} ligger i framtiden`,
    );
  }
  await lockChangeSequence(db);
  if (input.id) {
    const existing = await findDecisionById(db, input.id);
    if (existing) {
      const same =
        existing.handlaggareId === handlaggare.id &&
        existing.namndId === input.namndId &&
        existing.insats === input.insats &&
        existing.beslutsdatum === input.beslutsdatum;
      if (!same) {
        throw new TRPCError({
          code: 'CONFLICT',
          message: 'Beslutets id används redan för ett annat beslut.',
        });
      }
      return { decision: existing, person: null };
    }
  }
  const namnd = await findNamnd(db, input.namndId);
  if (!namnd) throw invalidField('namndId', 'Nämnden finns inte');
  const areas = (await verksamhetsomradenOf(db, [namnd.id])).map((a) => a.verksamhetsomrade);
  if (!areas.includes(input.verksamhetsomrade)) {
    throw invalidField(
      'verksamhetsomrade',
      `${namnd.namn} rapporterar inte för ${verksamhetsomradeLabel(input.verksamhetsomrade as Verksamhetsomrade)}`,
    );
  }
  const scope: DecisionScope = imported
    ? {
        enhetIds: [],
        handlaggareId: null,
        namndAreas: [{ namndId: namnd.id, verksamhetsomrade: null }],
      }
    : decisionScope(user);
  const resolved = await resolvePerson(db, scope, namnd.kommunId, input.person, today, lookups);
  const person = resolved.person;
  if (input.ersatterBeslutId) {
    const replaced = await findVisibleDecision(db, scope, input.ersatterBeslutId);
    if (!replaced || replaced.personId !== person.id) {
      throw invalidField(
        'ersatterBeslutId',
        imported
          ? 'Beslutet som ersätts gäller en annan person'
          : 'Beslutet som ersätts finns inte bland den enskildes beslut som du kan se',
      );
    }
  }
  const enhet = input.order
    ? await orderRecipient(db, namnd.id, input.insats, input.order, 'order.enhetId')
    : null;
  const decision = await insertDecision(db, {
    id: input.id ?? uuidv7(),
    namndId: namnd.id,
    verksamhetsomrade: input.verksamhetsomrade,
    inriktning: input.inriktning ?? null,
    inriktningText: input.inriktningText || null,
    personId: person.id,
    lagrum: input.lagrum,
    insats: input.insats,
    beslutsdatum: input.beslutsdatum,
    forhandsbesked: input.forhandsbesked ?? false,
    ersatterBeslutId: input.ersatterBeslutId ?? null,
    handlaggareId: handlaggare.id,
    enhetId: enhet?.id ?? null,
    orderedAt: enhet ? now : null,
    extern: input.order?.extern ?? false,
    caseSystemId: imported?.caseSystemId ?? null,
  });
  await insertAudit(db, {
    userId: user.id,
    role: rolesOf(user),
    action: imported ? 'beslut_importerat' : 'beslut_registrerat',
    subjectType: 'beslut',
    subjectId: decision.id,
    namndId: decision.namndId,
    details: {
      personId: person.id,
      insats: decision.insats,
      enhetId: decision.enhetId,
      ...(imported ? { handlaggareId: handlaggare.id, beslutsid: imported.caseSystemId } : {}),
    },
  });
  const differing = resolved.created ? [] : differingFields(input.person, person);
  if (differing.length > 0) {
    // The stored identity stays; the difference is kept for review, not shown to the caller.
    await insertAudit(db, {
      userId: user.id,
      role: rolesOf(user),
      action: 'personuppgifter_avviker',
      subjectType: 'beslut',
      subjectId: decision.id,
      namndId: decision.namndId,
      details: { personId: person.id, falt: differing, redanSynlig: resolved.entitled },
    });
  }
  return { decision, person: resolved };
}

export const OrderDecisionInput = z.object({
  decisionId: someId('Beslutets id saknas'),
  ...OrderInput.shape,
});
export type OrderDecisionInput = z.infer<typeof OrderDecisionInput>;

/**
 * Routes or re-routes a decision's order, in the caller's transaction. Only its handläggare may;
 * a closed decision is not ordered any more.
 */
export async function orderDecision(
  db: Db,
  user: AuthUser,
  input: OrderDecisionInput,
  today: IsoDate,
  now: Date,
): Promise<DecisionSummary> {
  await lockChangeSequence(db);
  const decision = await findVisibleDecision(db, decisionScope(user), input.decisionId);
  if (!decision) throw notFound();
  if (decision.handlaggareId !== user.id) {
    throw new TRPCError({
      code: 'FORBIDDEN',
      message: 'Bara beslutets handläggare kan beställa verkställigheten.',
    });
  }
  const insats = findInsats(decision.insats);
  if (input.extern && insats?.lssParagraph !== 8) {
    throw invalidField('extern', 'Extern verkställighet gäller bara LSS 9 § 8');
  }
  const events = (await eventsOfDecision(db, decision.id)).map(toDomainEvent);
  if (decisionState(toDomainDecision(decision), events) === 'avslutad') {
    throw new TRPCError({
      code: 'BAD_REQUEST',
      message: 'Beslutet är avslutat och kan inte beställas.',
    });
  }
  const enhet = await orderRecipient(db, decision.namndId, decision.insats, input, 'enhetId');
  const extern = input.extern ?? false;
  if (decision.enhetId !== enhet.id || decision.extern !== extern) {
    await setDecisionOrder(db, decision.id, { enhetId: enhet.id, extern, orderedAt: now });
    await insertAudit(db, {
      userId: user.id,
      role: rolesOf(user),
      action: 'beslut_bestallt',
      subjectType: 'beslut',
      subjectId: decision.id,
      namndId: decision.namndId,
      details: { enhetId: enhet.id, tidigareEnhetId: decision.enhetId, extern },
    });
  }
  return summaryOfDecision(db, user, decision.id, today);
}
