import type { CaseStatus, Deadline } from '@evb/domain';
import { dueText, formatDate } from '../format/format';

const KIND_LABELS: Record<Deadline['kind'], string> = {
  uppfoljning: 'Uppföljningssamtal',
  sammanfattning: 'Sammanfattning',
  meddelande: 'Meddelande till rapportören',
  kvartalsrapport: 'Individrapport till IVO',
};

export function deadlineLabel(d: Deadline): string {
  return KIND_LABELS[d.kind];
}

/** "Sammanfattning senast 30 april 2026 (om 3 dagar)", overdue ones marked. */
export function DeadlineText({ deadline }: { deadline: Deadline }) {
  return (
    <span className={deadline.overdue ? 'deadline is-overdue' : 'deadline'}>
      {deadline.overdue && <strong>Försenad: </strong>}
      {deadlineLabel(deadline)} senast {formatDate(deadline.date)} ({dueText(deadline.daysLeft)})
    </span>
  );
}

const STATE_LABELS: Record<CaseStatus['state'], string> = {
  vantar: 'Väntar',
  verkstalld: 'Verkställt',
  avslutad: 'Avslutat',
};

export function StateBadge({ status }: { status: CaseStatus }) {
  const label = status.waiting
    ? status.episode.kind === 'avbrott'
      ? 'Avbrott – väntar'
      : 'Väntar'
    : STATE_LABELS[status.state];
  const tone = status.overThreeMonths
    ? 'badge-problem'
    : status.waiting
      ? 'badge-pending'
      : 'badge-ok';
  return <span className={`badge ${tone}`}>{label}</span>;
}
