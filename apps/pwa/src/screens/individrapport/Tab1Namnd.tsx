import { shownFields } from '../individrapport-view';
import { type FieldForm, FieldRows } from './fields';

/** Flik 1: the nämnd and the verksamhetsområde the report is made for. */
export function Tab1Namnd({ form }: { form: FieldForm }) {
  return <FieldRows form={form} fields={shownFields(form.draft, 1)} />;
}
