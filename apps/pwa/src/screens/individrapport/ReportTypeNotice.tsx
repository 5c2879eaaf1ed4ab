import { parseQuarterKey } from '@evb/domain';
import { Link } from 'wouter';
import {
  individrapportHref,
  type LineKey,
  type ReportView,
  reportText,
} from '../individrapport-view';

/**
 * When the line is sent as another report type than the law's schedule says — an
 * återrapportering sent as a nyrapportering because no earlier filing of the delay is recorded in
 * evb (IVO's e-tjänst offers an återrapportering only for cases IVO has) — why, and a link to
 * each earlier quarter's line, where the filing made then can be recorded. Nothing once the line
 * is filed.
 */
export function ReportTypeNotice({
  view,
  lineKey,
  id,
}: {
  view: ReportView;
  lineKey: LineKey;
  /** Unique on the page: the notice shows in tab 2 and beside the filing. */
  id: string;
}) {
  const { reportType } = view;
  if (reportType.notice === null || view.filing) return null;
  const earlier = reportType.unrecordedEarlier.flatMap((q) => {
    const quarter = parseQuarterKey(q.quarter);
    return quarter ? [{ ...q, href: individrapportHref({ ...lineKey, quarter }) }] : [];
  });
  return (
    <section className="notice ir-report-type" aria-labelledby={`${id}-h`}>
      <h3 id={`${id}-h`} className="ir-report-type-title">
        Lämnas som {reportText(reportType.send).toLocaleLowerCase('sv')}
      </h3>
      <p>{reportType.notice}</p>
      {earlier.length > 0 && (
        <ul className="ir-report-type-links">
          {earlier.map((q) => (
            <li key={q.quarter}>
              <Link href={q.href}>Registrera inlämningen för {q.label}</Link>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
