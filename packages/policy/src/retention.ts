/**
 * Retention of personal data (DOMAIN.md, "Retention"): referral snapshots and
 * administrator data are kept for a configured period after a group or a
 * referral is closed, then erased or anonymised by a job.
 *
 * @packageDocumentation
 */
import { DEFAULT_POLICY_CONFIG, type PolicyConfig } from './group-lifecycle.js';
import { DAY_MS } from './review-schedule.js';

/** The moment personal data of a record closed at `closedAt` may be erased. */
export function retentionEndsAt(closedAt: Date, config: PolicyConfig = DEFAULT_POLICY_CONFIG): Date {
  return new Date(closedAt.getTime() + config.retentionDays * DAY_MS);
}

/**
 * Whether the retention period of a record has run out, so the erasure job
 * should erase or anonymise it. Records not closed (`null`) are always kept.
 */
export function isRetentionExpired(
  closedAt: Date | null,
  now: Date,
  config: PolicyConfig = DEFAULT_POLICY_CONFIG,
): boolean {
  return closedAt !== null && retentionEndsAt(closedAt, config).getTime() <= now.getTime();
}
