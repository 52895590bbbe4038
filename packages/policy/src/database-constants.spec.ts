import { describe, expect, it } from 'vitest';
import { DATABASE_CONSTANTS, policyConstantFunctionSql } from './database-constants.js';
import { SERVICE_SCOPES, TEAMS } from './vocabulary.js';

describe('database constants', () => {
  it('are the policy’s own values', () => {
    expect(DATABASE_CONSTANTS.teams).toEqual(TEAMS);
    expect(DATABASE_CONSTANTS.service_scopes).toEqual(SERVICE_SCOPES);
    expect(DATABASE_CONSTANTS.transferable_referral_statuses).toEqual(['SUBMITTED', 'ACKNOWLEDGED', 'IN_PROGRESS']);
    expect(DATABASE_CONSTANTS.referral_statuses_hidden_from_teams).toEqual(['DRAFT']);
  });

  it('generate one IMMUTABLE SQL function with one case per constant, quoting values', () => {
    const sql = policyConstantFunctionSql({ a: ['X', "it's"], b: [] });
    expect(sql).toContain('CREATE OR REPLACE FUNCTION policy_constant(p_name text) RETURNS text[]');
    expect(sql).toContain('IMMUTABLE');
    expect(sql).toContain("WHEN 'a' THEN ARRAY['X', 'it''s']::text[]");
    expect(sql).toContain("WHEN 'b' THEN ARRAY[]::text[]");
    for (const name of Object.keys(DATABASE_CONSTANTS)) expect(policyConstantFunctionSql()).toContain(`WHEN '${name}' THEN`);
  });
});
