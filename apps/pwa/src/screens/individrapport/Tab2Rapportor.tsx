import { formatDate } from '../../format/format';
import { type ReportView, reportText, shownFields } from '../individrapport-view';
import { type FieldForm, FieldRows } from './fields';

/** Flik 2: the rapportör, and whether the report is a ny- or an återrapportering. */
export function Tab2Rapportor({ form, view }: { form: FieldForm; view: ReportView }) {
  return (
    <>
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
