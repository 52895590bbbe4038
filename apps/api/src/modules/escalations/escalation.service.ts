import { In } from 'typeorm';
import { checkEscalationAction, GROUP_CLOSED_UNMET, type AuditAction, type EscalationAction } from '@signpost/policy';
import type { RequestContext } from '../../common/context.js';
import { groupRows, indexRows } from '../../common/context.js';
import { audit } from '../../common/audit.js';
import { badInput, notFound, transitionNotAllowed } from '../../common/errors.js';
import { refusalOf } from '../../common/authorization.js';
import { requireId } from '../../common/ids.js';
import { assertVersion, updateVersioned } from '../../common/versioned.js';
import { raiseGroupEvents } from '../groups/group-lifecycle.service.js';
import { requireGroup } from '../groups/group.service.js';
import { Escalation } from './escalation.entity.js';
import type { ApproveEscalationInput, CloseEscalationInput, EscalationFilter, RecordEscalationInput, ReportEscalationInput } from './dto/escalation.inputs.js';
import { paginate, type Connection } from '../../common/pagination.js';

const LABEL = 'Escalation';

export function loadEscalation(ctx: RequestContext, id: string): Promise<Escalation | null> {
  return ctx
    .loader<string, Escalation | null>('escalationById', async (ids) =>
      indexRows(ids, await ctx.manager.findBy(Escalation, { id: In([...ids]) }), (e) => e.id),
    )
    .load(id);
}

export async function requireEscalation(ctx: RequestContext, id: string, field = 'id'): Promise<Escalation> {
  const escalation = await loadEscalation(ctx, requireId(id, field));
  if (!escalation) throw notFound(LABEL);
  return escalation;
}

/** `escalations(filter, first, after)`: newest first, for the lead's list of what awaits approval or a report. */
export function listEscalations(ctx: RequestContext, filter: EscalationFilter | undefined, first: number, after?: string | null): Promise<Connection<Escalation>> {
  const qb = ctx.manager.createQueryBuilder(Escalation, 'e');
  if (filter?.status?.length) qb.andWhere('e.status IN (:...status)', { status: filter.status });
  if (filter?.kind?.length) qb.andWhere('e.kind IN (:...kind)', { kind: filter.kind });
  if (filter?.groupId) qb.andWhere('e.group_id = :groupId', { groupId: filter.groupId });
  return paginate(qb, { sortKey: 'e.created_at', sortType: 'timestamptz', idKey: 'e.id', idType: 'uuid', direction: 'DESC', first, after });
}

/** Group.escalations, newest first, batched over the groups of a request. */
export function escalationsOfGroup(ctx: RequestContext, groupId: string): Promise<Escalation[]> {
  return ctx
    .loader<string, Escalation[]>('escalationsByGroup', async (groupIds) => {
      const rows = await ctx.manager.find(Escalation, {
        where: { groupId: In([...groupIds]) },
        order: { createdAt: 'DESC', id: 'DESC' },
      });
      return groupRows(groupIds, rows, (e) => e.groupId);
    })
    .load(groupId);
}

export async function recordEscalation(ctx: RequestContext, input: RecordEscalationInput): Promise<Escalation> {
  const group = await requireGroup(ctx, input.groupId, 'input.groupId');
  if (group.status === 'CLOSED') throw transitionNotAllowed(LABEL, null, 'DRAFT', [GROUP_CLOSED_UNMET], 'recordEscalation');
  const { identifiers } = await ctx.manager.insert(Escalation, {
    groupId: group.id,
    kind: input.kind,
    reason: input.reason.trim(),
    status: 'DRAFT',
    createdById: ctx.access.principalId,
  });
  const id = identifiers[0]!.id as string;
  await audit(ctx, { action: 'escalation.record', entityType: LABEL, entityId: id, groupId: group.id, details: { kind: input.kind } });
  return ctx.manager.findOneByOrFail(Escalation, { id });
}

/**
 * Takes an action on an escalation: the policy's answer for this caller (the
 * same as Escalation.availableActions) decides, or it is refused with every
 * reason. Writes the move and its audit event (ids and statuses only).
 */
async function actOnEscalation(
  ctx: RequestContext,
  escalation: Escalation,
  version: number,
  action: EscalationAction,
  patch: (transition: string) => Partial<Escalation>,
  auditAction: AuditAction,
): Promise<Escalation> {
  assertVersion(LABEL, escalation, version);
  const answer = checkEscalationAction(ctx.access, action, escalation);
  if (!answer.allowed || !answer.transition) throw refusalOf(LABEL, escalation.status, answer);
  const to = answer.to!;
  const updated = await updateVersioned(ctx, Escalation, LABEL, escalation.id, version, { ...patch(answer.transition), status: to });
  await audit(ctx, {
    action: auditAction,
    entityType: LABEL,
    entityId: escalation.id,
    groupId: escalation.groupId,
    details: { kind: escalation.kind, from: escalation.status, to, transition: answer.transition },
  });
  return updated;
}

export async function approveEscalation(ctx: RequestContext, input: ApproveEscalationInput): Promise<Escalation> {
  const escalation = await requireEscalation(ctx, input.id, 'input.id');
  return actOnEscalation(ctx, escalation, input.version, 'approve', () => ({ approvedById: ctx.access.principalId, approvedAt: new Date() }), 'escalation.approve');
}

/**
 * Records that the report was made. From DRAFT only a lead may do it, which
 * approves it in the same step. The group then moves to ESCALATED where the
 * policy allows.
 */
export async function reportEscalation(ctx: RequestContext, input: ReportEscalationInput): Promise<Escalation> {
  const now = new Date();
  if (input.reportedAt && input.reportedAt.getTime() > now.getTime() + 60_000) {
    throw badInput('input.reportedAt', 'reportedAt cannot be in the future.');
  }
  const escalation = await requireEscalation(ctx, input.id, 'input.id');
  const externalReference = input.externalReference?.trim() || null;
  const updated = await actOnEscalation(
    ctx,
    escalation,
    input.version,
    'report',
    (transition) => ({
      reportedAt: input.reportedAt ?? now,
      externalReference,
      ...(transition === 'approveAndReport' ? { approvedById: ctx.access.principalId, approvedAt: now } : {}),
    }),
    'escalation.report',
  );
  await raiseGroupEvents(ctx, escalation.groupId, ['ESCALATION_REPORTED']);
  return updated;
}

export async function closeEscalation(ctx: RequestContext, input: CloseEscalationInput): Promise<Escalation> {
  const escalation = await requireEscalation(ctx, input.id, 'input.id');
  return actOnEscalation(ctx, escalation, input.version, 'close', () => ({ outcome: input.outcome.trim() }), 'escalation.close');
}
