import type { Team } from '@signpost/policy';
import type { RequestContext } from './context.js';
import { AuditEvent } from '../modules/audit/audit-event.entity.js';

export interface AuditInput {
  action: string;
  entityType: string;
  entityId: string | null;
  groupId?: string | null;
  referralTeam?: Team | null;
  /** No personal data here: audit events outlive erasure. */
  details?: Record<string, unknown>;
}

/** Writes an audit event in the request's transaction, so it commits or rolls back with the change. */
export async function audit(ctx: RequestContext, input: AuditInput): Promise<void> {
  await ctx.manager.insert(AuditEvent, {
    actorId: ctx.principal.kind === 'user' ? ctx.principal.id : null,
    actorLabel: ctx.user?.email ?? (ctx.principal.kind === 'service' ? `service:${ctx.principal.id}` : 'system'),
    action: input.action,
    entityType: input.entityType,
    entityId: input.entityId,
    groupId: input.groupId ?? null,
    referralTeam: input.referralTeam ?? null,
    requestId: ctx.requestId,
    details: (input.details ?? {}) as never,
  });
}
