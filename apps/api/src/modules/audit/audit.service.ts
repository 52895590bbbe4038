import type { RequestContext } from '../../common/context.js';
import { groupRows } from '../../common/context.js';
import { paginate, type Connection } from '../../common/pagination.js';
import { AuditEvent } from './audit-event.entity.js';
import type { AuditEventFilter } from './dto/audit.inputs.js';
import { verifyAuditChain, type AuditChainStatus } from './audit-chain.js';

import { AUDIT_ACTIONS_OFF_GROUP_TIMELINE, GROUP_STATUS_LABELS } from '@signpost/policy';

/** Events that belong in the audit trail but not in a group's story (the policy's rule; row-level security holds it too). */
const NOT_ON_TIMELINE = AUDIT_ACTIONS_OFF_GROUP_TIMELINE;

/** The audit trail, newest first, for the data protection officer. */
export function listAuditEvents(ctx: RequestContext, filter: AuditEventFilter | undefined, first: number, after?: string | null): Promise<Connection<AuditEvent>> {
  const qb = ctx.manager.createQueryBuilder(AuditEvent, 'e');
  if (filter?.action) qb.andWhere('e.action = :action', { action: filter.action });
  if (filter?.entityType) qb.andWhere('e.entity_type = :entityType', { entityType: filter.entityType });
  if (filter?.entityId) qb.andWhere('e.entity_id = :entityId', { entityId: filter.entityId });
  if (filter?.groupId) qb.andWhere('e.group_id = :groupId', { groupId: filter.groupId });
  if (filter?.actorId) qb.andWhere('e.actor_id = :actorId', { actorId: filter.actorId });
  if (filter?.from) qb.andWhere('e.at >= :from', { from: filter.from });
  if (filter?.to) qb.andWhere('e.at < :to', { to: filter.to });
  return paginate(qb, { sortKey: 'e.id', sortType: 'bigint', idKey: 'e.id', idType: 'bigint', direction: 'DESC', first, after });
}

/**
 * Recomputes the hash chain for the data protection officer, in the request's
 * transaction (whose role must see the whole trail: the DPO's does).
 */
export function auditChainStatus(ctx: RequestContext): Promise<AuditChainStatus> {
  return verifyAuditChain(ctx.manager);
}

/** The most recent `first` timeline events of each group asked for in this request, in one statement. */
export function loadTimeline(ctx: RequestContext, groupId: string, first: number): Promise<AuditEvent[]> {
  return ctx
    .loader<string, AuditEvent[]>(`timeline:${first}`, async (groupIds) => {
      // A lateral join takes the newest events of every group in one statement, each from the (group_id, id) index.
      const raw: Record<string, unknown>[] = await ctx.manager.query(
        `SELECT e.id::text AS "id", e.at AS "at", e.actor_id AS "actorId", e.actor_label AS "actorLabel", e.action AS "action",
                e.entity_type AS "entityType", e.entity_id AS "entityId", e.group_id AS "groupId",
                e.referral_team AS "referralTeam", e.request_id AS "requestId", e.details AS "details",
                e.seq::text AS "seq", e.prev_hash AS "prevHash", e.hash AS "hash"
           FROM unnest($1::uuid[]) AS g(id)
           CROSS JOIN LATERAL (
             SELECT * FROM audit_events x WHERE x.group_id = g.id AND NOT (x.action = ANY($2)) ORDER BY x.id DESC LIMIT $3
           ) e
          ORDER BY e.id DESC`,
        [[...groupIds], NOT_ON_TIMELINE, first],
      );
      const rows = raw.map((r) => ctx.manager.create(AuditEvent, r as Partial<AuditEvent>));
      return groupRows(groupIds, rows, (e) => e.groupId!);
    })
    .load(groupId);
}

/** A status as people read it: its label (an unknown value, e.g. from an older release, as it was written). */
const status = (s: string): string => (GROUP_STATUS_LABELS as Record<string, string>)[s] ?? s;

const TEMPLATES: Record<string, (d: Record<string, any>) => string> = {
  'group.create': () => 'Group recorded',
  'group.update': (d) => `Details changed${d.fields?.length ? `: ${d.fields.join(', ')}` : ''}`,
  'group.status': (d) => `Status ${d.from ? `${status(d.from)} → ` : 'now '}${status(d.to)}${d.automatic ? ' (automatic)' : ''}`,
};

/** A sentence for the portal's timeline; details never hold personal data, so neither does this. */
export function describeEvent(event: AuditEvent): string {
  const template = TEMPLATES[event.action];
  if (template) return template(event.details ?? {});
  const [entity, verb] = event.action.split('.');
  const words = (s: string) => s.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
  const sentence = `${words(entity ?? '')} ${words(verb ?? '')}`.trim();
  const team = event.referralTeam ? ` (${event.referralTeam})` : '';
  return sentence.charAt(0).toUpperCase() + sentence.slice(1) + team;
}
