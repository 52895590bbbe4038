import type { AuditAction, Team } from '@signpost/policy';
import type { RequestContext } from './context.js';
import { escapeLiteral } from 'pg';
import { transactionOf } from './request-transaction.js';

export interface AuditInput {
  /** One of the policy's registry of audit actions: a new action is added there, with its label, first. */
  action: AuditAction;
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
 * Writes several audit events as one INSERT, in the request's transaction, in
 * the given order. The database stamps `at`; the sealer chains the rows
 * (`seq`, `prev_hash`, `hash`) once they commit, so the insert takes no lock
 * (AuditChainSealedAfterCommit migration). No RETURNING: a writer need not be able to read the
 * trail back (row-level security lets most roles append but not read).
 */
export async function auditMany(ctx: RequestContext, inputs: readonly AuditInput[]): Promise<void> {
  if (inputs.length === 0) return;
  const actorId = ctx.access.kind === 'user' ? ctx.access.principalId : null;
  // The only personal field of an event, kept out of the hash so it can be erased.
  const actorLabel = ctx.user?.email ?? (ctx.access.kind === 'service' ? `service:${ctx.access.principalId}` : 'system');
  const transaction = transactionOf(ctx);
  if (transaction?.defersAudit) {
    // The request's events go with its COMMIT, in the same round trip: they are recorded, or the commit
    // fails, the change is undone and the caller is shown nothing (request-transaction.ts).
    transaction.deferAudit(auditInsertSql(actorId, actorLabel, ctx.requestId, inputs));
    return;
  }
  await ctx.manager.query(
    `INSERT INTO audit_events (actor_id, actor_label, request_id, action, entity_type, entity_id, group_id, referral_team, details)
     SELECT $1::uuid, $2, $3, e.action, e.entity_type, e.entity_id, e.group_id, e.referral_team, e.details
       FROM unnest($4::text[], $5::text[], $6::uuid[], $7::uuid[], $8::text[], $9::jsonb[])
            WITH ORDINALITY AS e(action, entity_type, entity_id, group_id, referral_team, details, ord)
      ORDER BY e.ord`,
    [
      actorId,
      actorLabel,
      ctx.requestId,
      inputs.map((i) => i.action),
      inputs.map((i) => i.entityType),
      inputs.map((i) => i.entityId),
      inputs.map((i) => i.groupId ?? null),
      inputs.map((i) => i.referralTeam ?? null),
      inputs.map((i) => JSON.stringify(i.details ?? {})),
    ],
  );
  transactionOf(ctx)?.noteAudited();
}

/** The same INSERT with its values inlined as literals, for a batch sent in one round trip (simple protocol). */
function auditInsertSql(actorId: string | null, actorLabel: string, requestId: string, inputs: readonly AuditInput[]): string {
  const lit = (v: string | null | undefined) => (v === null || v === undefined ? 'NULL' : escapeLiteral(v));
  const rows = inputs.map(
    (i) =>
      `(${lit(actorId)}::uuid, ${lit(actorLabel)}, ${lit(requestId)}, ${lit(i.action)}, ${lit(i.entityType)}, ${lit(i.entityId)}::uuid, ` +
      `${lit(i.groupId)}::uuid, ${lit(i.referralTeam)}, ${lit(JSON.stringify(i.details ?? {}))}::jsonb)`,
  );
  return `INSERT INTO audit_events (actor_id, actor_label, request_id, action, entity_type, entity_id, group_id, referral_team, details) VALUES ${rows.join(', ')}`;
}
