import { In } from 'typeorm';
import { nextReviewDue, type GroupStatus } from '@signpost/policy';
import type { RequestContext } from '../../common/context.js';
import { indexRows } from '../../common/context.js';
import { audit } from '../../common/audit.js';
import { badInput, notFound } from '../../common/errors.js';
import { requireId } from '../../common/ids.js';
import { paginate, type Connection } from '../../common/pagination.js';
import { assertVersion, updateVersioned } from '../../common/versioned.js';
import { User } from '../users/user.entity.js';
import { Group } from './group.entity.js';
import type { CloseGroupInput, CreateGroupInput, GroupFilter, MarkGroupUnresponsiveInput, ReopenGroupInput, UpdateGroupInput } from './dto/group.inputs.js';
import { transitionGroup } from './group-lifecycle.service.js';

/** Overdue reviews first (oldest first), then soonest due; groups with no review due last. */
const REVIEW_SORT = "coalesce(g.next_review_due, 'infinity'::timestamptz)";

const groupLoader = (ctx: RequestContext) =>
  ctx.loader<string, Group | null>('groupById', async (ids) => indexRows(ids, await ctx.manager.findBy(Group, { id: In([...ids]) }), (g) => g.id));

/** Loads one group, batched with the other groups this request asks for. */
export function loadGroup(ctx: RequestContext, id: string): Promise<Group | null> {
  return groupLoader(ctx).load(id);
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

export async function listGroups(ctx: RequestContext, filter: GroupFilter | undefined, first: number, after?: string | null): Promise<Connection<Group>> {
  const qb = ctx.manager.createQueryBuilder(Group, 'g');
  if (filter?.status?.length) qb.andWhere('g.status IN (:...status)', { status: filter.status });
  if (filter?.platform?.length) qb.andWhere('g.platform IN (:...platform)', { platform: filter.platform });
  if (filter?.riskLevel?.length) qb.andWhere('g.risk_level IN (:...riskLevel)', { riskLevel: filter.riskLevel });
  if (filter?.assignedOfficerId) qb.andWhere('g.assigned_officer_id = :officer', { officer: filter.assignedOfficerId });
  if (filter?.overdueReview === true) qb.andWhere('g.next_review_due < now()');
  if (filter?.overdueReview === false) qb.andWhere('(g.next_review_due IS NULL OR g.next_review_due >= now())');
  if (filter?.search?.trim()) {
    const like = `%${filter.search.trim().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    qb.andWhere('(g.name ILIKE :like OR g.handle ILIKE :like)', { like });
  }
  return paginate(qb, { sortKey: REVIEW_SORT, sortType: 'timestamptz', idKey: 'g.id', idType: 'uuid', direction: 'ASC', first, after });
}

async function requireOfficer(ctx: RequestContext, userId: string | null | undefined): Promise<void> {
  if (!userId) return;
  const user = await ctx.manager.findOneBy(User, { id: userId });
  if (!user || user.disabled || !user.roles.some((r) => r === 'SOCIAL_MEDIA_OFFICER' || r === 'SOCIAL_MEDIA_LEAD')) {
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
  return transitionGroup(ctx, group, 'CLOSED', { closeReason: input.reason }, {
    statusBeforeClose: group.status,
    closeReason: input.reason.trim(),
    nextReviewDue: null,
  });
}

export async function reopenGroup(ctx: RequestContext, input: ReopenGroupInput): Promise<Group> {
  const group = await requireGroup(ctx, input.id, 'input.id');
  assertVersion('Group', group, input.version);
  const to: GroupStatus = group.statusBeforeClose ?? 'DISCOVERED';
  return transitionGroup(ctx, group, to, {}, {
    statusBeforeClose: null,
    closeReason: null,
    nextReviewDue: nextReviewDue(group.riskLevel, new Date(), ctx.config.policy),
  });
}

export async function markGroupUnresponsive(ctx: RequestContext, input: MarkGroupUnresponsiveInput): Promise<Group> {
  const group = await requireGroup(ctx, input.id, 'input.id');
  assertVersion('Group', group, input.version);
  return transitionGroup(ctx, group, 'UNRESPONSIVE');
}

export function loadUser(ctx: RequestContext, id: string): Promise<User | null> {
  return ctx
    .loader<string, User | null>('userById', async (ids) => indexRows(ids, await ctx.manager.findBy(User, { id: In([...ids]) }), (u) => u.id))
    .load(id);
}
