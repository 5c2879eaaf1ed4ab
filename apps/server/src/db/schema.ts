import type { ColumnType, Generated, Insertable, Selectable } from 'kysely';

/*
 * The database as Kysely sees it. Columns are snake_case in SQL and camelCase here
 * (CamelCasePlugin). Dates without time are `YYYY-MM-DD` strings (the domain's IsoDate); the
 * drivers are told not to turn them into Date objects. `seq` columns come from the one sequence
 * `change_seq`: sync pulls everything after a cursor in that order.
 */

type Timestamp = ColumnType<Date, Date | string, Date | string>;
/** A timestamp the database fills in (`default now()`): optional on insert, a Date when read. */
type DefaultTimestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type Json<T> = ColumnType<T, string, string>;

export type Role =
  | 'utforare'
  | 'matchare'
  | 'handlaggare'
  | 'rapportor'
  | 'huvudrapportor'
  | 'loggranskare'
  | 'admin';
export type EnhetTyp = 'utforarenhet' | 'boendeteamet' | 'centralen_for_sysselsattning';

export interface KommunTable {
  id: string;
  namn: string;
}

export interface NamndTable {
  id: string;
  kommunId: string;
  namn: string;
}

/** The verksamhetsområden a nämnd reports for. */
export interface NamndVerksamhetsomradeTable {
  namndId: string;
  verksamhetsomrade: string;
}

/** Units that carry out insatser (utförarenheter) and the matching teams. */
export interface EnhetTable {
  id: string;
  namndId: string;
  namn: string;
  typ: EnhetTyp;
}

export interface AppUserTable {
  id: string;
  username: string;
  displayName: string;
  email: string | null;
  telefon: string | null;
  passwordHash: string;
  active: Generated<boolean>;
  createdAt: DefaultTimestamp;
  /** Matched against the IdP's configured claim or attribute instead of the username (0015). */
  externalId: string | null;
  /** May sign in with a password when LOCAL_PASSWORDS=off (0015). */
  breakGlass: Generated<boolean>;
}

/** One role a user holds, scoped to a nämnd (and verksamhetsområde) or to a unit. */
export interface UserRoleTable {
  id: string;
  userId: string;
  role: Role;
  namndId: string | null;
  verksamhetsomrade: string | null;
  enhetId: string | null;
}

/**
 * Sessions as the Lucia guide teaches them: the token is `id.secret`; only the SHA-256 of the
 * secret is stored, and it is compared in constant time. A session ends when idle too long
 * (from `lastUsedAt`), at its absolute lifetime (from `createdAt`) or when revoked (`revokedAt`);
 * an ended row is kept a day so that the next request hears why (auth/sessions.ts).
 */
export interface SessionTable {
  id: string;
  secretHash: string;
  userId: string;
  /** The absolute end as it was when the session began. */
  expiresAt: Timestamp;
  createdAt: DefaultTimestamp;
  /** Written at most once a minute, so it lags the last use by less than that. */
  lastUsedAt: DefaultTimestamp;
  revokedAt: Timestamp | null;
  /** How the session began (0015): signing out ends the provider's session too when it did. */
  signInMethod: Generated<SignInMethod>;
}

export type SignInMethod = 'password' | 'oidc' | 'saml';

/** An OpenID Connect sign-in under way (0015): id is the SHA-256 of the browser cookie's secret. */
export interface OidcLoginTable {
  id: string;
  state: string;
  nonce: string;
  codeVerifier: string;
  createdAt: DefaultTimestamp;
}

/** An AuthnRequest or LogoutRequest evb sent, not yet answered (0016): InResponseTo names it. */
export interface SamlRequestTable {
  id: string;
  createdAt: DefaultTimestamp;
}

/** An accepted SAML assertion's id, kept until it expires so it is accepted once (0016). */
export interface SamlAssertionTable {
  id: string;
  expiresAt: Timestamp;
}

/** The IdP's NameID and SessionIndex of a session that began with SAML, for SLO (0016). */
export interface SamlSessionTable {
  sessionId: string;
  nameId: string;
  nameIdFormat: string | null;
  sessionIndex: string | null;
}

/** A sign-out under way to the IdP (0016): id is the SHA-256 of the browser's one-time ticket. */
export interface SamlLogoutTable {
  id: string;
  nameId: string;
  nameIdFormat: string | null;
  sessionIndex: string | null;
  createdAt: DefaultTimestamp;
}

/** Failed sign-ins per username (known or not, so that it tells nothing of who exists). */
export interface LoginThrottleTable {
  username: string;
  failures: number;
  lastFailureAt: Timestamp;
  lockedUntil: Timestamp | null;
}

export interface PersonTable {
  id: string;
  kommunId: string;
  fornamn: string;
  efternamn: string;
  /** 12 digits, no dash; null when the person has none. */
  personnummer: string | null;
  identitet: 'personnummer' | 'samordningsnummer' | 'saknas';
  kon: 'kvinna' | 'man';
  fodelsedatum: string;
  skyddadIdentitet: Generated<boolean>;
  /** Minted once, kept for the whole reporting time. */
  ivoId: string;
  createdAt: DefaultTimestamp;
  seq: number;
}

export interface DecisionTable {
  id: string;
  namndId: string;
  verksamhetsomrade: string;
  inriktning: string | null;
  inriktningText: string | null;
  personId: string;
  lagrum: 'SoL' | 'LSS';
  insats: string;
  beslutsdatum: string;
  forhandsbesked: Generated<boolean>;
  ersatterBeslutId: string | null;
  handlaggareId: string;
  /** The order (beställning): the unit or team it is routed to. */
  enhetId: string | null;
  orderedAt: Timestamp | null;
  /** LSS 9 § 8 carried out externally goes to Boendeteamet. */
  extern: Generated<boolean>;
  createdAt: DefaultTimestamp;
  seq: number;
  /**
   * Kept by a trigger on case_event (migration 0003): a day by which every waiting episode had
   * ended, null while one may be open. Only for narrowing reads; never written by the server.
   */
  waitingEndedBy: ColumnType<string | null, never, never>;
  /**
   * Kept by the same trigger (migration 0006): the day of the last avbrott, where the last
   * episode starts (null: the only episode starts at beslutsdatum), and a day by which every
   * episode before it had ended (null with no avbrott). Only for narrowing reads.
   */
  lastInterruption: ColumnType<string | null, never, never>;
  earlierWaitsEndedBy: ColumnType<string | null, never, never>;
  /**
   * Kept by a trigger on decision (migration 0002): the seq of the last change to who may see the
   * decision (unit or team, handläggare, nämnd, verksamhetsområde). Never written by the server.
   */
  scopeSeq: ColumnType<number, never, never>;
  /** Kept by a trigger on case_event (migration 0013): the latest date of the decision's events. */
  lastEventOn: ColumnType<string | null, never, never>;
  /**
   * Kept by the decision trigger (migration 0013): null while the decision may be waiting, else
   * the last day it ended or changed. A device keeps it while null or within the sync window.
   */
  settledOn: ColumnType<string | null, never, never>;
  /**
   * The decision's id in the kommun's case system, for one imported from its CSV export
   * (migration 0005); unique within the nämnd, so a file imported twice adds nothing. Null for a
   * decision registered in evb.
   */
  caseSystemId: string | null;
}

/**
 * Who could see a decision before each change of its scope, written by the decision trigger
 * (migration 0002): a pull tells a phone to forget a decision that left the caller's sight.
 */
export interface DecisionScopeChangeTable {
  id: Generated<number>;
  decisionId: string;
  /** The decision's seq after the change. */
  seq: number;
  namndId: string;
  verksamhetsomrade: string;
  handlaggareId: string;
  enhetId: string | null;
}

/**
 * The day a decision had settled on before each change of that day, written by the decision
 * trigger (migration 0013): a pull gives a device back the whole history of a decision it had let
 * go when that day lay before the device's window.
 */
export interface DecisionSettledChangeTable {
  id: Generated<number>;
  decisionId: string;
  /** The decision's seq after the change. */
  seq: number;
  settledBefore: string;
}

/** Append-only: what happened to a decision. The type-specific fields live in `data`. */
export interface CaseEventTable {
  id: string;
  decisionId: string;
  type: string;
  date: string;
  recordedAt: Timestamp;
  recordedBy: string;
  data: Json<Record<string, unknown>>;
  seq: number;
}

/** A line filed with IVO: what, when, by whom, and a frozen copy of what was filed. */
export interface RapportFilingTable {
  id: string;
  decisionId: string;
  episodeStart: string;
  quarter: string;
  report: 'ny' | 'ater';
  status: string;
  filedOn: string;
  filedBy: string;
  filedAt: DefaultTimestamp;
  snapshot: Json<Record<string, unknown>>;
  seq: number;
  /** How the filing came into evb (migration 0008). */
  recorded: ColumnType<FilingRecorded, FilingRecorded | undefined, never>;
  /** Whether the frozen copy is the report as sent, or evb's prefill when it was recorded. */
  fieldsAsSent: ColumnType<boolean, boolean | undefined, never>;
}

/** `evb`: marked as filed in evb; `efterhand`: recorded afterwards; `import`: the filings import. */
export type FilingRecorded = 'evb' | 'efterhand' | 'import';

/**
 * A rapportör's changes to the prefilled individrapport of one line, until it is filed
 * (migration 0004). `edits` holds only the fields that differ from the prefill.
 */
export interface IndividrapportDraftTable {
  decisionId: string;
  episodeStart: string;
  quarter: string;
  edits: Json<Record<string, unknown>>;
  updatedBy: string;
  updatedAt: DefaultTimestamp;
}

export interface MessageHandledTable {
  messageKey: string;
  decisionId: string;
  handledBy: string;
  handledAt: DefaultTimestamp;
}

export interface AuditLogTable {
  id: Generated<number>;
  at: DefaultTimestamp;
  userId: string | null;
  role: string | null;
  action: string;
  subjectType: string | null;
  subjectId: string | null;
  namndId: string | null;
  details: Json<Record<string, unknown>> | null;
}

/**
 * The audit log's hash chain (0014): one link per audit row in commit order, made by a trigger.
 * `hash` is SHA-256 (hex) over the link's seq, `prevHash` and the row (SQL `audit_link_hash`).
 */
export interface AuditChainTable {
  seq: number;
  auditId: number;
  prevHash: string;
  hash: string;
}

/** Where the chain starts after pruning (0014): the last pruned link's seq and hash. */
export interface AuditChainAnchorTable {
  seq: number;
  hash: string;
  /** Rows older than this were pruned. */
  cutoff: Timestamp;
  /** How many rows this pruning removed. */
  rows: number;
  prunedAt: DefaultTimestamp;
}

/** A person or decision an audit row names (0017): the per-person extract's index. */
export interface AuditSubjectTable {
  auditId: number;
  decisionId: string | null;
  personId: string | null;
}

/** A nämnd's review of a month of its access log (0017), its sample drawn once. */
export interface LogReviewTable {
  id: string;
  namndId: string;
  /** YYYY-MM. */
  month: string;
  sampleSize: number;
  /** How many accesses the sample was drawn from. */
  population: number;
  startedBy: string;
  startedAt: DefaultTimestamp;
  finishedBy: string | null;
  finishedAt: Timestamp | null;
}

/** One sampled access of a review, and the loggranskare's verdict on it. */
export interface LogReviewItemTable {
  reviewId: string;
  position: number;
  auditId: number;
  verdict: 'motiverad' | 'folj_upp' | null;
  comment: string | null;
  markedBy: string | null;
  markedAt: Timestamp | null;
}

/** A user's unfinished form, kept so it follows them between devices; a tombstone once deleted. */
export interface DraftTable {
  id: string;
  userId: string;
  decisionId: string | null;
  /** Null only on a tombstone. */
  form: string | null;
  data: Json<Record<string, unknown>> | null;
  /** The client's time of the last edit: the later edit wins. */
  updatedAt: Timestamp;
  deletedAt: Timestamp | null;
  seq: number;
}

/** Every applied client mutation, so that a repeated push answers what the first one did. */
export interface ClientMutationTable {
  id: string;
  userId: string;
  response: Json<unknown>;
  createdAt: DefaultTimestamp;
}

export interface ReasonCodeListTable {
  version: string;
  data: Json<unknown>;
  createdAt: DefaultTimestamp;
  createdBy: string | null;
}

/** A user's choice of reminders (migration 0009); no row: nothing is sent. */
export interface ReminderPreferenceTable {
  userId: string;
  emailDigest: Generated<boolean>;
  horizonDays: Generated<number>;
  /** SHA-256 (hex) of the calendar feed's secret; null when there is no feed. */
  calendarSecretHash: string | null;
  calendarCreatedAt: Timestamp | null;
  /** The push channel (migration 0010): off by default. */
  pushEnabled: Generated<boolean>;
  updatedAt: DefaultTimestamp;
}

/** A device's Web Push subscription (migration 0010); removed when its push service says gone. */
export interface PushSubscriptionTable {
  id: string;
  userId: string;
  endpoint: string;
  p256dh: string;
  auth: string;
  createdAt: DefaultTimestamp;
  lastSuccessAt: Timestamp | null;
}

/** A reminder claimed (and then sent) for a user, day and channel: at most one each. */
export interface ReminderSentTable {
  userId: string;
  day: string;
  channel: 'email' | 'push';
  claimedAt: DefaultTimestamp;
  sentAt: Timestamp | null;
  /** Counts per kind of task, never a person. */
  items: Json<unknown> | null;
}

/** A user's confirmed TOTP key (0018). */
export interface MfaTotpTable {
  userId: string;
  /** Base32, as the app was given it. */
  secret: string;
  /** The time step of the last code accepted: a code is accepted once. */
  lastUsedStep: number | null;
  createdAt: DefaultTimestamp;
}

/** A user's passkey (0018): WebAuthn credential id and COSE public key, both base64url. */
export interface MfaPasskeyTable {
  id: string;
  userId: string;
  name: string;
  publicKey: string;
  counter: Generated<number>;
  /** The authenticator's transports, comma-separated; null when it named none. */
  transports: string | null;
  createdAt: DefaultTimestamp;
  lastUsedAt: Timestamp | null;
}

/** SHA-256 (hex) of a recovery code (0018); used_at once used. */
export interface MfaRecoveryCodeTable {
  userId: string;
  codeHash: string;
  usedAt: Timestamp | null;
}

/** A TOTP key or passkey challenge being enrolled by a session (0018). */
export interface MfaEnrolmentTable {
  sessionId: string;
  kind: 'totp' | 'passkey';
  value: string;
  createdAt: DefaultTimestamp;
}

/** A sign-in waiting for its second factor (0018), keyed by the evb_mfa cookie. */
export interface MfaPendingSignInTable {
  id: string;
  secretHash: string;
  userId: string;
  expiresAt: Timestamp;
  failures: Generated<number>;
  /** The passkey challenge offered (base64url); null when none is open. */
  challenge: string | null;
}

/** Whether MFA is required of password sign-ins (0018): one row, id 1. */
export interface MfaPolicyTable {
  id: number;
  required: boolean;
  changedAt: Timestamp | null;
  changedBy: string | null;
}

export interface DB {
  kommun: KommunTable;
  namnd: NamndTable;
  namndVerksamhetsomrade: NamndVerksamhetsomradeTable;
  enhet: EnhetTable;
  appUser: AppUserTable;
  userRole: UserRoleTable;
  session: SessionTable;
  loginThrottle: LoginThrottleTable;
  person: PersonTable;
  decision: DecisionTable;
  caseEvent: CaseEventTable;
  rapportFiling: RapportFilingTable;
  individrapportDraft: IndividrapportDraftTable;
  messageHandled: MessageHandledTable;
  auditLog: AuditLogTable;
  auditChain: AuditChainTable;
  auditChainAnchor: AuditChainAnchorTable;
  auditSubject: AuditSubjectTable;
  logReview: LogReviewTable;
  logReviewItem: LogReviewItemTable;
  clientMutation: ClientMutationTable;
  draft: DraftTable;
  decisionScopeChange: DecisionScopeChangeTable;
  decisionSettledChange: DecisionSettledChangeTable;
  reasonCodeList: ReasonCodeListTable;
  reminderPreference: ReminderPreferenceTable;
  reminderSent: ReminderSentTable;
  pushSubscription: PushSubscriptionTable;
  oidcLogin: OidcLoginTable;
  samlRequest: SamlRequestTable;
  samlAssertion: SamlAssertionTable;
  samlSession: SamlSessionTable;
  samlLogout: SamlLogoutTable;
  mfaTotp: MfaTotpTable;
  mfaPasskey: MfaPasskeyTable;
  mfaRecoveryCode: MfaRecoveryCodeTable;
  mfaEnrolment: MfaEnrolmentTable;
  mfaPendingSignIn: MfaPendingSignInTable;
  mfaPolicy: MfaPolicyTable;
}

export type AppUser = Selectable<AppUserTable>;
export type UserRole = Selectable<UserRoleTable>;
export type Person = Selectable<PersonTable>;
export type DecisionRow = Selectable<DecisionTable>;
export type CaseEventRow = Selectable<CaseEventTable>;
export type RapportFilingRow = Selectable<RapportFilingTable>;
export type NewCaseEvent = Insertable<CaseEventTable>;
