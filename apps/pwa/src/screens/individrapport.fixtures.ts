import {
  type IndividrapportDraft,
  individrapportText,
  lockedFields,
  validateIndividrapport,
} from '@evb/domain';
import type { FilingView, ReportView } from './individrapport-view';

/*
 * A line's individrapport as reports.get answers it, for the tests of the screen and its helpers:
 * an återrapportering in Q3 2026 of a decision of 2026-02-10 still waiting on 30 September,
 * filed as a nyrapportering for Q2 before. Findings, text and locked fields come from the domain.
 */

export const NAMND_ID = 'vard';
export const DECISION_ID = 'd1';
export const EPISODE_START = '2026-02-10';
export const Q3 = { year: 2026, quarter: 3 } as const;

export const PREVIOUS_DRAFT: IndividrapportDraft = {
  namnd: 'Vård- och omsorgsnämnden',
  verksamhetsomrade: 'LSS',
  rapportor: 'Karin Holm',
  rapporttyp: 'ny',
  fornamn: 'Lars',
  efternamn: 'Olofsson',
  personnummer: '20050417-7254',
  skyddadePersonuppgifter: false,
  saknarPersonnummer: false,
  insats: 'LSS_9_6_KORTTIDSHEM',
  anhorigMedEjVerkstalltBeslut: false,
  drojsmalAvser: 'beslut',
  drojsmalDatum: EPISODE_START,
  status: 'ej_verkstalld',
  skal: 'hos_kommunen',
  orsak: 'brist_plats',
  delvisVerkstalld: false,
  kompenserandeInsats: false,
  covid19: false,
};

/** The prefill of Q3: the previous filing's fields, but no skäl or orsak (none carried over). */
const { skal: _skal, orsak: _orsak, ...UNREASONED } = PREVIOUS_DRAFT;
export const PREFILL: IndividrapportDraft = {
  ...UNREASONED,
  rapporttyp: 'ater',
  ovrigt: '2026-08-02: Uppföljningssamtal med god man: Väntar fortfarande på plats.',
};

export const LOCKED = lockedFields({ report: 'ater' }, PREVIOUS_DRAFT);

const CONTEXT = {
  episode: { kind: 'beslut' as const, start: EPISODE_START },
  referenceDate: '2026-09-30',
  previous: PREVIOUS_DRAFT,
};

export function filingOf(draft: IndividrapportDraft, over: Partial<FilingView> = {}): FilingView {
  return {
    id: 'f-q3',
    decisionId: DECISION_ID,
    episodeStart: EPISODE_START,
    quarter: '2026-Q3',
    quarterLabel: 'kvartal 3 2026',
    report: 'ater',
    status: 'ej_verkstalld',
    filedOn: '2026-10-15',
    filedAt: '2026-10-15T08:30:00.000Z',
    filedBy: { id: 'r1', namn: 'Karin Holm' },
    snapshot: { draft, text: individrapportText(draft), note: null },
    recorded: 'evb',
    fieldsAsSent: true,
    ...over,
  };
}

/**
 * Q3's line as reports.get gives it (not typed here: reports.get's line may carry more than this
 * and the tests read only these).
 */
const LINE = {
  kategori: 'aterrapportering' as const,
  sendKategori: 'aterrapportering' as const,
  decisionId: DECISION_ID,
  person: { ivoId: '20050417-T010', namn: 'Lars Olofsson', skyddadIdentitet: false },
  insats: 'LSS_9_6_KORTTIDSHEM',
  insatsLabel: 'Korttidsvistelse – korttidshem',
  verksamhetsomrade: 'LSS',
  forhandsbesked: false,
  episode: { kind: 'beslut' as const, start: EPISODE_START },
  report: 'ater' as const,
  send: 'ater' as const,
  sendNotice: null,
  unrecordedEarlier: [] as string[],
  status: 'ej_verkstalld' as const,
  statusDate: null as string | null,
  overdueFrom: '2026-05-11',
  daysWaited: 232,
  filed: false,
  filedOn: null as string | null,
  filedHow: null as 'evb' | 'efterhand' | 'import' | null,
  unhandledMessages: 1,
};

/**
 * reports.get's answer for `draft`; the window of Q3 (October 2026) open unless told. Validation
 * reads the previous filing given in `over`, else the Q2 filing of PREVIOUS_DRAFT.
 */
export function reportView(
  draft: IndividrapportDraft = PREFILL,
  over: Partial<ReportView> = {},
): ReportView {
  const previousDraft =
    over.previous === undefined ? PREVIOUS_DRAFT : (over.previous?.snapshot.draft ?? null);
  const { previous: _q2, ...noPrevious } = CONTEXT;
  const findings = validateIndividrapport(
    draft,
    previousDraft ? { ...noPrevious, previous: previousDraft } : noPrevious,
  );
  const base: ReportView = {
    line: { ...LINE },
    quarterKey: '2026-Q3',
    referenceDate: '2026-09-30',
    prefill: PREFILL,
    edits: null,
    draft,
    text: individrapportText(draft),
    locked: LOCKED,
    findings,
    previous: filingOf(PREVIOUS_DRAFT, {
      id: 'f-q2',
      quarter: '2026-Q2',
      quarterLabel: 'kvartal 2 2026',
      report: 'ny',
      filedOn: '2026-07-10',
      filedAt: '2026-07-10T08:00:00.000Z',
    }),
    filing: null,
    messages: [
      {
        key: `${DECISION_ID}:${EPISODE_START}:ny:2026-05-11`,
        decisionId: DECISION_ID,
        episode: { kind: 'beslut', start: EPISODE_START },
        title: 'IVO – Nyrapportering 2026-05-11, 9§6',
        type: 'ny',
        date: '2026-05-11',
        due: '2026-05-11',
        k: 1,
        handled: { at: '2026-07-10T08:00:00.000Z', byUserId: 'r1', byName: 'Karin Holm' },
      },
      {
        key: `${DECISION_ID}:${EPISODE_START}:ater:2026-08-11`,
        decisionId: DECISION_ID,
        episode: { kind: 'beslut', start: EPISODE_START },
        title: 'IVO – Återrapportering 2026-08-11, 9§6',
        type: 'ater',
        date: '2026-08-11',
        due: '2026-08-11',
        k: 2,
        handled: null,
      },
    ],
    window: { opens: '2026-10-01', closes: '2026-10-31', open: true, closed: false },
    canFile: findings.length === 0,
    reason:
      findings.length === 0
        ? null
        : `Rapporten har ${findings.length} uppgifter som måste rättas innan den kan lämnas in.`,
    reportType: { scheduled: 'ater', send: 'ater', unrecordedEarlier: [], notice: null },
    record: { allowed: true, reason: null },
  };
  return { ...base, ...over };
}

/** The Q2 filing with the free texts filled in (delvis verkställd, övrigt). */
export const PREVIOUS_WITH_TEXTS: IndividrapportDraft = {
  ...PREVIOUS_DRAFT,
  delvisVerkstalld: true,
  delvisDatum: '2026-06-15',
  delvisText: '2 av 5 dygn i månaden',
  ovrigt: 'Väntar på plats i korttidshem. Erbjuds växelvis vistelse.',
};

/**
 * Q3's återrapportering built on PREVIOUS_WITH_TEXTS, as the domain prefills it: the filed texts
 * locked and holding what was filed, what happened since in the Komplettera field under Övrigt,
 * and the skäl and orsak chosen (nothing to correct).
 */
export function aterWithFiledTexts(over: Partial<ReportView> = {}): ReportView {
  const draft: IndividrapportDraft = {
    ...PREFILL,
    skal: 'hos_kommunen',
    orsak: 'brist_plats',
    delvisVerkstalld: true,
    delvisDatum: '2026-06-15',
    delvisText: PREVIOUS_WITH_TEXTS.delvisText,
    ovrigt: PREVIOUS_WITH_TEXTS.ovrigt,
    ovrigtKomplettering: PREFILL.ovrigt,
  };
  return reportView(draft, {
    prefill: draft,
    locked: lockedFields({ report: 'ater' }, PREVIOUS_WITH_TEXTS),
    previous: filingOf(PREVIOUS_WITH_TEXTS, {
      id: 'f-q2',
      quarter: '2026-Q2',
      quarterLabel: 'kvartal 2 2026',
      report: 'ny',
      filedOn: '2026-07-10',
      filedAt: '2026-07-10T08:00:00.000Z',
    }),
    ...over,
  });
}
