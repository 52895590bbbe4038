import type { Team } from '@signpost/policy';
import type { RequestContext } from './context.js';
import { AuditEvent } from '../modules/audit/audit-event.entity.js';

export interface AuditInput {
  action: string;
  entityType: string;
  entityId: string | null;
  groupId?: string | null;
  referralTeam?: Team | null;
  /** No personal data here: audit events outlive erasure, and these fields are hashed into the chain. */
  details?: Record<string, unknown>;
}

/** Writes an audit event in the request's transaction, so it commits or rolls back with the change. */
export async function audit(ctx: RequestContext, input: AuditInput): Promise<void> {
  await auditMany(ctx, [input]);
}

/**
 * Writes several audit events as one INSERT, in the request's transaction.
 * The database stamps `at` and chains each row (`seq`, `prev_hash`, `hash`):
 * whatever a writer passes for those is replaced.
 */
export async function auditMany(ctx: RequestContext, inputs: readonly AuditInput[]): Promise<void> {
  if (inputs.length === 0) return;
  const actorId = ctx.principal.kind === 'user' ? ctx.principal.id : null;
  // The only personal field of an event, kept out of the hash so it can be erased.
  const actorLabel = ctx.user?.email ?? (ctx.principal.kind === 'service' ? `service:${ctx.principal.id}` : 'system');
  await ctx.manager.insert(
    AuditEvent,
    inputs.map((input) => ({
      actorId,
      actorLabel,
      action: input.action,
      entityType: input.entityType,
      entityId: input.entityId,
      groupId: input.groupId ?? null,
      referralTeam: input.referralTeam ?? null,
      requestId: ctx.requestId,
      details: (input.details ?? {}) as never,
    })),
  );
}
