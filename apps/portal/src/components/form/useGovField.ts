import { computed } from 'vue';
import { useField, useSubmitCount } from 'vee-validate';

/**
 * A field of the surrounding `useGovForm`: checked as the person types, its
 * error shown once they have left the field or sent the form (so nobody is
 * told off for a field they have not finished), and gone as soon as it is put
 * right. The API's errors (`setErrors`) show the same way.
 */
export function useGovField<T>(name: () => string) {
  const field = useField<T>(name, undefined, { validateOnValueUpdate: true });
  const submitCount = useSubmitCount();
  const error = computed(() => (field.meta.touched || submitCount.value > 0 ? field.errorMessage.value : undefined));
  /** Leaving the field: from now on its error shows (without checking a field nobody typed in). */
  const leave = () => field.setTouched(true);
  return { value: field.value, error, leave };
}

/** The ids a control is described by: its hint, a note, its error — in that order, as GOV.UK does. */
export function describedBy(...ids: (string | false | null | undefined)[]): string | undefined {
  const list = ids.filter(Boolean);
  return list.length ? list.join(' ') : undefined;
}
