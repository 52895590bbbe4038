import { describe, expect, it } from 'vitest';
import { acknowledgementDue, acknowledgementOverdue, addWorkingDays, isWorkingDay } from './working-days.js';

const at = (iso: string) => new Date(iso);

describe('working days', () => {
  it('skips Saturdays and Sundays', () => {
    expect(isWorkingDay(at('2026-12-04T10:00:00Z'))).toBe(true); // Friday
    expect(isWorkingDay(at('2026-12-05T10:00:00Z'))).toBe(false);
    expect(isWorkingDay(at('2026-12-06T10:00:00Z'))).toBe(false);
    // Friday + 1 working day is Monday, same time.
    expect(addWorkingDays(at('2026-12-04T16:30:00Z'), 1)).toEqual(at('2026-12-07T16:30:00Z'));
    // Wednesday + 5 is the next Wednesday.
    expect(addWorkingDays(at('2026-12-02T09:00:00Z'), 5)).toEqual(at('2026-12-09T09:00:00Z'));
  });

  it('skips the configured bank holidays', () => {
    const holidays = ['2026-12-25', '2026-12-28'];
    // Wednesday 23rd + 2: Thursday 24th, (25th holiday, weekend, 28th holiday) Tuesday 29th.
    expect(addWorkingDays(at('2026-12-23T12:00:00Z'), 2, holidays)).toEqual(at('2026-12-29T12:00:00Z'));
    expect(isWorkingDay(at('2026-12-25T12:00:00Z'), holidays)).toBe(false);
  });

  it('a referral is due the configured working days after it was routed (default 5)', () => {
    expect(acknowledgementDue(at('2026-12-02T09:00:00Z'))).toEqual(at('2026-12-09T09:00:00Z'));
    expect(acknowledgementDue(at('2026-12-02T09:00:00Z'), { acknowledgementWorkingDays: 2, bankHolidays: ['2026-12-03'] })).toEqual(at('2026-12-07T09:00:00Z'));
    expect(addWorkingDays(at('2026-12-02T09:00:00Z'), 0)).toEqual(at('2026-12-02T09:00:00Z'));
  });

  it('is overdue only while still awaiting acknowledgement and past its date', () => {
    const due = at('2026-12-09T09:00:00Z');
    const after = at('2026-12-09T09:00:01Z');
    expect(acknowledgementOverdue({ status: 'SUBMITTED', acknowledgeBy: due }, after)).toBe(true);
    expect(acknowledgementOverdue({ status: 'SUBMITTED', acknowledgeBy: due }, due)).toBe(false);
    for (const status of ['DRAFT', 'ACKNOWLEDGED', 'IN_PROGRESS', 'CLOSED'] as const) {
      expect(acknowledgementOverdue({ status, acknowledgeBy: due }, after)).toBe(false);
    }
    expect(acknowledgementOverdue({ status: 'SUBMITTED', acknowledgeBy: null }, after)).toBe(false);
  });
});
