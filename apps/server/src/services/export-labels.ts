import {
  formatSwedishDateRange,
  type IsoDate,
  type Quarter,
  type Verksamhetsomrade,
  verksamhetsomradeLabel,
} from '@evb/domain';
import type { Kategori } from '../routers/quarter';

/* The Swedish words the exports (PDF, CSV, XLSX) print for a line's codes. */

export const KATEGORI_LABEL: Record<Kategori, string> = {
  nyrapportering: 'Nyrapportering',
  aterrapportering: 'Återrapportering',
  slutrapportering: 'Slutrapportering',
};

/** The heading of a group of lines in the quarter's PDF. */
export const KATEGORI_PLURAL: Record<Kategori, string> = {
  nyrapportering: 'Nyrapporteringar',
  aterrapportering: 'Återrapporteringar',
  slutrapportering: 'Slutrapporteringar',
};

export const LINE_STATUS_LABEL: Record<string, string> = {
  ej_verkstalld: 'Ej verkställt',
  verkstalld: 'Verkställt',
  avslutad: 'Avslutat',
};

export const EPISODE_KIND_LABEL: Record<string, string> = {
  beslut: 'Beslut',
  avbrott: 'Avbrott',
};

export const REPORT_LABEL: Record<string, string> = {
  ny: 'Nyrapportering',
  ater: 'Återrapportering',
};

export const STATE_LABEL = { inlamnad: 'Inlämnad', utkast: 'Utkast' } as const;

export function quarterTitle(q: Quarter): string {
  return `Kvartal ${q.quarter} ${q.year}`;
}

/** A reporting window as the screens write it: "1–31 oktober 2026", "1 juli–31 augusti 2026". */
export function windowText(window: { opens: IsoDate; closes: IsoDate }): string {
  return formatSwedishDateRange(window.opens, window.closes);
}

/** The caller's verksamhetsområden in the nämnd as words; null means all the nämnd's. */
export function areasText(areas: readonly string[] | null): string {
  if (areas === null) return 'Alla som nämnden rapporterar för';
  return areas.map((a) => verksamhetsomradeLabel(a as Verksamhetsomrade)).join(', ');
}
