import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY_CONFIG } from './group-lifecycle.js';
import { isRetentionExpired, retentionEndsAt } from './retention.js';

describe('retention', () => {
  const closed = new Date('2024-01-01T00:00:00Z');

  it('keeps data for the configured number of days after closing', () => {
    expect(retentionEndsAt(closed).toISOString()).toBe('2025-12-31T00:00:00.000Z'); // 730 days, 2024 is a leap year
    expect(retentionEndsAt(closed, { ...DEFAULT_POLICY_CONFIG, retentionDays: 30 }).toISOString()).toBe('2024-01-31T00:00:00.000Z');
  });

  it('expires once the period has run out', () => {
    expect(isRetentionExpired(closed, new Date('2025-12-30T23:59:59Z'))).toBe(false);
    expect(isRetentionExpired(closed, new Date('2025-12-31T00:00:00Z'))).toBe(true);
  });

  it('never expires a record that is not closed', () => {
    expect(isRetentionExpired(null, new Date('2100-01-01T00:00:00Z'))).toBe(false);
  });
});
