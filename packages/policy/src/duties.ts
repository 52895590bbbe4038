/**
 * Separation of duties. The system administrator manages accounts and
 * service clients but must never be able to reach referral content or the
 * data protection officer's powers on their own:
 *
 * - nobody changes their own roles;
 * - `ADMIN` is never combined with a receiving team or `DATA_PROTECTION` on
 *   one account;
 * - a service client that reads a team's referrals works only once a second
 *   administrator — not the one who created it — has approved it.
 *
 * @packageDocumentation
 */
import { isOneOf, SERVICE_SCOPES, TEAMS, type Role, type ServiceScope } from './vocabulary.js';

/** Roles that may never be held together with `ADMIN`. */
export const ROLES_EXCLUSIVE_OF_ADMIN: readonly Role[] = Object.freeze([...TEAMS, 'DATA_PROTECTION'] satisfies Role[]);

/** What is wrong with holding these roles together on one account (empty when nothing is). */
export function roleCombinationUnmet(roles: readonly Role[]): string[] {
  if (!roles.includes('ADMIN')) return [];
  const clashing = ROLES_EXCLUSIVE_OF_ADMIN.filter((r) => roles.includes(r));
  return clashing.map((r) => `ADMIN cannot be held together with ${r} on one account: give the ${r} role to someone else`);
}

/** What stops `actorId` giving `targetId` these roles (empty when nothing does). */
export function roleChangeUnmet(change: { actorId: string | null; targetId: string; roles: readonly Role[] }): string[] {
  const unmet: string[] = [];
  if (change.actorId !== null && change.actorId === change.targetId) unmet.push('nobody changes their own roles: ask another administrator');
  unmet.push(...roleCombinationUnmet(change.roles));
  return unmet;
}

/** Scopes that reach referral content, and so need a second administrator's approval. */
export const SCOPES_NEEDING_APPROVAL: readonly ServiceScope[] = Object.freeze(
  SERVICE_SCOPES.filter((s) => s.startsWith('referrals:read:')),
);

/** Whether a client with these scopes needs a second administrator's approval before it works. */
export function serviceClientNeedsApproval(scopes: readonly string[]): boolean {
  return scopes.some((s) => isOneOf(SCOPES_NEEDING_APPROVAL, s));
}

/** Whether a client's token works: not revoked, and approved when its scopes need it. */
export function serviceClientActive(client: { scopes: readonly string[]; revokedAt: Date | null; approvedAt: Date | null }): boolean {
  return client.revokedAt === null && (client.approvedAt !== null || !serviceClientNeedsApproval(client.scopes));
}

/** What stops this administrator approving this client (empty when nothing does). */
export function serviceClientApprovalUnmet(
  client: { scopes: readonly string[]; createdBy: string | null; revokedAt: Date | null; approvedAt: Date | null },
  approverId: string,
): string[] {
  const unmet: string[] = [];
  if (!serviceClientNeedsApproval(client.scopes)) unmet.push('this service client needs no approval: none of its scopes reads referrals');
  if (client.approvedAt !== null) unmet.push('this service client is already approved');
  if (client.revokedAt !== null) unmet.push('this service client is revoked');
  if (client.createdBy === approverId) unmet.push('a second administrator must approve it: you created it');
  return unmet;
}
