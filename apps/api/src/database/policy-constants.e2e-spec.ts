import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASE_CONSTANTS, REFERRAL_STATUSES, SERVICE_SCOPES, TEAMS } from '@signpost/policy';
import { createTestEnvironment, databaseKinds, type TestEnvironment } from '../testing/test-environment.js';

/**
 * The database's own rules (row-level security, the guarded functions) read the
 * policy's constants from `policy_constant(name)`, which a migration writes.
 * These tests fail when the policy package and the database drift apart — then
 * write a new migration with `policyConstantFunctionSql()` — and when a policy
 * or function types one of those values again instead of asking for it.
 */
describe.each(await databaseKinds())('policy constants in the database on %s', (kind) => {
  let env: TestEnvironment;
  beforeAll(async () => {
    env = await createTestEnvironment(kind);
  });
  afterAll(() => env?.close());

  it('answers exactly the policy package\'s DATABASE_CONSTANTS, and nothing for an unknown name', async () => {
    for (const [name, values] of Object.entries(DATABASE_CONSTANTS)) {
      const [row] = await env.server.dataSource.query(`SELECT policy_constant($1) AS v`, [name]);
      expect(row.v, `policy_constant('${name}') has drifted from packages/policy: write a migration that redefines it`).toEqual([...values]);
    }
    const [unknown] = await env.server.dataSource.query(`SELECT policy_constant('no such constant') AS v`);
    expect(unknown.v).toBeNull();
  });

  it('is immutable, so each use is folded to its value once per query', async () => {
    const [fn] = await env.server.dataSource.query(`SELECT provolatile FROM pg_proc WHERE proname = 'policy_constant'`);
    expect(fn.provolatile).toBe('i');
  });

  it('no row-level security policy or function of ours restates a team, referral status or scope as a literal', async () => {
    const literals = [...TEAMS, ...REFERRAL_STATUSES, ...SERVICE_SCOPES].map((v) => `'${v}'`);
    const policies: { name: string; text: string }[] = await env.server.dataSource.query(
      `SELECT tablename || '.' || policyname AS name, coalesce(qual, '') || ' ' || coalesce(with_check, '') AS text FROM pg_policies WHERE schemaname = 'public'`,
    );
    const functions: { name: string; text: string }[] = await env.server.dataSource.query(
      `SELECT p.proname AS name, p.prosrc AS text FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
        WHERE n.nspname = 'public' AND p.proname <> 'policy_constant'`,
    );
    expect(policies.length).toBeGreaterThan(10);
    expect(functions.map((f) => f.name)).toContain('transfer_referral');
    const restated = [...policies, ...functions].flatMap((o) => literals.filter((l) => o.text.includes(l)).map((l) => `${o.name}: ${l}`));
    expect(restated).toEqual([]);
  });
});
