import { lockedFieldMessage, orsakerFor } from '@evb/domain';
import { describe, expect, it } from 'vitest';
import {
  DECISION_ID,
  EPISODE_START,
  filingOf,
  LOCKED,
  NAMND_ID,
  PREFILL,
  Q3,
  reportView,
} from './individrapport.fixtures';
import {
  changeField,
  currentDraft,
  currentFindings,
  fieldKind,
  fieldOptions,
  fieldShown,
  fileState,
  individrapportHref,
  individrapportPdfHref,
  quarterExportHref,
  quarterHref,
  shownFields,
  tabOf,
  unsentEdits,
} from './individrapport-view';
import { notFileableToday } from './quarter-view';

const KEY = {
  namndId: NAMND_ID,
  quarter: Q3,
  decisionId: DECISION_ID,
  episodeStart: EPISODE_START,
};

describe('addresses', () => {
  it('names the line, the quarter and the exports', () => {
    expect(individrapportHref(KEY)).toBe('/kvartal/2026-Q3/d1/2026-02-10?namndId=vard');
    expect(quarterHref(Q3, 'vård & omsorg')).toBe(
      '/kvartal?kvartal=2026-Q3&namnd=v%C3%A5rd+%26+omsorg',
    );
    expect(individrapportPdfHref(KEY)).toBe(
      '/api/export/individrapport.pdf?namndId=vard&quarter=2026-Q3&decisionId=d1&episodeStart=2026-02-10',
    );
    expect(quarterExportHref('pdf', NAMND_ID, Q3)).toBe(
      '/api/export/kvartal.pdf?namndId=vard&quarter=2026-Q3',
    );
    expect(quarterExportHref('csv', NAMND_ID, Q3)).toBe(
      '/api/export/kvartal.csv?namndId=vard&quarter=2026-Q3',
    );
    expect(quarterExportHref('xlsx', NAMND_ID, Q3)).toBe(
      '/api/export/kvartal.xlsx?namndId=vard&quarter=2026-Q3',
    );
  });
});

describe('fields', () => {
  it('shows a dependent field only when its choice needs it or it has a value', () => {
    expect(fieldShown(PREFILL, 'orsak')).toBe(false);
    expect(fieldShown({ ...PREFILL, skal: 'tackat_nej' }, 'orsak')).toBe(true);
    expect(
      fieldShown({ ...PREFILL, skal: 'tackat_nej', orsak: 'vill_avvakta' }, 'erbjudandedatum'),
    ).toBe(true);
    expect(
      fieldShown({ ...PREFILL, skal: 'hos_kommunen', orsak: 'brist_plats' }, 'erbjudandedatum'),
    ).toBe(false);
    expect(fieldShown({ ...PREFILL, skal: 'utanfor_kommunen', orsak: 'annat' }, 'orsakText')).toBe(
      true,
    );
    expect(fieldShown(PREFILL, 'inriktning')).toBe(false);
    expect(fieldShown({ ...PREFILL, verksamhetsomrade: 'SOL_IFO' }, 'inriktning')).toBe(true);
    expect(fieldShown(PREFILL, 'statusDatum')).toBe(false);
    expect(fieldShown({ ...PREFILL, status: 'avslutad' }, 'avslutAnledning')).toBe(true);
    expect(fieldShown(PREFILL, 'delvisText')).toBe(false);
    expect(fieldShown({ ...PREFILL, delvisVerkstalld: true }, 'delvisText')).toBe(true);
    expect(shownFields(PREFILL, 4)).toEqual([
      'drojsmalAvser',
      'drojsmalDatum',
      'status',
      'skal',
      'delvisVerkstalld',
      'kompenserandeInsats',
      'ovrigt',
      'ovrigtKomplettering',
      'covid19',
    ]);
    // The Komplettera fields: on an återrapportering, under the free text they complete.
    const partly = { ...PREFILL, delvisVerkstalld: true, kompenserandeInsats: true };
    expect(shownFields(partly, 4).filter((f) => f.endsWith('Komplettering'))).toEqual([
      'delvisKomplettering',
      'kompenserandeKomplettering',
      'ovrigtKomplettering',
    ]);
    expect(
      shownFields({ ...partly, rapporttyp: 'ny' }, 4).some((f) => f.endsWith('Komplettering')),
    ).toBe(false);
    expect(fieldKind('ovrigtKomplettering')).toBe('textarea');
    expect(tabOf('personnummer')).toBe(3);
    expect(tabOf('namnd')).toBe(1);
  });

  it('offers the code lists of the current choices, keeping a value that no longer fits', () => {
    const orsaker = fieldOptions({ ...PREFILL, skal: 'hos_den_enskilde' }, 'orsak');
    expect(orsaker.map((o) => o.code)).toEqual(orsakerFor('hos_den_enskilde').map((o) => o.code));
    expect(fieldOptions(PREFILL, 'insats').every((o) => o.code.startsWith('LSS_'))).toBe(true);
    expect(fieldOptions(PREFILL, 'status').map((o) => o.label)).toEqual([
      'Ej verkställt',
      'Verkställt',
      'Avslutat',
    ]);
    const stale = fieldOptions({ ...PREFILL, verksamhetsomrade: 'SOL_IFO' }, 'insats');
    expect(stale[0]).toEqual({
      code: 'LSS_9_6_KORTTIDSHEM',
      label: 'Korttidsvistelse – korttidshem',
    });
  });

  it('empties the orsak and what it asked for when the skäl changes', () => {
    const draft = {
      ...PREFILL,
      skal: 'tackat_nej' as const,
      orsak: 'vill_avvakta',
      erbjudandedatum: '2026-03-01',
    };
    expect(changeField({}, draft, 'skal', 'hos_kommunen')).toEqual({
      skal: 'hos_kommunen',
      orsak: '',
      erbjudandedatum: '',
    });
    // From no skäl: nothing to empty.
    expect(changeField({}, PREFILL, 'skal', 'hos_kommunen')).toEqual({ skal: 'hos_kommunen' });
    // An orsak that needs no text takes the text away; "Annat" of a refusal keeps the date.
    const annat = {
      ...PREFILL,
      skal: 'hos_den_enskilde' as const,
      orsak: 'annat',
      orsakText: 'Flyttar',
    };
    expect(changeField({}, annat, 'orsak', 'sjukdom')).toEqual({ orsak: 'sjukdom', orsakText: '' });
    expect(changeField({}, draft, 'orsak', 'annat')).toEqual({ orsak: 'annat' });
  });

  it('keeps the changes made while a save was on its way', () => {
    expect(
      unsentEdits({ skal: 'hos_kommunen', orsak: 'brist_plats' }, { skal: 'hos_kommunen' }),
    ).toEqual({
      orsak: 'brist_plats',
    });
    expect(unsentEdits({ ovrigt: 'ab' }, { ovrigt: 'a' })).toEqual({ ovrigt: 'ab' });
    expect(unsentEdits({ ovrigt: 'a' }, { ovrigt: 'a' })).toEqual({});
  });
});

describe('the report and its filing', () => {
  it('applies the unsent changes, never to a locked field, and validates them at once', () => {
    const view = reportView();
    expect(LOCKED).toContain('fornamn');
    expect(currentDraft(view, { fornamn: 'Lasse', ovrigt: 'Ny text' })).toMatchObject({
      fornamn: 'Lars',
      ovrigt: 'Ny text',
    });
    expect(currentFindings(view, {}).map((f) => f.field)).toEqual(['skal', 'orsak']);
    expect(currentFindings(view, { skal: 'hos_kommunen' }).map((f) => f.field)).toEqual(['orsak']);
    expect(currentFindings(view, { skal: 'hos_kommunen', orsak: 'brist_plats' })).toEqual([]);
    expect(lockedFieldMessage('fornamn')).toMatch(/låst vid återrapportering/);
  });

  it('offers filing only when nothing is unsent, nothing is found and the rule allows the date', () => {
    const complete = { ...PREFILL, skal: 'hos_kommunen' as const, orsak: 'brist_plats' };
    const base = { quarter: Q3, today: '2026-10-15', filedOn: '2026-10-15', unsent: false };
    const open = reportView(complete);
    expect(fileState({ ...base, view: open, findings: open.findings })).toEqual({ kind: 'ready' });
    expect(fileState({ ...base, view: open, findings: [], unsent: true })).toEqual({
      kind: 'saving',
    });

    const missing = reportView();
    expect(fileState({ ...base, view: missing, findings: missing.findings })).toEqual({
      kind: 'findings',
      reason: 'Rapporten har 2 uppgifter som måste rättas innan den kan lämnas in.',
    });

    const closed = reportView(complete, {
      canFile: false,
      reason:
        'En återrapportering för kvartal 3 2026 lämnas i rapporteringsperioden 1–31 oktober 2026',
    });
    expect(
      fileState({
        ...base,
        today: '2026-11-22',
        filedOn: '2026-11-22',
        view: closed,
        findings: [],
      }),
    ).toEqual({
      kind: 'refused',
      reason:
        'En återrapportering för kvartal 3 2026 lämnas i rapporteringsperioden 1–31 oktober 2026',
    });

    // A date before the window opens is refused by the domain's rule.
    expect(fileState({ ...base, filedOn: '2026-09-30', view: open, findings: [] })).toMatchObject({
      kind: 'date',
      reason: expect.stringMatching(/lämnas i rapporteringsperioden 1–31 oktober 2026/),
    });

    const filed = reportView(complete, { filing: filingOf(complete) });
    expect(fileState({ ...base, view: filed, findings: [] })).toMatchObject({ kind: 'filed' });
  });

  it('says on the quarter’s line why it cannot be filed today', () => {
    const line = {
      filed: false,
      report: 'ny' as const,
      status: 'ej_verkstalld' as const,
      statusDate: null,
    };
    expect(notFileableToday(line, Q3, '2026-11-22')).toBe(
      'Kan inte lämnas in i dag: en nyrapportering för kvartal 3 2026 lämnas i rapporteringsperioden 1–31 oktober 2026.',
    );
    expect(notFileableToday(line, Q3, '2026-10-31')).toBeNull();
    expect(notFileableToday({ ...line, filed: true }, Q3, '2026-11-22')).toBeNull();
    // Executed in the quarter: any time after.
    expect(
      notFileableToday(
        { ...line, status: 'verkstalld', statusDate: '2026-09-02' },
        Q3,
        '2026-11-22',
      ),
    ).toBeNull();
  });
});
