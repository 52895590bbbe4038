/**
 * Who is asking, and what they may see and do. The API builds a `Principal`
 * from the session or bearer token once per request; every check after that is
 * a pure function of it, so the portal can make the same decisions.
 *
 * @packageDocumentation
 */
import { RECEIVING_TEAM_ACTIONS, ROLE_PERMISSIONS, SCOPE_PERMISSIONS, type Permission } from './permissions.js';
import { TEAMS, type ReferralStatus, type Role, type ServiceScope, type Team } from './vocabulary.js';

/**
 * The caller of a request: a signed-in user (with roles), a service client
 * (with scopes) or nobody. Roles count only for users and scopes only for
 * services, so a mis-built principal cannot gain access by carrying both.
 */
export interface Principal {
  kind: 'anonymous' | 'user' | 'service';
  id: string | null;
  roles: readonly Role[];
  scopes: readonly ServiceScope[];
}

/** The principal of a request with no valid session or token. */
export const ANONYMOUS: Principal = Object.freeze({
  kind: 'anonymous',
  id: null,
  roles: Object.freeze([]) as readonly Role[],
  scopes: Object.freeze([]) as readonly ServiceScope[],
});

/** Team scopes of service clients, so `teamsOf` can read them without string parsing. */
const SCOPE_TEAM: Readonly<Partial<Record<ServiceScope, Team>>> = Object.freeze({
  'referrals:read:DISCIPLINE': 'DISCIPLINE',
  'referrals:read:HR': 'HR',
  'referrals:read:LEGAL': 'LEGAL',
});

/** Roles that draft and track referrals, and therefore see all of them. */
const REFERRAL_TRACKING_ROLES: readonly Role[] = Object.freeze(['SOCIAL_MEDIA_OFFICER', 'SOCIAL_MEDIA_LEAD'] satisfies Role[]);

/**
 * Everything the principal may do: the union over a user's roles or a
 * service's scopes; nothing for anonymous callers. Unknown roles or scopes
 * (e.g. from a stale token) grant nothing.
 */
export function permissionsOf(p: Principal): ReadonlySet<Permission> {
  const granted = new Set<Permission>();
  if (p.kind === 'user') {
    for (const role of p.roles) for (const perm of ROLE_PERMISSIONS[role] ?? []) granted.add(perm);
  } else if (p.kind === 'service') {
    for (const scope of p.scopes) for (const perm of SCOPE_PERMISSIONS[scope] ?? []) granted.add(perm);
  }
  return granted;
}

/** Whether the principal has the permission (the API's one gate per operation). */
export function can(p: Principal, permission: Permission): boolean {
  return permissionsOf(p).has(permission);
}

/** Whether the principal has at least one of the permissions (e.g. to show a menu). */
export function canAny(p: Principal, permissions: readonly Permission[]): boolean {
  const granted = permissionsOf(p);
  return permissions.some((perm) => granted.has(perm));
}

/**
 * The receiving teams the principal belongs to: team roles held by a user, or
 * the teams named by a service's `referrals:read:<TEAM>` scopes. In `TEAMS`
 * order, without duplicates.
 */
export function teamsOf(p: Principal): Team[] {
  const held = new Set<Team>();
  if (p.kind === 'user') {
    for (const role of p.roles) if ((TEAMS as readonly string[]).includes(role)) held.add(role as Team);
  } else if (p.kind === 'service') {
    for (const scope of p.scopes) {
      const team = SCOPE_TEAM[scope];
      if (team) held.add(team);
    }
  }
  return TEAMS.filter((t) => held.has(t));
}

/**
 * Which referrals a principal may see at all. Queries apply this as a filter
 * so that out-of-scope referrals never appear in lists, counts or aggregates.
 */
export type ReferralScope = { kind: 'all' } | { kind: 'teams'; teams: Team[] } | { kind: 'none' };

/**
 * The principal's referral scope: `all` for officers and leads (they draft and
 * track referrals, drafts included); `teams` for receiving-team roles and
 * `referrals:read:<TEAM>` scopes (non-draft referrals of those teams only);
 * `none` for everyone else. `all` wins when a user holds both kinds of role.
 */
export function referralScope(p: Principal): ReferralScope {
  if (p.kind === 'user' && p.roles.some((r) => REFERRAL_TRACKING_ROLES.includes(r))) return { kind: 'all' };
  const teams = teamsOf(p);
  if (teams.length > 0 && can(p, 'referral.read')) return { kind: 'teams', teams };
  return { kind: 'none' };
}

/**
 * Whether a referral falls inside a scope. A draft has no team until it is
 * submitted and is never visible to receiving teams.
 */
export function referralVisible(scope: ReferralScope, referral: { team: Team | null; status: ReferralStatus }): boolean {
  switch (scope.kind) {
    case 'all':
      return true;
    case 'none':
      return false;
    case 'teams':
      return referral.status !== 'DRAFT' && referral.team !== null && scope.teams.includes(referral.team);
  }
}

/**
 * Whether the principal may use a permission on a particular referral.
 * Receiving-team actions (acknowledge, progress, note, transfer, close) need
 * the permission and the referral's team role: an officer or lead cannot act
 * as the receiving team. Any other permission needs the referral to be
 * visible to the principal.
 */
export function canActOnReferral(
  p: Principal,
  permission: Permission,
  referral: { team: Team | null; status: ReferralStatus },
): boolean {
  if (!can(p, permission)) return false;
  if (RECEIVING_TEAM_ACTIONS.includes(permission)) {
    return (
      p.kind === 'user' && referral.status !== 'DRAFT' && referral.team !== null && p.roles.includes(referral.team)
    );
  }
  return referralVisible(referralScope(p), referral);
}

/**
 * Whether the principal may read a team's notes on a referral: only users
 * holding that team's role. Officers, leads and service clients may not.
 */
export function canReadReferralNotes(p: Principal, team: Team): boolean {
  return p.kind === 'user' && p.roles.includes(team);
}
