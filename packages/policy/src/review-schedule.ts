/**
 * When each group is next reviewed, by risk level, and the order in which
 * reviews are listed: overdue first, so the riskiest neglect is seen first.
 *
 * @packageDocumentation
 */
import { DEFAULT_POLICY_CONFIG, type PolicyConfig } from './group-lifecycle.js';
import type { RiskLevel } from './vocabulary.js';

/** Milliseconds in a day; review dates are computed in UTC days, so DST does not shift them. */
export const DAY_MS = 24 * 60 * 60 * 1000;

/** The date a group at this risk level is next due for review, counted from `from`. */
export function nextReviewDue(risk: RiskLevel, from: Date, config: PolicyConfig = DEFAULT_POLICY_CONFIG): Date {
  const days = config.reviewIntervalDays[risk];
  if (!Number.isFinite(days)) throw new RangeError(`No review interval is configured for risk level ${risk}`);
  return new Date(from.getTime() + days * DAY_MS);
}

/** Whether a review due date has passed. A group with no due date is never overdue. */
export function isReviewOverdue(due: Date | null, now: Date): boolean {
  return due !== null && due.getTime() < now.getTime();
}

/**
 * Sort comparator for review lists: overdue reviews first (the longest
 * overdue first), then upcoming ones soonest first, then those with no due
 * date. Use as `list.sort((a, b) => compareByReviewUrgency(a, b, now))`.
 */
export function compareByReviewUrgency(
  a: { nextReviewDue: Date | null },
  b: { nextReviewDue: Date | null },
  now: Date = new Date(),
): number {
  const da = a.nextReviewDue;
  const db = b.nextReviewDue;
  if (da === null || db === null) return da === db ? 0 : da === null ? 1 : -1;
  const overdueA = isReviewOverdue(da, now);
  const overdueB = isReviewOverdue(db, now);
  if (overdueA !== overdueB) return overdueA ? -1 : 1;
  return da.getTime() - db.getTime();
}
