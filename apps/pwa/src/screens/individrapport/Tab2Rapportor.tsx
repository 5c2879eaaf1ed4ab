import { formatDate } from '../../format/format';
import { type LineKey, type ReportView, reportText, shownFields } from '../individrapport-view';
import { type FieldForm, FieldRows } from './fields';
import { ReportTypeNotice } from './ReportTypeNotice';

/**
 * Flik 2: the rapportör, and whether the report is a ny- or an återrapportering — with why it is
 * sent as a nyrapportering when the schedule says återrapportering.
 */
export function Tab2Rapportor({
  form,
  view,
  lineKey,
}: {
  form: FieldForm;
  view: ReportView;
  lineKey: LineKey;
}) {
  return (
    <>
      <ReportTypeNotice view={view} lineKey={lineKey} id={`${form.idPrefix}-type-tab2`} />
      {view.previous && (
        <p className="card-meta">
          Förra rapporten: {view.previous.quarterLabel},{' '}
          {reportText(view.previous.report).toLocaleLowerCase('sv')}, inlämnad{' '}
          {formatDate(view.previous.filedOn)} av {view.previous.filedBy.namn}.
        </p>
      )}
      <FieldRows form={form} fields={shownFields(form.draft, 2)} />
    </>
  );
}
