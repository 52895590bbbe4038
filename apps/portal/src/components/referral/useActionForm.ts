import { watch } from 'vue';
import type { GraphQLFormattedError } from 'graphql';
import type { Problem } from '../../forms.js';

/**
 * What a referral action's form tells the page: its problems (for the one
 * error summary at the top), a stale version, or what it did. Callbacks, not
 * emits: an action that changes the referral's status can unmount its own form
 * (the cache updates first), and an unmounted component's emits are dropped.
 */
export interface ActionFormCallbacks {
  onProblems?: (problems: Problem[]) => void;
  onConflict?: () => void;
  onDone?: (message: { heading: string; body?: string }) => void;
}

/** Passes the form's problems up to the page as they change. */
export function reportProblems(problems: { value: Problem[] }, props: ActionFormCallbacks): void {
  watch(() => problems.value, (now) => props.onProblems?.(now));
}

export const isConflict = (errors: readonly GraphQLFormattedError[]) => errors.some((e) => e.extensions?.code === 'CONFLICT');
