/**
 * Who is asking, and what they may see and do. The API builds a `Principal`
 * from the session or bearer token once per request and turns it into an
 * `Access` with `accessOf` — once. Every decision after that (the resolver
 * guard, the database's row-level security settings, every scope in SQL, what
 * a client is offered) reads that one value; nothing derives it again.
 *
 * @packageDocumentation
 */
import { ROLE_PERMISSIONS, SCOPE_PERMISSIONS, type Permission } from './permissions.js';
import { isOneOf, TEAMS, type ReferralStatus, type Role, type ServiceScope, type Team } from './vocabulary.js';

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

/** Team scopes of service clients, so the access can be read without string parsing. */
const SCOPE_TEAM: Readonly<Partial<Record<ServiceScope, Team>>> = Object.freeze({
  'referrals:read:DISCIPLINE': 'DISCIPLINE',
  'referrals:read:HR': 'HR',
  'referrals:read:LEGAL': 'LEGAL',
});

/** Statuses a receiving team never sees: a draft has no team until it is submitted. */
export const REFERRAL_STATUSES_HIDDEN_FROM_TEAMS: readonly ReferralStatus[] = Object.freeze(['DRAFT'] satisfies ReferralStatus[]);

/** The social media team's roles: they work the groups, and draft and track referrals, so they see all of them. */
export const SOCIAL_MEDIA_TEAM_ROLES: readonly Role[] = Object.freeze(['SOCIAL_MEDIA_OFFICER', 'SOCIAL_MEDIA_LEAD'] satisfies Role[]);

/** Whether a person with these roles may be assigned groups: a member of the social media team. */
export function mayBeAssignedGroups(roles: readonly Role[]): boolean {
  return roles.some((r) => SOCIAL_MEDIA_TEAM_ROLES.includes(r));
}

/**
 * Which referrals a principal may see at all: `all` for officers and leads
 * (they draft and track referrals, drafts included), `teams` for
 * receiving-team roles and `referrals:read:<TEAM>` scopes (non-draft referrals
 * of `readTeams` only), `none` for everyone else.
 */
export type ReferralScopeKind = 'all' | 'teams' | 'none';

/**
 * Everything a principal may do, decided once per request.
 *
 * - `permissions`: the union over a user's roles or a service's scopes.
 * - `referralScope` and `readTeams`: which referrals it may read.
 * - `actTeams`: the receiving teams it acts for (acknowledge, progress, note,
 *   transfer, close) — only users holding that team's role.
 * - `noteTeams`: the teams whose notes it may read — the same people.
 */
export interface Access {
  readonly kind: Principal['kind'];
  readonly principalId: string | null;
  readonly roles: readonly Role[];
  readonly permissions: ReadonlySet<Permission>;
  readonly referralScope: ReferralScopeKind;
  readonly readTeams: readonly Team[];
  readonly actTeams: readonly Team[];
  readonly noteTeams: readonly Team[];
}

function teamsIn(p: Principal): Team[] {
  const held = new Set<Team>();
  if (p.kind === 'user') {
    for (const role of p.roles) if (isOneOf(TEAMS, role)) held.add(role);
  } else if (p.kind === 'service') {
    for (const scope of p.scopes) {
      const team = SCOPE_TEAM[scope];
      if (team) held.add(team);
    }
  }
  return TEAMS.filter((t) => held.has(t));
}

/**
 * The one function from a principal to what it may do. Unknown roles or
 * scopes (e.g. from a stale token) grant nothing; anonymous callers get
 * nothing at all. The result is frozen.
 */
export function accessOf(p: Principal): Access {
  const permissions = new Set<Permission>();
  if (p.kind === 'user') {
    for (const role of p.roles) for (const perm of ROLE_PERMISSIONS[role] ?? []) permissions.add(perm);
  } else if (p.kind === 'service') {
    for (const scope of p.scopes) for (const perm of SCOPE_PERMISSIONS[scope] ?? []) permissions.add(perm);
  }
  const teams = teamsIn(p);
  const tracking = p.kind === 'user' && mayBeAssignedGroups(p.roles);
  const referralScope: ReferralScopeKind = tracking ? 'all' : teams.length > 0 && permissions.has('referral.read') ? 'teams' : 'none';
  const userTeams = p.kind === 'user' ? teams : [];
  return Object.freeze({
    kind: p.kind,
    principalId: p.kind === 'anonymous' ? null : p.id,
    roles: Object.freeze(p.kind === 'user' ? [...p.roles] : []),
    permissions: Object.freeze(permissions) as ReadonlySet<Permission>,
    referralScope,
    readTeams: Object.freeze(referralScope === 'all' ? [...TEAMS] : referralScope === 'teams' ? teams : []),
    actTeams: Object.freeze([...userTeams]),
    noteTeams: Object.freeze([...userTeams]),
  });
}

/** The access of a request with no valid session or token. */
export const NO_ACCESS: Access = accessOf(ANONYMOUS);

/** Whether the access includes the permission (the API's one gate per operation). */
export function allows(access: Access, permission: Permission): boolean {
  return access.permissions.has(permission);
}

/** Whether the access includes at least one of the permissions (e.g. to show a menu). */
export function allowsAny(access: Access, permissions: readonly Permission[]): boolean {
  return permissions.some((perm) => access.permissions.has(perm));
}

/**
 * Whether a referral falls inside the access's scope. A draft has no team
 * until it is submitted and is never visible to receiving teams.
 */
export function mayReadReferral(access: Access, referral: { team: Team | null; status: ReferralStatus }): boolean {
  switch (access.referralScope) {
    case 'all':
      return true;
    case 'none':
      return false;
    case 'teams':
      return !REFERRAL_STATUSES_HIDDEN_FROM_TEAMS.includes(referral.status) && referral.team !== null && access.readTeams.includes(referral.team);
  }
}

/** Whether the access acts for the referral's team (receiving-team actions need it). */
export function actsForTeam(access: Access, team: Team | null): boolean {
  return team !== null && access.actTeams.includes(team);
}
