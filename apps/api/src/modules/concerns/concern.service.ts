import { In } from 'typeorm';
import { escalationPrompted, nextReviewDue, RISK_LEVELS, type RiskLevel, type Severity } from '@signpost/policy';
import type { RequestContext } from '../../common/context.js';
import { groupRows } from '../../common/context.js';
import { audit } from '../../common/audit.js';
import { FieldErrors } from '../../common/errors.js';
import { requireId } from '../../common/ids.js';
import { loadAdministrator } from '../administrators/administrator.service.js';
import { updateVersioned } from '../../common/versioned.js';
import { Group } from '../groups/group.entity.js';
import { requireGroup } from '../groups/group.service.js';
import { assertGroupOpen } from '../groups/group-access.js';
import { Concern } from './concern.entity.js';
import type { RecordConcernInput } from './dto/concern.inputs.js';
import type { RecordConcernPayload } from './concern.types.js';

/** Clocks differ a little between a phone and the server; more than this is a mistake. */
const FUTURE_TOLERANCE_MS = 5 * 60 * 1000;

/** Severities that, when above the group's risk level, raise it. */
const RAISING_SEVERITIES: readonly Severity[] = ['HIGH', 'CRITICAL'];

/** Severity and risk level share their names (LOW … CRITICAL), so one ranks against the other by position. */
const rank = (level: RiskLevel | Severity): number => RISK_LEVELS.indexOf(level as RiskLevel);

/** A group's concerns, newest first, batched across groups. */
export function concernsOfGroup(ctx: RequestContext, groupId: string): Promise<Concern[]> {
  return ctx
    .loader<string, Concern[]>('concernsByGroup', async (groupIds) =>
      groupRows(
        groupIds,
        await ctx.manager.find(Concern, {
          where: { groupId: In([...groupIds]) },
          order: { seenAt: 'DESC', createdAt: 'DESC', id: 'DESC' },
        }),
        (c) => c.groupId,
      ))
    .load(groupId);
}

/**
 * Whether a group has a concern that prompts an escalation and no escalation
 * yet. The policy's `escalationPrompted` decides which concerns prompt one, so
 * SQL only narrows to the distinct (category, severity) pairs of groups with
 * no escalation.
 */
export function groupEscalationPrompted(ctx: RequestContext, groupId: string): Promise<boolean> {
  return ctx
    .loader<string, boolean>('escalationPromptedByGroup', async (groupIds) => {
      const rows: { group_id: string; category: Concern['category']; severity: Concern['severity'] }[] = await ctx.manager.query(
        `SELECT DISTINCT c.group_id, c.category, c.severity
           FROM concerns c
          WHERE c.group_id = ANY($1::uuid[])
            AND NOT EXISTS (SELECT 1 FROM escalations e WHERE e.group_id = c.group_id)`,
        [[...groupIds]],
      );
      const prompted = new Set(rows.filter((r) => escalationPrompted(r)).map((r) => r.group_id));
      return groupIds.map((id) => prompted.has(id));
    })
    .load(groupId);
}

export async function recordConcern(ctx: RequestContext, input: RecordConcernInput): Promise<RecordConcernPayload> {
  const faults = new FieldErrors();
  if (input.seenAt.getTime() > Date.now() + FUTURE_TOLERANCE_MS) {
    faults.add('input.seenAt', 'seenAt is in the future; give the time the content was seen.');
  }
  let group = await requireGroup(ctx, input.groupId, 'input.groupId');
  const administratorId = input.administratorId ? requireId(input.administratorId, 'input.administratorId') : null;
  if (administratorId) {
    const admin = await loadAdministrator(ctx, administratorId);
    if (!admin || admin.groupId !== group.id) faults.add('input.administratorId', 'administratorId is not an administrator recorded for this group.');
  }
  faults.throwIfAny();
  assertGroupOpen(group, 'record a concern on it');

  const concern = await ctx.manager.save(
    ctx.manager.create(Concern, {
      groupId: group.id,
      administratorId,
      category: input.category,
      severity: input.severity,
      link: input.link ?? null,
      description: input.description?.trim() || null,
      seenAt: input.seenAt,
      actionTaken: input.actionTaken,
      createdById: ctx.user?.id ?? null,
    }),
  );
  const prompted = escalationPrompted(concern);
  await audit(ctx, {
    action: 'concern.record',
    entityType: 'Concern',
    entityId: concern.id,
    groupId: group.id,
    details: { category: concern.category, severity: concern.severity, actionTaken: concern.actionTaken, escalationPrompted: prompted },
  });

  // A serious concern means the group is at least that risky: raise it, and bring the review forward like updateGroup does.
  if (RAISING_SEVERITIES.includes(concern.severity) && rank(concern.severity) > rank(group.riskLevel)) {
    const from = group.riskLevel;
    const to = concern.severity as RiskLevel;
    const patch: Partial<Group> = { riskLevel: to };
    const sooner = nextReviewDue(to, new Date(), ctx.config.policy);
    if (!group.nextReviewDue || sooner < group.nextReviewDue) patch.nextReviewDue = sooner;
    group = await updateVersioned(ctx, Group, 'Group', group.id, group.version, patch);
    await audit(ctx, {
      action: 'group.update',
      entityType: 'Group',
      entityId: group.id,
      groupId: group.id,
      details: { fields: Object.keys(patch), riskLevelFrom: from, riskLevelTo: to, cause: 'concern', concernId: concern.id },
    });
  }
  return { concern, group, escalationPrompted: prompted };
}
