/**
 * Working days, for deadlines such as a referral's acknowledgement: Saturdays,
 * Sundays and the configured bank holidays do not count. Days are calendar
 * days in UTC, so a deadline does not move with daylight saving.
 *
 * @packageDocumentation
 */
import { DEFAULT_POLICY_CONFIG, type PolicyConfig } from './group-lifecycle.js';
import { REFERRAL_STATUSES_AWAITING_ACKNOWLEDGEMENT } from './referral-lifecycle.js';
import { DAY_MS } from './review-schedule.js';
import type { ReferralStatus } from './vocabulary.js';

/** Whether a date (its UTC calendar day) is a working day. */
export function isWorkingDay(date: Date, bankHolidays: readonly string[] = []): boolean {
  const weekday = date.getUTCDay();
  return weekday !== 0 && weekday !== 6 && !bankHolidays.includes(date.toISOString().slice(0, 10));
}

/** The moment `days` working days after `from`, at the same time of day. */
export function addWorkingDays(from: Date, days: number, bankHolidays: readonly string[] = []): Date {
  let at = from.getTime();
  let left = Math.max(0, Math.floor(days));
  while (left > 0) {
    at += DAY_MS;
    if (isWorkingDay(new Date(at), bankHolidays)) left--;
  }
  return new Date(at);
}

/** When a referral routed to a team at `routedAt` must be acknowledged by. */
export function acknowledgementDue(routedAt: Date, config: Pick<PolicyConfig, 'acknowledgementWorkingDays' | 'bankHolidays'> = DEFAULT_POLICY_CONFIG): Date {
  return addWorkingDays(routedAt, config.acknowledgementWorkingDays, config.bankHolidays);
}

/** Whether an acknowledgement is overdue: still awaited and past its date. */
export function acknowledgementOverdue(referral: { status: ReferralStatus; acknowledgeBy: Date | null }, now: Date): boolean {
  return REFERRAL_STATUSES_AWAITING_ACKNOWLEDGEMENT.includes(referral.status) && referral.acknowledgeBy !== null && referral.acknowledgeBy.getTime() < now.getTime();
}
