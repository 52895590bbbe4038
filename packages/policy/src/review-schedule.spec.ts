import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY_CONFIG } from './group-lifecycle.js';
import { compareByReviewUrgency, isReviewOverdue, nextReviewDue } from './review-schedule.js';
import type { RiskLevel } from './vocabulary.js';

const FROM = new Date('2025-03-28T09:00:00.000Z'); // just before the UK clocks change

describe('nextReviewDue', () => {
  it.each([
    ['CRITICAL', '2025-04-04T09:00:00.000Z'],
    ['HIGH', '2025-04-11T09:00:00.000Z'],
    ['MEDIUM', '2025-04-27T09:00:00.000Z'],
    ['LOW', '2025-06-26T09:00:00.000Z'],
  ] as [RiskLevel, string][])('%s is due %s', (risk, due) => {
    expect(nextReviewDue(risk, FROM).toISOString()).toBe(due);
  });

  it('uses the configured intervals', () => {
    const config = { ...DEFAULT_POLICY_CONFIG, reviewIntervalDays: { CRITICAL: 1, HIGH: 2, MEDIUM: 3, LOW: 4 } };
    expect(nextReviewDue('MEDIUM', FROM, config).toISOString()).toBe('2025-03-31T09:00:00.000Z');
  });

  it('does not modify the date given', () => {
    const from = new Date(FROM);
    nextReviewDue('LOW', from);
    expect(from.getTime()).toBe(FROM.getTime());
  });
});

describe('isReviewOverdue', () => {
  const now = new Date('2025-05-01T12:00:00Z');
  it('is overdue only once the due moment has passed', () => {
    expect(isReviewOverdue(new Date('2025-05-01T11:59:59Z'), now)).toBe(true);
    expect(isReviewOverdue(new Date('2025-05-01T12:00:00Z'), now)).toBe(false);
    expect(isReviewOverdue(new Date('2025-05-02T00:00:00Z'), now)).toBe(false);
  });
  it('a group with no due date is never overdue', () => {
    expect(isReviewOverdue(null, now)).toBe(false);
  });
});

describe('compareByReviewUrgency', () => {
  const now = new Date('2025-05-01T00:00:00Z');
  const g = (name: string, due: string | null) => ({ name, nextReviewDue: due === null ? null : new Date(due) });

  it('lists overdue first (oldest first), then soonest, then those without a date', () => {
    const groups = [
      g('later', '2025-06-01'),
      g('none-1', null),
      g('overdue-recent', '2025-04-30'),
      g('soon', '2025-05-02'),
      g('overdue-old', '2025-01-01'),
      g('none-2', null),
    ];
    const sorted = [...groups].sort((a, b) => compareByReviewUrgency(a, b, now)).map((x) => x.name);
    expect(sorted).toEqual(['overdue-old', 'overdue-recent', 'soon', 'later', 'none-1', 'none-2']);
  });

  it('is a consistent comparator', () => {
    const a = g('a', '2025-04-01');
    const b = g('b', '2025-05-10');
    const n = g('n', null);
    expect(compareByReviewUrgency(a, b, now)).toBeLessThan(0);
    expect(compareByReviewUrgency(b, a, now)).toBeGreaterThan(0);
    expect(compareByReviewUrgency(a, a, now)).toBe(0);
    expect(compareByReviewUrgency(n, a, now)).toBeGreaterThan(0);
    expect(compareByReviewUrgency(a, n, now)).toBeLessThan(0);
    expect(compareByReviewUrgency(n, n, now)).toBe(0);
  });
});
