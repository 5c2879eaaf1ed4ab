import type { Decision, ReportLine } from '@evb/domain';

/*
 * The kinds of report line the demo data promises to show in the current and the previous quarter,
 * named as a rapportör would: how the domain's quarterReport lines sort into them.
 */

export const LINE_KINDS = [
  'nyrapportering, ej verkställt',
  'nyrapportering, verkställt samma kvartal',
  'nyrapportering, avslutat samma kvartal',
  'återrapportering',
  'slutrapportering, verkställt',
  'slutrapportering, avslutat',
  'nyrapportering avbrott',
  'återrapportering avbrott',
  'förhandsbesked',
  'ersätter ett tidigare beslut',
] as const;

export type LineKind = (typeof LINE_KINDS)[number];

export function lineKinds(decision: Decision, line: ReportLine): LineKind[] {
  const kinds: LineKind[] = [];
  if (line.episode.kind === 'avbrott') {
    kinds.push(line.report === 'ny' ? 'nyrapportering avbrott' : 'återrapportering avbrott');
  } else if (line.report === 'ny') {
    kinds.push(
      line.status === 'ej_verkstalld'
        ? 'nyrapportering, ej verkställt'
        : line.status === 'verkstalld'
          ? 'nyrapportering, verkställt samma kvartal'
          : 'nyrapportering, avslutat samma kvartal',
    );
  } else {
    kinds.push(
      line.status === 'ej_verkstalld'
        ? 'återrapportering'
        : line.status === 'verkstalld'
          ? 'slutrapportering, verkställt'
          : 'slutrapportering, avslutat',
    );
  }
  if (decision.forhandsbesked) kinds.push('förhandsbesked');
  if (decision.ersatterBeslutId) kinds.push('ersätter ett tidigare beslut');
  return kinds;
}
