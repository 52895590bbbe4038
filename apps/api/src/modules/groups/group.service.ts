import { In, type SelectQueryBuilder } from 'typeorm';
import { allows, GROUP_STATUSES, mayBeAssignedGroups, nextReviewDue, PLACEMENTS, RISK_LEVELS, UNRESPONSIVE_FROM } from '@signpost/policy';
import type { RequestContext } from '../../common/context.js';
import { indexRows } from '../../common/context.js';
import { audit } from '../../common/audit.js';
import { badInput, forbidden, notFound } from '../../common/errors.js';
import { sqlList } from '../../common/sql.js';
import { requireId } from '../../common/ids.js';
import { paginateBy, type Connection, type SortKey } from '../../common/pagination.js';
import { assertVersion, updateVersioned } from '../../common/versioned.js';
import { User } from '../users/user.entity.js';
import { Group } from './group.entity.js';
import type { CloseGroupInput, CreateGroupInput, GroupFilter, GroupSort, GroupSortField, MarkGroupUnresponsiveInput, ReopenGroupInput, UpdateGroupInput } from './dto/group.inputs.js';
import { moveGroup } from './group-lifecycle.service.js';

const groupLoader = (ctx: RequestContext) =>
  ctx.loader<string, Group | null>('groupById', async (ids) => indexRows(ids, await ctx.manager.findBy(Group, { id: In([...ids]) }), (g) => g.id));

/** Loads one group, batched with the other groups this request asks for. */
export function loadGroup(ctx: RequestContext, id: string): Promise<Group | null> {
  return groupLoader(ctx).load(id);
}

/** Groups read with another query (e.g. joined to a page of referrals): later loads of them cost no statement. */
export function primeGroups(ctx: RequestContext, groups: readonly (Group | null | undefined)[]): void {
  const loader = groupLoader(ctx);
  for (const g of groups) if (g) loader.prime(g.id, g);
}

/** After a group changes, later reads in the same request (nested fields, payloads) see the new row. */
export function rememberGroup(ctx: RequestContext, group: Group): Group {
  groupLoader(ctx).clear(group.id).prime(group.id, group);
  return group;
}

export async function requireGroup(ctx: RequestContext, id: string, field = 'id'): Promise<Group> {
  const group = await loadGroup(ctx, requireId(id, field));
  if (!group) throw notFound('Group');
  return group;
}

/** Filters that read the team's internal records: not for callers who see only the register (a groups:read service). */
const INTERNAL_FILTERS = ['assignedOfficerId', 'unresponsiveEligible', 'wordingAwaitingApproval', 'placementsUnverified'] as const;

/**
 * SQL for "may be marked UNRESPONSIVE now", the same rule as the policy's
 * `unresponsiveEligible` guard (a test holds the two to each other): a status
 * it may be marked from, the configured outbound attempts, the configured days
 * since the first of them, and no reply since the last.
 */
export function unresponsiveEligibleSql(alias: string): string {
  return `(${alias}.status = ANY(:unresponsiveFrom)
    AND (SELECT count(*) FROM contact_log_entries c WHERE c.group_id = ${alias}.id AND c.direction = 'OUTBOUND') >= :unresponsiveAttempts
    AND (SELECT min(c.occurred_at) FROM contact_log_entries c WHERE c.group_id = ${alias}.id AND c.direction = 'OUTBOUND') <= now() - make_interval(days => :unresponsiveDays)
    AND NOT EXISTS (SELECT 1 FROM contact_log_entries i WHERE i.group_id = ${alias}.id AND i.direction = 'INBOUND'
          AND i.occurred_at > (SELECT max(o.occurred_at) FROM contact_log_entries o WHERE o.group_id = ${alias}.id AND o.direction = 'OUTBOUND')))`;
}

/** The configured thresholds `unresponsiveEligibleSql` reads. */
export function unresponsiveEligibleParameters(ctx: RequestContext): Record<string, unknown> {
  return {
    unresponsiveFrom: UNRESPONSIVE_FROM,
    unresponsiveAttempts: ctx.config.policy.unresponsiveAfterAttempts,
    unresponsiveDays: ctx.config.policy.unresponsiveAfterDays,
  };
}

/**
 * SQL for "placements not yet verified": the group's agreed wording (its
 * latest AGREED agreement, as the lifecycle's facts read it) is not verified in
 * every placement; a placement with no record yet is not published.
 */
export function placementsUnverifiedSql(alias: string): string {
  return `EXISTS (SELECT 1 FROM (SELECT a.id FROM wording_agreements a WHERE a.group_id = ${alias}.id AND a.status = 'AGREED'
                               ORDER BY a.approved_at DESC NULLS LAST LIMIT 1) agreed
    WHERE (SELECT count(DISTINCT p.placement) FROM placements p WHERE p.agreement_id = agreed.id AND p.state = 'VERIFIED') < ${PLACEMENTS.length})`;
}

/** The register's filter, for lists and statistics alike. */
export function filteredGroups(ctx: RequestContext, filter: GroupFilter | undefined): SelectQueryBuilder<Group> {
  const internal = INTERNAL_FILTERS.filter((f) => filter?.[f] !== undefined && filter?.[f] !== null);
  if (internal.length > 0 && !allows(ctx.access, 'group.readInternal')) {
    throw forbidden('group.readInternal', 'INTERNAL_FILTER', `Filtering by ${internal.map((f) => `filter.${f}`).join(' and ')} needs a role that may see the team's internal details of groups.`);
  }
  const qb = ctx.manager.createQueryBuilder(Group, 'g');
  if (filter?.status?.length) qb.andWhere('g.status IN (:...status)', { status: filter.status });
  if (filter?.platform?.length) qb.andWhere('g.platform IN (:...platform)', { platform: filter.platform });
  if (filter?.riskLevel?.length) qb.andWhere('g.risk_level IN (:...riskLevel)', { riskLevel: filter.riskLevel });
  if (filter?.assignedOfficerId) qb.andWhere('g.assigned_officer_id = :officer', { officer: filter.assignedOfficerId });
  if (filter?.overdueReview === true) qb.andWhere('g.next_review_due < now()');
  if (filter?.overdueReview === false) qb.andWhere('(g.next_review_due IS NULL OR g.next_review_due >= now())');
  if (typeof filter?.unresponsiveEligible === 'boolean') {
    qb.andWhere(filter.unresponsiveEligible ? unresponsiveEligibleSql('g') : `NOT ${unresponsiveEligibleSql('g')}`, unresponsiveEligibleParameters(ctx));
  }
  if (typeof filter?.wordingAwaitingApproval === 'boolean') {
    // An agreement the administrators or the university proposed, not yet approved (the lead's queue).
    const awaiting = "EXISTS (SELECT 1 FROM wording_agreements wa WHERE wa.group_id = g.id AND wa.status = 'PROPOSED')";
    qb.andWhere(filter.wordingAwaitingApproval ? awaiting : `NOT ${awaiting}`);
  }
  if (typeof filter?.placementsUnverified === 'boolean') {
    qb.andWhere(filter.placementsUnverified ? placementsUnverifiedSql('g') : `NOT ${placementsUnverifiedSql('g')}`);
  }
  if (filter?.search?.trim()) {
    const like = `%${filter.search.trim().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    qb.andWhere('(g.name ILIKE :like OR g.handle ILIKE :like OR g.url ILIKE :like)', { like });
  }
  return qb;
}

/** Position in a policy list, so STATUS and RISK sort in the policy's own order rather than alphabetically. */
const positionIn = (values: readonly string[], column: string): string => `array_position(ARRAY[${sqlList(values)}]::text[], ${column})`;

/** The SQL key of each sort (never null, so the keyset comparison holds). */
const SORT_KEYS: Record<GroupSortField, { sql: string; type: SortKey['type'] }> = {
  NAME: { sql: 'lower(g.name)', type: 'text' },
  STATUS: { sql: positionIn(GROUP_STATUSES, 'g.status'), type: 'integer' },
  RISK: { sql: positionIn(RISK_LEVELS, 'g.risk_level'), type: 'integer' },
  // Overdue reviews first (oldest first), then soonest due; groups with no review due last.
  NEXT_REVIEW_DUE: { sql: "coalesce(g.next_review_due, 'infinity'::timestamptz)", type: 'timestamptz' },
  DISCOVERED: { sql: 'g.discovered_at', type: 'timestamptz' },
  UPDATED: { sql: 'g.updated_at', type: 'timestamptz' },
};

export const DEFAULT_GROUP_SORT: GroupSort = { field: 'NEXT_REVIEW_DUE', direction: 'ASC' };

export async function listGroups(
  ctx: RequestContext,
  filter: GroupFilter | undefined,
  sort: GroupSort | undefined,
  first: number,
  after?: string | null,
  options: { withTotal?: boolean } = {},
): Promise<Connection<Group>> {
  const { field, direction } = sort ?? DEFAULT_GROUP_SORT;
  const key = SORT_KEYS[field];
  // Those who may see a group's officer get it in the page's own statement (priming the loader), with the count when asked.
  const officers = allows(ctx.access, 'group.readInternal');
  const page = await paginateBy(filteredGroups(ctx, filter), {
    ordering: `${field}:${direction}`,
    keys: [{ ...key, direction }, { sql: 'g.id', type: 'uuid', direction }],
    first,
    after,
    countWithPage: options.withTotal,
    decoratePage: officers ? (p) => p.leftJoinAndMapOne('g.assignedOfficer', User, 'officer', 'officer.id = g.assigned_officer_id') : undefined,
  });
  if (officers) primeUsers(ctx, page.edges.map((e) => e.node.assignedOfficer));
  return page;
}

async function requireOfficer(ctx: RequestContext, userId: string | null | undefined): Promise<void> {
  if (!userId) return;
  const user = await ctx.manager.findOneBy(User, { id: userId });
  if (!user || user.disabled || !mayBeAssignedGroups(user.roles)) {
    throw badInput('input.assignedOfficerId', 'The assigned officer must be an active member of the social media team.');
  }
}

export async function createGroup(ctx: RequestContext, input: CreateGroupInput): Promise<Group> {
  await requireOfficer(ctx, input.assignedOfficerId);
  const now = new Date();
  const group = ctx.manager.create(Group, {
    name: input.name.trim(),
    platform: input.platform,
    handle: input.handle?.trim() || null,
    url: input.url ?? null,
    kind: input.kind,
    marketsToUniversity: input.marketsToUniversity,
    logoStatus: input.usesLogo ? 'IN_USE' : 'NOT_USED',
    audienceSize: input.audienceSize ?? null,
    discoveryMethod: input.discoveryMethod ?? null,
    discoveredAt: input.discoveredAt ?? now,
    riskLevel: input.riskLevel,
    assignedOfficerId: input.assignedOfficerId ?? null,
    status: 'DISCOVERED',
    nextReviewDue: nextReviewDue(input.riskLevel, now, ctx.config.policy),
    notes: input.notes ?? null,
    createdById: ctx.user?.id ?? null,
  });
  const saved = rememberGroup(ctx, await ctx.manager.save(group));
  await audit(ctx, { action: 'group.create', entityType: 'Group', entityId: saved.id, groupId: saved.id, details: { platform: saved.platform, riskLevel: saved.riskLevel } });
  return saved;
}

export async function updateGroup(ctx: RequestContext, input: UpdateGroupInput): Promise<Group> {
  const group = await requireGroup(ctx, input.id, 'input.id');
  assertVersion('Group', group, input.version);
  if (input.assignedOfficerId !== undefined) await requireOfficer(ctx, input.assignedOfficerId);
  const patch: Partial<Group> = {};
  const keys = ['name', 'platform', 'handle', 'url', 'kind', 'marketsToUniversity', 'audienceSize', 'discoveryMethod', 'riskLevel', 'assignedOfficerId', 'notes'] as const;
  for (const key of keys) {
    if (input[key] !== undefined) (patch as Record<string, unknown>)[key] = typeof input[key] === 'string' ? (input[key] as string).trim() : input[key];
  }
  if (patch.name === null || patch.platform === null || patch.kind === null || patch.riskLevel === null || patch.marketsToUniversity === null) {
    throw badInput('input', 'name, platform, kind, riskLevel and marketsToUniversity cannot be cleared.');
  }
  // A higher risk brings the next review forward; a lower one never pushes it back.
  if (patch.riskLevel && patch.riskLevel !== group.riskLevel && group.status !== 'CLOSED') {
    const sooner = nextReviewDue(patch.riskLevel, new Date(), ctx.config.policy);
    if (!group.nextReviewDue || sooner < group.nextReviewDue) patch.nextReviewDue = sooner;
  }
  const updated = rememberGroup(ctx, await updateVersioned(ctx, Group, 'Group', group.id, input.version, patch));
  await audit(ctx, { action: 'group.update', entityType: 'Group', entityId: group.id, groupId: group.id, details: { fields: Object.keys(patch) } });
  return updated;
}

export async function closeGroup(ctx: RequestContext, input: CloseGroupInput): Promise<Group> {
  const group = await requireGroup(ctx, input.id, 'input.id');
  assertVersion('Group', group, input.version);
  return moveGroup(ctx, group, 'close', {
    statusBeforeClose: group.status,
    closeReason: input.reason.trim(),
    nextReviewDue: null,
  });
}

export async function reopenGroup(ctx: RequestContext, input: ReopenGroupInput): Promise<Group> {
  const group = await requireGroup(ctx, input.id, 'input.id');
  assertVersion('Group', group, input.version);
  return moveGroup(ctx, group, 'reopen', {
    statusBeforeClose: null,
    closeReason: null,
    nextReviewDue: nextReviewDue(group.riskLevel, new Date(), ctx.config.policy),
  });
}

export async function markGroupUnresponsive(ctx: RequestContext, input: MarkGroupUnresponsiveInput): Promise<Group> {
  const group = await requireGroup(ctx, input.id, 'input.id');
  assertVersion('Group', group, input.version);
  return moveGroup(ctx, group, 'markUnresponsive');
}

/** The people groups can be assigned to: active members of the social media team (the policy's rule), by name. */
export async function listAssignableOfficers(ctx: RequestContext): Promise<User[]> {
  const active = await ctx.manager.find(User, { select: { id: true, displayName: true, roles: true }, where: { disabled: false } });
  return active.filter((u) => mayBeAssignedGroups(u.roles)).sort((a, b) => a.displayName.localeCompare(b.displayName) || a.id.localeCompare(b.id));
}

const userLoader = (ctx: RequestContext) =>
  ctx.loader<string, User | null>('userById', async (ids) => indexRows(ids, await ctx.manager.findBy(User, { id: In([...ids]) }), (u) => u.id));

export function loadUser(ctx: RequestContext, id: string): Promise<User | null> {
  return userLoader(ctx).load(id);
}

/** People read with another query (e.g. the officers joined to a page of groups): later loads cost no statement. */
export function primeUsers(ctx: RequestContext, users: readonly (User | null | undefined)[]): void {
  const loader = userLoader(ctx);
  for (const u of users) if (u) loader.prime(u.id, u);
}
