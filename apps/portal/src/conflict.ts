import { nextTick, ref, type Ref } from 'vue';
import type { GraphQLFormattedError } from 'graphql';
import { ERROR_MESSAGES } from '@signpost/policy';
import type { Problem } from './forms.js';

/**
 * A form that sends the version it read: when the API answers CONFLICT, the
 * error summary says so and offers to reload; after the reload, a banner
 * (ref="reloadedBanner", tabindex="-1") says what changed and takes the focus.
 * What the person typed stays in the form throughout.
 */
export function useConflict(problems: Ref<Problem[]>) {
  const conflict = ref(false);
  const reloaded = ref(false);
  const reloadedBanner = ref<{ $el?: unknown } | null>(null);

  /** Whether the answer was a CONFLICT; if so the summary now offers the reload. */
  function caught(errors: readonly GraphQLFormattedError[]): boolean {
    if (!errors.some((e) => e.extensions?.code === 'CONFLICT')) return false;
    conflict.value = true;
    problems.value = [{ message: ERROR_MESSAGES.CONFLICT }];
    return true;
  }

  /** The record is read again: the offer and the problem go, the banner shows and is focused. */
  async function settled(): Promise<void> {
    conflict.value = false;
    problems.value = [];
    reloaded.value = true;
    await nextTick();
    (reloadedBanner.value?.$el as HTMLElement | undefined)?.focus();
  }

  return { conflict, reloaded, reloadedBanner, caught, settled };
}

/**
 * After a reload, each field of the form as it should now be: one the person
 * did not change takes the saved value (through `set`); where they changed it
 * and someone else saved another value, it keeps theirs and the answer holds
 * a note for it, saying the other value in words (`shown`).
 */
export function keepTyped<K extends string>(opts: {
  keys: readonly K[];
  was: Record<K, string>;
  now: Record<K, string>;
  typed: Partial<Record<K, unknown>>;
  set: (key: K, value: string) => void;
  shown?: (key: K) => string;
}): Partial<Record<K, string>> {
  const { keys, was, now, typed, set, shown = (k: K) => now[k] } = opts;
  const notes: Partial<Record<K, string>> = {};
  for (const k of keys) {
    const mine = String(typed[k] ?? '');
    if (mine.trim() === was[k].trim()) set(k, now[k]);
    else if (now[k] !== was[k]) notes[k] = now[k] ? `Someone else saved this as: ${shown(k)}` : 'Someone else cleared this.';
  }
  return notes;
}
