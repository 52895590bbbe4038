import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EntityManager } from 'typeorm';
import { createTestEnvironment, databaseKinds, type DemoAccount, type TestEnvironment } from '../testing/test-environment.js';
import { GraphQLRequestContext } from '../common/request-transaction.js';
import type { RequestContext } from '../common/context.js';
import { API_DATABASE_ROLE } from '../common/database-context.js';

/**
 * Row-level security is the backstop: these tests run SQL with NO scoping of
 * their own, in a request context made exactly as the API makes one (session
 * cookie → identity → SET LOCAL ROLE with the caller's settings), and check
 * that the database alone keeps each team to its own referrals.
 */
describe.each(await databaseKinds())('row-level security on %s', (kind) => {
  let env: TestEnvironment;
  // What is really there, read by the privileged (owner) connection.
  let truth: { id: string; team: string | null; status: string }[];

  beforeAll(async () => {
    env = await createTestEnvironment(kind, { demoData: true });
    truth = await env.server.dataSource.query(`SELECT id, team, status FROM referrals`);
  });
  afterAll(() => env?.close());

  /** Runs `fn` inside a request context for a demo account, then rolls back. */
  async function asRequest<T>(who: DemoAccount | 'anonymous', fn: (m: EntityManager, ctx: RequestContext) => Promise<T>): Promise<T> {
    const cookie = who === 'anonymous' ? undefined : (await env.as(who)).cookie!;
    // The request's own transaction owner, exactly as the API uses it: identity, access, settings and role in one place.
    const ctx = new GraphQLRequestContext(env.server.dataSource, env.server.config, cookie ? { cookie } : {});
    await ctx.transaction.open();
    try {
      return await fn(ctx.manager, ctx);
    } finally {
      await ctx.transaction.end(false);
    }
  }

  /** Runs one statement that must be refused by the database; the transaction is rolled back either way. */
  async function refused(who: DemoAccount, sql: string, params: unknown[]): Promise<string> {
    try {
      await asRequest(who, (m) => m.query(sql, params));
    } catch (err) {
      return (err as Error).message;
    }
    throw new Error(`expected the database to refuse: ${sql}`);
  }

  it('runs requests as a role that is neither superuser nor able to bypass row-level security', async () => {
    const [role] = await env.server.dataSource.query(`SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = $1`, [API_DATABASE_ROLE]);
    expect(role).toEqual({ rolsuper: false, rolbypassrls: false });
    const [who] = await asRequest('officer', (m) => m.query(`SELECT current_user AS role`));
    expect(who.role).toBe(API_DATABASE_ROLE);
    const forced: { relname: string; relforcerowsecurity: boolean }[] = await env.server.dataSource.query(
      `SELECT relname, relforcerowsecurity FROM pg_class WHERE relname = ANY($1) ORDER BY relname`,
      [['administrators', 'audit_events', 'referral_notes', 'referral_snapshots', 'referral_transfers', 'referrals']],
    );
    expect(forced.every((t) => t.relforcerowsecurity)).toBe(true);
    expect(forced).toHaveLength(6);
  });

  it('shows a request with no caller nothing at all', async () => {
    const counts = await asRequest('anonymous', (m) =>
      m.query(`SELECT (SELECT count(*) FROM referrals)::int AS referrals, (SELECT count(*) FROM referral_snapshots)::int AS snapshots,
                      (SELECT count(*) FROM referral_notes)::int AS notes, (SELECT count(*) FROM administrators)::int AS administrators,
                      (SELECT count(*) FROM audit_events)::int AS audit`),
    );
    expect(counts[0]).toEqual({ referrals: 0, snapshots: 0, notes: 0, administrators: 0, audit: 0 });
    // The same with the role taken but no settings at all.
    const bare = await env.server.dataSource.transaction(async (m) => {
      await m.query(`SELECT set_config('role', $1, true)`, [API_DATABASE_ROLE]);
      return m.query(`SELECT (SELECT count(*) FROM referrals)::int AS referrals, (SELECT count(*) FROM administrators)::int AS administrators`);
    });
    expect(bare[0]).toEqual({ referrals: 0, administrators: 0 });
  });

  for (const team of ['DISCIPLINE', 'HR', 'LEGAL'] as const) {
    it(`keeps ${team} to its own submitted referrals, snapshots and notes with no WHERE clause of the API's`, async () => {
      const who = team.toLowerCase() as DemoAccount;
      const expected = truth.filter((r) => r.team === team && r.status !== 'DRAFT').map((r) => r.id).sort();
      expect(expected.length).toBeGreaterThan(0);
      const seen = await asRequest(who, async (m) => ({
        referrals: (await m.query(`SELECT id FROM referrals`)).map((r: { id: string }) => r.id).sort(),
        count: (await m.query(`SELECT count(*)::int AS n FROM referrals`))[0].n,
        snapshotTeams: (await m.query(`SELECT DISTINCT team FROM referral_snapshots`)).map((r: { team: string }) => r.team),
        noteTeams: (await m.query(`SELECT DISTINCT team FROM referral_notes`)).map((r: { team: string }) => r.team),
        administrators: (await m.query(`SELECT count(*)::int AS n FROM administrators`))[0].n,
        audit: (await m.query(`SELECT count(*)::int AS n FROM audit_events`))[0].n,
      }));
      expect(seen.referrals).toEqual(expected);
      expect(seen.count).toBe(expected.length);
      expect(seen.snapshotTeams).toEqual([team]);
      expect(seen.noteTeams.every((t: string) => t === team)).toBe(true);
      expect(seen.administrators).toBe(0);
      expect(seen.audit).toBe(0);

      const other = truth.find((r) => r.team && r.team !== team && r.status !== 'DRAFT')!;
      const own = truth.find((r) => r.team === team && r.status !== 'DRAFT')!;
      // Another team's referral cannot be changed, noted or even found.
      const changed = await asRequest(who, (m) => m.query(`UPDATE referrals SET status = 'IN_PROGRESS' WHERE id = $1 RETURNING id`, [other.id]));
      // TypeORM answers an UPDATE with [rows, affected].
      expect(changed).toEqual([[], 0]);
      expect(await refused(who, `INSERT INTO referral_notes (referral_id, team, body) VALUES ($1, $2, 'x')`, [other.id, other.team])).toMatch(/row-level security/);
      expect(await refused(who, `INSERT INTO referral_notes (referral_id, team, body) VALUES ($1, $2, 'x')`, [other.id, team])).toMatch(/row-level security/);
      // Its own referral cannot be handed to another team except through the guarded transfer.
      const target = team === 'HR' ? 'LEGAL' : 'HR';
      expect(await refused(who, `UPDATE referrals SET team = $2 WHERE id = $1`, [own.id, target])).toMatch(/row-level security/);
      // Nor can it write the audit trail as somebody else.
      expect(
        await refused(who, `INSERT INTO audit_events (actor_id, actor_label, action, entity_type) VALUES (gen_random_uuid(), 'forged', 'x', 'X')`, []),
      ).toMatch(/row-level security/);
      // Nothing was written by any of it.
      const after: { id: string; team: string | null; status: string }[] = await env.server.dataSource.query(`SELECT id, team, status FROM referrals`);
      expect(after).toEqual(expect.arrayContaining(truth));
      expect(after).toHaveLength(truth.length);
    });
  }

  it('lets the social media team see every referral but change only drafts, and never read team notes', async () => {
    const seen = await asRequest('officer', async (m) => ({
      count: (await m.query(`SELECT count(*)::int AS n FROM referrals`))[0].n,
      notes: (await m.query(`SELECT count(*)::int AS n FROM referral_notes`))[0].n,
      administrators: (await m.query(`SELECT count(*)::int AS n FROM administrators`))[0].n,
    }));
    expect(seen.count).toBe(truth.length);
    expect(seen.notes).toBe(0);
    expect(seen.administrators).toBeGreaterThan(0);
    const submitted = truth.find((r) => r.status !== 'DRAFT')!;
    const changed = await asRequest('lead', (m) => m.query(`UPDATE referrals SET status = 'CLOSED' WHERE id = $1 RETURNING id`, [submitted.id]));
    expect(changed).toEqual([[], 0]);
  });

  it('gives the system administrator and the data protection officer no referral content', async () => {
    for (const who of ['admin', 'dpo'] as const) {
      const seen = await asRequest(who, async (m) => ({
        referrals: (await m.query(`SELECT count(*)::int AS n FROM referrals`))[0].n,
        snapshots: (await m.query(`SELECT count(*)::int AS n FROM referral_snapshots`))[0].n,
        administrators: (await m.query(`SELECT count(*)::int AS n FROM administrators`))[0].n,
        audit: (await m.query(`SELECT count(*)::int AS n FROM audit_events`))[0].n,
      }));
      expect(seen.referrals).toBe(0);
      expect(seen.snapshots).toBe(0);
      expect(seen.administrators).toBe(0);
      // The data protection officer reads the audit trail; the administrator does not.
      if (who === 'dpo') expect(seen.audit).toBeGreaterThan(0);
      else expect(seen.audit).toBe(0);
    }
  });

  it('moves a referral between teams only through the guarded transfer, which checks the caller itself', async () => {
    const own = truth.find((r) => r.team === 'LEGAL' && r.status !== 'DRAFT')!;
    const [{ version }] = await env.server.dataSource.query(`SELECT version FROM referrals WHERE id = $1`, [own.id]);
    // HR cannot transfer LEGAL's referral: the function answers as if it did not exist.
    expect(await refused('hr', `SELECT transfer_referral($1, $2, 'DISCIPLINE', 'not ours', now() + interval '7 days')`, [own.id, version])).toMatch(/not found/);
    // The social media team cannot either.
    expect(await refused('lead', `SELECT transfer_referral($1, $2, 'DISCIPLINE', 'not ours', now() + interval '7 days')`, [own.id, version])).toMatch(/not found/);
    // LEGAL can, with the right version; afterwards it no longer sees it and HR does.
    const moved = await asRequest('legal', async (m) => {
      const [row] = await m.query(`SELECT transfer_referral($1, $2, 'HR', 'Administrator turned out to be staff', now() + interval '7 days') AS version`, [own.id, version]);
      const stillSeen = (await m.query(`SELECT count(*)::int AS n FROM referrals WHERE id = $1`, [own.id]))[0].n;
      return { version: row.version, stillSeen };
    });
    expect(moved).toEqual({ version: version + 1, stillSeen: 0 });
    // asRequest rolled it back: nothing changed for real.
    const [after] = await env.server.dataSource.query(`SELECT team FROM referrals WHERE id = $1`, [own.id]);
    expect(after.team).toBe('LEGAL');
  });

  it('refuses a team note on a closed referral in the database itself, and takes one on an open referral', async () => {
    const open = truth.find((r) => r.team === 'HR' && r.status !== 'DRAFT' && r.status !== 'CLOSED')!;
    const insert = `INSERT INTO referral_notes (referral_id, team, body) VALUES ($1, 'HR', 'written past the API') RETURNING id`;
    // Open: the policy lets the team write (rolled back afterwards).
    expect(await asRequest('hr', (m) => m.query(insert, [open.id]))).toHaveLength(1);
    // Closed (closed here as the connection's owner, inside the same request transaction, which is rolled back): refused.
    const message = await asRequest('hr', async (m) => {
      await m.query(`RESET ROLE`);
      await m.query(`UPDATE referrals SET status = 'CLOSED' WHERE id = $1`, [open.id]);
      await m.query(`SELECT set_config('role', 'signpost_app', true)`);
      try {
        await m.query(insert, [open.id]);
        return 'accepted';
      } catch (err) {
        return (err as Error).message;
      }
    });
    expect(message).toMatch(/row-level security/);
  });

  it('refuses, in the database itself, a service client approved by the administrator who created it', async () => {
    const admin = await env.as('admin');
    const { createServiceClient } = await admin.ok(
      `mutation($input: CreateServiceClientInput!) { createServiceClient(input: $input) { client { id approvalRequired } } }`,
      { input: { name: `rls-approval-${Date.now()}`, scopes: ['referrals:read:HR'] } },
    );
    expect(createServiceClient.client.approvalRequired).toBe(true);
    const message = await refused('admin', `UPDATE service_clients SET approved_at = now(), approved_by = created_by WHERE id = $1`, [createServiceClient.client.id]);
    expect(message).toMatch(/service_clients_second_approver/);
  });

  it('leaves nothing behind on a pooled connection once a request ends', async () => {
    const discipline = await env.as('discipline');
    for (let i = 0; i < 5; i++) await discipline.ok(`{ referrals(first: 5) { totalCount } }`);
    const poolSize = kind === 'postgres' ? 10 : 1;
    // Hold every connection of the pool at once, so each one is looked at.
    const runners = await Promise.all(
      Array.from({ length: poolSize }, async () => {
        const runner = env.server.dataSource.createQueryRunner();
        await runner.connect();
        return runner;
      }),
    );
    try {
      for (const runner of runners) {
        const [state] = await runner.query(
          `SELECT current_user AS role, current_setting('app.user_id', true) AS user_id, current_setting('app.referral_scope', true) AS scope,
                  current_setting('app.team_roles', true) AS teams`,
        );
        expect(state.role).not.toBe(API_DATABASE_ROLE);
        expect(state.user_id ?? '').toBe('');
        expect(state.scope ?? '').toBe('');
        expect(state.teams ?? '').toBe('');
      }
    } finally {
      await Promise.all(runners.map((r) => r.release()));
    }
  });
});
