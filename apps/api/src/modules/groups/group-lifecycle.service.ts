import {
  REFUSAL_OUTCOMES, checkGroupMove, settleGroup, type GroupEvent, type GroupFacts, type GroupManualTransition, type GroupStatus, type Placement, type PlacementState,
  type ReferralReason,
} from '@signpost/policy';
import type { RequestContext } from '../../common/context.js';
import { audit } from '../../common/audit.js';
import { transitionNotAllowed } from '../../common/errors.js';
import { updateVersioned } from '../../common/versioned.js';
import { Group } from './group.entity.js';
import { rememberGroup } from './group.service.js';

/** Gathers, in one statement, what the policy's group guards need to know about these groups. */
export async function loadGroupFactsMany(ctx: RequestContext, groupIds: readonly string[]): Promise<Map<string, GroupFacts>> {
  if (groupIds.length === 0) return new Map();
  const rows: {
    id: string; logo_status: Group['logoStatus']; status_before_close: GroupStatus | null; outbound: number; inbound: number; days_since_first_outbound: number | null; inbound_since_last_outbound: boolean;
    refusal: boolean; agreed_wording: boolean; placements: Partial<Record<Placement, PlacementState>>; referral_reasons: ReferralReason[];
    reported_escalation: boolean;
  }[] = await ctx.manager.query(
    `SELECT g.id, g.logo_status, g.status_before_close,
       (SELECT count(*) FROM contact_log_entries c WHERE c.group_id = g.id AND c.direction = 'OUTBOUND')::int AS outbound,
       (SELECT count(*) FROM contact_log_entries c WHERE c.group_id = g.id AND c.direction = 'INBOUND')::int AS inbound,
       (SELECT floor(extract(epoch FROM now() - min(c.occurred_at)) / 86400)::int FROM contact_log_entries c
         WHERE c.group_id = g.id AND c.direction = 'OUTBOUND') AS days_since_first_outbound,
       EXISTS (SELECT 1 FROM contact_log_entries c WHERE c.group_id = g.id AND c.direction = 'INBOUND'
                 AND c.occurred_at > (SELECT max(o.occurred_at) FROM contact_log_entries o WHERE o.group_id = g.id AND o.direction = 'OUTBOUND')) AS inbound_since_last_outbound,
       EXISTS (SELECT 1 FROM contact_log_entries c WHERE c.group_id = g.id AND c.outcome = ANY($2::text[])) AS refusal,
       agreed.id IS NOT NULL AS agreed_wording,
       (SELECT coalesce(json_object_agg(p.placement, p.state), '{}'::json) FROM placements p WHERE p.agreement_id = agreed.id) AS placements,
       (SELECT coalesce(array_agg(DISTINCT r.reason), '{}') FROM referrals r WHERE r.group_id = g.id AND r.submitted_at IS NOT NULL) AS referral_reasons,
       EXISTS (SELECT 1 FROM escalations e WHERE e.group_id = g.id AND e.reported_at IS NOT NULL) AS reported_escalation
     FROM groups g
     LEFT JOIN LATERAL (SELECT a.id FROM wording_agreements a WHERE a.group_id = g.id AND a.status = 'AGREED'
                         ORDER BY a.approved_at DESC NULLS LAST LIMIT 1) agreed ON true
     WHERE g.id = ANY($1::uuid[])`,
    [[...groupIds], REFUSAL_OUTCOMES],
  );
  const out = new Map<string, GroupFacts>();
  for (const row of rows) {
    out.set(row.id, {
      outboundContacts: row.outbound,
      inboundContacts: row.inbound,
      daysSinceFirstOutbound: row.days_since_first_outbound,
      inboundSinceLastOutbound: row.inbound_since_last_outbound,
      refusalRecorded: row.refusal,
      agreedWording: row.agreed_wording,
      placements: { PINNED_MESSAGE: row.placements.PINNED_MESSAGE ?? 'NOT_PUBLISHED', AUTO_RESPONSE: row.placements.AUTO_RESPONSE ?? 'NOT_PUBLISHED' },
      logoStatus: row.logo_status,
      submittedReferralReasons: row.referral_reasons,
      reportedEscalation: row.reported_escalation,
      statusBeforeClose: row.status_before_close,
      config: ctx.config.policy,
    });
  }
  return out;
}

const factsLoader = (ctx: RequestContext) =>
  ctx.loader<string, GroupFacts>('groupFacts', async (ids) => {
    const facts = await loadGroupFactsMany(ctx, ids);
    return ids.map((id) => facts.get(id) ?? new Error(`No facts for group ${id}`));
  });

/** The facts of one group, batched with the other groups this request reads (availableTransitions of a page). */
export function loadGroupFacts(ctx: RequestContext, groupId: string): Promise<GroupFacts> {
  return factsLoader(ctx).load(groupId);
}

/** What the guards decide on now: never a cached answer, for the change being made. */
async function freshFacts(ctx: RequestContext, groupId: string): Promise<GroupFacts> {
  factsLoader(ctx).clear(groupId);
  return loadGroupFacts(ctx, groupId);
}

async function writeMove(ctx: RequestContext, group: Group, to: GroupStatus, transition: string, automatic: boolean, patch: Partial<Group> = {}): Promise<Group> {
  const now = new Date();
  const firstCompliance = to === 'COMPLIANT' && !group.firstCompliantAt ? { firstCompliantAt: now } : {};
  const updated = rememberGroup(ctx, await updateVersioned(ctx, Group, 'Group', group.id, group.version, { ...patch, ...firstCompliance, status: to }));
  factsLoader(ctx).clear(group.id);
  await audit(ctx, {
    action: 'group.status',
    entityType: 'Group',
    entityId: group.id,
    groupId: group.id,
    details: { from: group.status, to, transition, ...(automatic ? { automatic: true } : {}) },
  });
  return updated;
}

/**
 * A move only a person makes (close, reopen, mark unresponsive): the policy
 * picks the target and judges it, or it is refused naming every unmet
 * condition. Writes the audit event.
 */
export async function moveGroup(ctx: RequestContext, group: Group, name: GroupManualTransition, patch: Partial<Group> = {}): Promise<Group> {
  const facts = await freshFacts(ctx, group.id);
  const check = checkGroupMove(group.status, name, facts);
  if (!check.ok) throw transitionNotAllowed('Group', group.status, check.to, check.unmet, name);
  return writeMove(ctx, group, check.move.to, check.move.transition, false, patch);
}

/**
 * Something happened to a group (a contact, an approval, a placement, a
 * review…): the policy decides where the group settles, and each move it makes
 * is written with its audit event. Services raise the events; none of them
 * knows which statuses follow. Returns the group as it now stands.
 */
export async function raiseGroupEvents(ctx: RequestContext, groupId: string, events: readonly GroupEvent[]): Promise<Group> {
  let group = await ctx.manager.findOneByOrFail(Group, { id: groupId });
  // Fresh facts: the change that raised the events is in this transaction already.
  const facts = await freshFacts(ctx, group.id);
  for (const move of settleGroup(group.status, facts, events)) {
    group = await writeMove(ctx, group, move.to, move.transition, true);
  }
  factsLoader(ctx).clear(group.id);
  return group;
}
