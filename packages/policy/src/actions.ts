/**
 * "What may this person do here, and if not, why not": the answer for one
 * action on one record, combining the caller's access (roles, teams) with the
 * record's lifecycle. The API enforces exactly these answers and returns them
 * as `availableTransitions` / `availableActions`, so a client can show a
 * button enabled, or disabled with the reasons in words.
 *
 * @packageDocumentation
 */

/** What refused an action: the caller's roles (answered FORBIDDEN) or the record's state (TRANSITION_NOT_ALLOWED). */
export type RefusedBy = 'role' | 'lifecycle';

/** One action on one record, for one caller. */
export interface ActionAvailability<A extends string = string, S extends string = string> {
  action: A;
  /** The status the record moves to, or null when the action does not change it (a note, an edit). */
  to: S | null;
  /** The GraphQL mutation that performs it. */
  mutation: string;
  allowed: boolean;
  /** Every reason it is not allowed, roles first; empty when allowed. */
  unmet: string[];
  refusedBy: RefusedBy | null;
}

/** Combines the role-based and the lifecycle reasons into one answer. */
export function availability<A extends string, S extends string>(
  action: A,
  to: S | null,
  mutation: string,
  roleUnmet: readonly string[],
  lifecycleUnmet: readonly string[],
): ActionAvailability<A, S> {
  const unmet = [...roleUnmet, ...lifecycleUnmet];
  return {
    action,
    to,
    mutation,
    allowed: unmet.length === 0,
    unmet,
    refusedBy: roleUnmet.length > 0 ? 'role' : lifecycleUnmet.length > 0 ? 'lifecycle' : null,
  };
}
