import { shownFields } from '../individrapport-view';
import { type FieldForm, FieldRows } from './fields';

/** Flik 3: the person, the insats and its inriktning, and the boxes about them. */
export function Tab3Individ({ form }: { form: FieldForm }) {
  return <FieldRows form={form} fields={shownFields(form.draft, 3)} />;
}
