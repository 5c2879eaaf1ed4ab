import type { CaseStatus } from '@evb/domain';

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
