import { watch } from 'vue';
import type { GraphQLFormattedError } from 'graphql';
import type { ApolloCache } from '@apollo/client/core';
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

/**
 * Lists of referrals a mutation has changed the membership of, dropped from
 * the cache so the next page that shows them asks the API again: the team's
 * inbox (a referral closed or transferred leaves it) and a group's referrals.
 */
export function forgetReferralLists(cache: ApolloCache<unknown>, groupId?: string | null): void {
  cache.evict({ id: 'ROOT_QUERY', fieldName: 'referrals' });
  if (groupId) cache.evict({ id: cache.identify({ __typename: 'Group', id: groupId }), fieldName: 'referrals' });
  cache.gc();
}

export const isConflict = (errors: readonly GraphQLFormattedError[]) => errors.some((e) => e.extensions?.code === 'CONFLICT');
