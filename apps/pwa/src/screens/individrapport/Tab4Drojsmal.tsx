import { shownFields } from '../individrapport-view';
import { type FieldForm, FieldRows } from './fields';

/** Flik 4: the delay — its start, the status, the skäl and orsak, and the free texts. */
export function Tab4Drojsmal({ form }: { form: FieldForm }) {
  return <FieldRows form={form} fields={shownFields(form.draft, 4)} />;
}
