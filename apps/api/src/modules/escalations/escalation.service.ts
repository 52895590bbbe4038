import { In } from 'typeorm';
import { can, checkTransition, ESCALATION_TRANSITIONS, type EscalationFacts, type EscalationStatus } from '@signpost/policy';
import type { RequestContext } from '../../common/context.js';
import { groupRows, indexRows } from '../../common/context.js';
import { audit } from '../../common/audit.js';
import { AppError, badInput, notFound, transitionNotAllowed } from '../../common/errors.js';
import { requireId } from '../../common/ids.js';
import { assertVersion, updateVersioned } from '../../common/versioned.js';
import { advanceGroup } from '../groups/group-lifecycle.service.js';
import { requireGroup } from '../groups/group.service.js';
import { Escalation } from './escalation.entity.js';
import type { ApproveEscalationInput, CloseEscalationInput, RecordEscalationInput, ReportEscalationInput } from './dto/escalation.inputs.js';

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
  if (group.status === 'CLOSED') {
    const unmet = 'the group is CLOSED; reopen it first';
    throw new AppError('TRANSITION_NOT_ALLOWED', `An escalation cannot be recorded for this group: ${unmet}.`, {
      entity: LABEL, from: null, to: 'DRAFT', unmet,
    });
  }
  const { identifiers } = await ctx.manager.insert(Escalation, {
    groupId: group.id,
    kind: input.kind,
    reason: input.reason.trim(),
    status: 'DRAFT',
    createdById: ctx.principal.id,
  });
  const id = identifiers[0]!.id as string;
  await audit(ctx, { action: 'escalation.record', entityType: LABEL, entityId: id, groupId: group.id, details: { kind: input.kind } });
  return ctx.manager.findOneByOrFail(Escalation, { id });
}

/** Checks a move against the policy, writes it, and audits it (ids and statuses only). */
async function moveEscalation(
  ctx: RequestContext,
  escalation: Escalation,
  version: number,
  to: EscalationStatus,
  facts: EscalationFacts,
  patch: (transition: string) => Partial<Escalation>,
  action: string,
): Promise<Escalation> {
  assertVersion(LABEL, escalation, version);
  const check = checkTransition(ESCALATION_TRANSITIONS, escalation.status, to, facts);
  if (!check.ok) throw transitionNotAllowed('The escalation', escalation.status, to, check.unmet);
  const updated = await updateVersioned(ctx, Escalation, LABEL, escalation.id, version, { ...patch(check.transition), status: to });
  await audit(ctx, {
    action,
    entityType: LABEL,
    entityId: escalation.id,
    groupId: escalation.groupId,
    details: { kind: escalation.kind, from: escalation.status, to, transition: check.transition },
  });
  return updated;
}

export async function approveEscalation(ctx: RequestContext, input: ApproveEscalationInput): Promise<Escalation> {
  const escalation = await requireEscalation(ctx, input.id, 'input.id');
  return moveEscalation(ctx, escalation, input.version, 'APPROVED', {}, () => ({ approvedById: ctx.principal.id, approvedAt: new Date() }), 'escalation.approve');
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
  const updated = await moveEscalation(
    ctx,
    escalation,
    input.version,
    'REPORTED',
    { approved: can(ctx.principal, 'escalation.approve'), externalReference },
    (transition) => ({
      reportedAt: input.reportedAt ?? now,
      externalReference,
      ...(transition === 'approveAndReport' ? { approvedById: ctx.principal.id, approvedAt: now } : {}),
    }),
    'escalation.report',
  );
  await advanceGroup(ctx, escalation.groupId, ['ESCALATED']);
  return updated;
}

export async function closeEscalation(ctx: RequestContext, input: CloseEscalationInput): Promise<Escalation> {
  const escalation = await requireEscalation(ctx, input.id, 'input.id');
  return moveEscalation(ctx, escalation, input.version, 'CLOSED', { outcome: input.outcome }, () => ({ outcome: input.outcome.trim() }), 'escalation.close');
}
