import type { DataSource } from 'typeorm';
import { AUDIT_ACTION_RULES, isAuditAction } from '@signpost/policy';

/**
 * What is wrong with the audit trail a test wrote, measured against the
 * policy's registry of audit actions: an action it does not list (so no label,
 * no sentence, no place in the DPO's filter), or an event about no group that
 * names one anyway (it would show on that group's timeline). Every test
 * environment runs this on close, so every e2e walk checks what the API
 * really wrote, whichever path wrote it (resolvers, sign-in, OIDC, the CLI).
 */
export async function auditTrailProblems(db: Pick<DataSource, 'query'>): Promise<string[]> {
  const rows: { action: string; with_group: boolean; events: number }[] = await db.query(
    `SELECT action, group_id IS NOT NULL AS with_group, count(*)::int AS events FROM audit_events GROUP BY 1, 2 ORDER BY 1, 2`,
  );
  const problems: string[] = [];
  for (const r of rows) {
    if (!isAuditAction(r.action)) problems.push(`${r.action}: ${r.events} event(s) with an action the policy's registry of audit actions does not list`);
    else if (r.with_group && !AUDIT_ACTION_RULES[r.action].aboutGroup) problems.push(`${r.action}: ${r.events} event(s) name a group, but the registry says the action is about none`);
  }
  return problems;
}
