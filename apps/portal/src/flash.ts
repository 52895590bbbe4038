import { shallowRef } from 'vue';

/** What a page says it has just done, for the page it goes to next (GOV.UK's success banner). */
export interface Flash {
  heading: string;
  body?: string;
}

const pending = shallowRef<Flash | null>(null);

/** Leaves a message for the next page. */
export function flash(message: Flash): void {
  pending.value = message;
}

/** The message left for this page, once: a reload or a later visit does not repeat it. */
export function takeFlash(): Flash | null {
  const message = pending.value;
  pending.value = null;
  return message;
}
