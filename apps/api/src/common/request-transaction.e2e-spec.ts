import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { QueryRunner } from 'typeorm';
import { createTestEnvironment, databaseKinds, type TestEnvironment } from '../testing/test-environment.js';
import { RequestTransaction } from './request-transaction.js';

/**
 * One owner of the request's transaction (common/request-transaction.ts): it
 * opens only once the document has parsed, validated and passed the cost
 * limit, so a refused document costs no database connection — shown here by
 * answering while every connection of the pool is held elsewhere.
 */
describe.each(await databaseKinds())('the request transaction on %s', (kind) => {
  let env: TestEnvironment;
  beforeAll(async () => {
    env = await createTestEnvironment(kind);
  });
  afterAll(() => env?.close());

  async function holdEveryConnection(): Promise<QueryRunner[]> {
    const poolSize = kind === 'postgres' ? 10 : 1;
    return Promise.all(
      Array.from({ length: poolSize }, async () => {
        const runner = env.server.dataSource.createQueryRunner();
        await runner.connect();
        await runner.startTransaction();
        return runner;
      }),
    );
  }

  const within = <T>(ms: number, p: Promise<T>): Promise<T | 'still waiting'> =>
    Promise.race([p, new Promise<'still waiting'>((r) => setTimeout(() => r('still waiting'), ms))]);

  it('refuses documents that do not parse, validate or fit the limits without a database connection', async () => {
    const officer = await env.as('officer');
    const held = await holdEveryConnection();
    try {
      const refused = await Promise.all([
        within(5000, officer.gql('{ groups(first: 1) { edges { node { name }')),
        within(5000, officer.gql('{ groups(first: 1) { nope } }')),
        within(5000, officer.gql('query { groups(first: 100) { edges { node { administrators { contactLog { id } } referrals { transfers { id } } } } } }')),
        within(5000, officer.gql('subscription { groups { id } }')),
      ]);
      expect(refused.map((r) => (r === 'still waiting' ? r : [r.status, r.errors?.[0]?.extensions?.code]))).toEqual([
        [400, 'GRAPHQL_PARSE_FAILED'],
        [400, 'GRAPHQL_VALIDATION_FAILED'],
        [400, 'GRAPHQL_VALIDATION_FAILED'],
        [400, 'GRAPHQL_VALIDATION_FAILED'],
      ]);
      // A valid document does need the database: it waits for a connection.
      const valid = officer.gql('{ me { id } }');
      expect(await within(300, valid)).toBe('still waiting');
      await Promise.all(held.splice(0).map(async (r) => {
        await r.rollbackTransaction();
        await r.release();
      }));
      expect((await valid).data?.me?.id).toMatch(/^[0-9a-f-]{36}$/);
    } finally {
      for (const r of held) {
        await r.rollbackTransaction();
        await r.release();
      }
    }
  });

  it('ends every transaction it opened: none is left open after refusals, failures and successes', async () => {
    const officer = await env.as('officer');
    await officer.gql('{ groups(first: 1) { edges { node { id } } } }');
    await officer.gql('mutation { createGroup(input: { name: "", platform: INSTAGRAM, kind: OTHER }) { id } }');
    await officer.gql('{ group(id: "00000000-0000-4000-8000-000000000000") { id } }');
    await env.anonymous().gql('{ me { id } }');
    // Every pooled connection can be taken at once: none was left checked out by a request.
    const held = await within(3000, holdEveryConnection());
    expect(held).not.toBe('still waiting');
    if (held !== 'still waiting') {
      for (const r of held) {
        await r.rollbackTransaction();
        await r.release();
      }
    }
  });

  it('never releases a connection in the middle of opening, when a plugin refuses the request meanwhile', async () => {
    const officer = await env.as('officer');
    // A malformed Idempotency-Key is refused while the request's transaction is still being opened.
    const refusals = await Promise.all(
      Array.from({ length: 20 }, () =>
        officer.gql('mutation { createGroup(input: { name: "Never", platform: INSTAGRAM, kind: OTHER }) { id } }', undefined, { 'idempotency-key': 'not a valid key!' })),
    );
    expect(refusals.map((r) => [r.status, r.errors?.[0]?.extensions?.code])).toEqual(Array.from({ length: 20 }, () => [400, 'BAD_USER_INPUT']));
    // Every connection is back in the pool, outside any transaction, and serves the next request.
    const held = await within(3000, holdEveryConnection());
    expect(held).not.toBe('still waiting');
    if (held !== 'still waiting') {
      for (const r of held) {
        await r.rollbackTransaction();
        await r.release();
      }
    }
    expect((await officer.ok('{ me { email } }')).me.email).toBe('officer@signpost.test');
    const { groups } = await officer.ok(`{ groups(first: 1, filter: { search: "Never" }) { totalCount } }`);
    expect(groups.totalCount).toBe(0);
  });

  it('rolls back a failed mutation and says so: no data, extensions.transaction ROLLED_BACK, nothing written', async () => {
    const officer = await env.as('officer');
    const name = `Rolled back ${Date.now()}`;
    const result = await officer.gql(
      `mutation($a: CreateGroupInput!, $b: CreateGroupInput!) { first: createGroup(input: $a) { id } second: createGroup(input: $b) { id } }`,
      { a: { name, platform: 'INSTAGRAM', kind: 'OTHER' }, b: { name: 'x', platform: 'INSTAGRAM', kind: 'OTHER', assignedOfficerId: '00000000-0000-4000-8000-000000000000' } },
    );
    expect(result.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(result.data).toBeNull();
    expect(result.extensions?.transaction).toBe('ROLLED_BACK');
    const { groups } = await officer.ok(`query($q: String!) { groups(first: 5, filter: { search: $q }) { totalCount } }`, { q: name });
    expect(groups.totalCount).toBe(0);
  });
});

// PostgreSQL ends sessions on its own (a fast stop, a failover, pg_terminate_backend); the embedded database does not.
describe.each((await databaseKinds()).filter((k) => k === 'postgres'))('the request transaction when %s ends the session', (kind) => {
  let env: TestEnvironment;
  beforeAll(async () => {
    env = await createTestEnvironment(kind);
  });
  afterAll(() => env?.close());

  it('refuses to report a commit when the database ended the session first, so no change is acknowledged that was never kept', async () => {
    const officer = await env.as('officer');
    const tx = new RequestTransaction(env.server.dataSource, officer.headers());
    await tx.open();
    const name = `Lost before commit ${Date.now()}`;
    await tx.manager.query(`INSERT INTO groups (name, platform, kind, risk_level, status) VALUES ($1, 'OTHER', 'OTHER', 'LOW', 'DISCOVERED')`, [name])
      .catch(async () => {
        // Row-level security or a trigger may refuse a bare INSERT: any statement that leaves the transaction open will do.
        await tx.manager.query('SELECT 1');
      });
    const [{ pid }] = await tx.manager.query('SELECT pg_backend_pid() AS pid');
    // As PostgreSQL does when it stops ("fast") or a DBA ends the session: the connection errors, and TypeORM releases it.
    await env.server.dataSource.query('SELECT pg_terminate_backend($1)', [pid]);
    const deadline = Date.now() + 5000;
    while (Date.now() < deadline && !(tx as unknown as { runner: { isReleased: boolean } }).runner.isReleased) await new Promise((r) => setTimeout(r, 20));
    await expect(tx.end(true)).rejects.toThrow(/lost before the transaction could commit/);
    const [{ n }] = await env.server.dataSource.query('SELECT count(*)::int AS n FROM groups WHERE name = $1', [name]);
    expect(n).toBe(0);
  });
});
