import * as v from 'valibot';
import { ROLES, ROLES_EXCLUSIVE_OF_ADMIN, ROLE_LABELS, roleCombinationUnmet, type Role } from '@signpost/policy';
import { humanise } from '../forms.js';
import { ticked } from '../validation.js';

/** The roles as checkboxes, each with its label. */
export const ROLE_OPTIONS = ROLES.map((r) => ({ value: r, label: ROLE_LABELS[r] }));

/** The hint under the roles, from the policy's separation of duties. */
export const ROLES_HINT = `Select all that apply. A ${ROLE_LABELS.ADMIN.toLowerCase()} cannot also hold these roles: ${ROLES_EXCLUSIVE_OF_ADMIN.map((r) => ROLE_LABELS[r]).join(', ')}.`;

/** The policy's own words for roles that may not be held together, with each role as people read it. */
export const roleClash = (roles: readonly Role[]): string | null => {
  const unmet = roleCombinationUnmet(roles);
  if (!unmet.length) return null;
  const text = humanise(unmet.join('; '), '', null, ROLE_LABELS);
  return text.charAt(0).toUpperCase() + text.slice(1);
};

/** The roles ticked, checked as they are ticked against the policy's separation of duties. */
export const rolesField = () =>
  v.pipe(
    ticked(ROLES),
    v.rawCheck(({ dataset, addIssue }) => {
      if (!dataset.typed) return;
      const clash = roleClash(dataset.value);
      if (clash) addIssue({ message: clash });
    }),
  );
