import {
  checkTransition, GROUP_TRANSITIONS, type GroupFacts, type GroupStatus, type Placement, type PlacementState,
} from '@signpost/policy';
import type { RequestContext } from '../../common/context.js';
import { audit } from '../../common/audit.js';
import { transitionNotAllowed } from '../../common/errors.js';
import { updateVersioned } from '../../common/versioned.js';
import { Group } from './group.entity.js';
import { rememberGroup } from './group.service.js';

/** Gathers, in one statement, what the policy's group guards need to know. */
export async function loadGroupFacts(ctx: RequestContext, group: Group): Promise<GroupFacts> {
  const [row] = await ctx.manager.query(
    `WITH c AS (SELECT direction, outcome, occurred_at FROM contact_log_entries WHERE group_id = $1),
          agreed AS (SELECT id FROM wording_agreements WHERE group_id = $1 AND status = 'AGREED' ORDER BY approved_at DESC NULLS LAST LIMIT 1)
     SELECT
       (SELECT count(*) FROM c WHERE direction = 'OUTBOUND')::int AS outbound,
       (SELECT count(*) FROM c WHERE direction = 'INBOUND')::int AS inbound,
       (SELECT floor(extract(epoch FROM now() - min(occurred_at)) / 86400)::int FROM c WHERE direction = 'OUTBOUND') AS days_since_first_outbound,
       EXISTS (SELECT 1 FROM c WHERE direction = 'INBOUND'
                 AND occurred_at > (SELECT max(occurred_at) FROM c WHERE direction = 'OUTBOUND')) AS inbound_since_last_outbound,
       EXISTS (SELECT 1 FROM c WHERE outcome IN ('REFUSED_TO_ENGAGE', 'REFUSED_ACCOUNTABILITY')) AS refusal,
       EXISTS (SELECT 1 FROM agreed) AS agreed_wording,
       (SELECT coalesce(json_object_agg(p.placement, p.state), '{}'::json) FROM placements p WHERE p.agreement_id = (SELECT id FROM agreed)) AS placements,
       EXISTS (SELECT 1 FROM referrals WHERE group_id = $1 AND status <> 'DRAFT') AS submitted_referral,
       EXISTS (SELECT 1 FROM escalations WHERE group_id = $1 AND status IN ('REPORTED', 'CLOSED')) AS reported_escalation`,
    [group.id],
  );
  const placements = row.placements as Partial<Record<Placement, PlacementState>>;
  return {
    outboundContacts: row.outbound,
    inboundContacts: row.inbound,
    daysSinceFirstOutbound: row.days_since_first_outbound,
    inboundSinceLastOutbound: row.inbound_since_last_outbound,
    refusalRecorded: row.refusal,
    agreedWording: row.agreed_wording,
    placements: { PINNED_MESSAGE: placements.PINNED_MESSAGE ?? 'NOT_PUBLISHED', AUTO_RESPONSE: placements.AUTO_RESPONSE ?? 'NOT_PUBLISHED' },
    logoStatus: group.logoStatus,
    submittedReferral: row.submitted_referral,
    reportedEscalation: row.reported_escalation,
    statusBeforeClose: group.statusBeforeClose,
    config: ctx.config.policy,
  };
}

/**
 * Moves a group to `to` if the policy allows it, or throws
 * TRANSITION_NOT_ALLOWED naming the unmet condition. Writes the audit event.
 */
export async function transitionGroup(
  ctx: RequestContext,
  group: Group,
  to: GroupStatus,
  extra: Partial<GroupFacts> = {},
  patch: Partial<Group> = {},
): Promise<Group> {
  const facts = { ...(await loadGroupFacts(ctx, group)), ...extra };
  const check = checkTransition(GROUP_TRANSITIONS, group.status, to, facts);
  if (!check.ok) throw transitionNotAllowed('The group', group.status, to, check.unmet);
  const updated = rememberGroup(ctx, await updateVersioned(ctx, Group, 'Group', group.id, group.version, { ...patch, status: to }));
  await audit(ctx, {
    action: 'group.status',
    entityType: 'Group',
    entityId: group.id,
    groupId: group.id,
    details: { from: group.status, to, transition: check.transition },
  });
  return updated;
}

/**
 * After a change elsewhere (a contact, an approval, a review...), moves the
 * group along the first of `targets` whose guard now passes; otherwise leaves
 * it where it is. Returns the group as it now stands.
 */
export async function advanceGroup(ctx: RequestContext, groupId: string, targets: GroupStatus[], extra: Partial<GroupFacts> = {}): Promise<Group> {
  let group = await ctx.manager.findOneByOrFail(Group, { id: groupId });
  const facts = { ...(await loadGroupFacts(ctx, group)), ...extra };
  for (const to of targets) {
    if (to === group.status) continue;
    const check = checkTransition(GROUP_TRANSITIONS, group.status, to, facts);
    if (check.ok) {
      const from = group.status;
      group = rememberGroup(ctx, await updateVersioned(ctx, Group, 'Group', group.id, group.version, { status: to }));
      await audit(ctx, {
        action: 'group.status',
        entityType: 'Group',
        entityId: group.id,
        groupId: group.id,
        details: { from, to, transition: check.transition, automatic: true },
      });
      break;
    }
  }
  return group;
}
