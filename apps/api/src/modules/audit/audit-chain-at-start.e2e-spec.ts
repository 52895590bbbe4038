import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { createTestEnvironment, databaseKinds, type TestEnvironment } from '../../testing/test-environment.js';
import { startSignpost, type RunningSignpost } from '../../server.js';

interface LogLine {
  level: number;
  msg: string;
  [field: string]: unknown;
}

const ERROR = 50;
const INFO = 30;

// A restart needs a database that outlives the server: an in-memory PGlite dies with it, so PostgreSQL only.
const kinds = (await databaseKinds()).filter((k) => k === 'postgres');

describe.runIf(kinds.length > 0)('the audit trail verified at every start, on PostgreSQL (restarted on the same database)', () => {
  let env: TestEnvironment;
  let running: RunningSignpost;

  beforeAll(async () => {
    env = await createTestEnvironment('postgres');
    running = env.server;
    const officer = await env.as('officer');
    for (const name of ['Start check one', 'Start check two']) {
      await officer.ok(`mutation($input: CreateGroupInput!) { createGroup(input: $input) { id } }`, {
        input: { name, platform: 'X', kind: 'OTHER', riskLevel: 'LOW' },
      });
    }
  });
  afterAll(async () => {
    await running?.close();
    await env?.close();
  });

  /** Stops the server and starts a new one on the same database, with its logs collected; waits for the check. */
  async function restart(): Promise<{ server: RunningSignpost; logs: LogLine[] }> {
    const logs: LogLine[] = [];
    const logger = pino({ level: 'info' }, { write: (line: string) => void logs.push(JSON.parse(line)) });
    await running.close();
    running = await startSignpost({ ...env.server.config, port: 0 }, logger);
    await running.auditChainChecked;
    return { server: running, logs };
  }

  async function auditGauges(server: RunningSignpost): Promise<Record<string, number>> {
    const text = await (await fetch(`${server.url}/metrics`)).text();
    return Object.fromEntries([...text.matchAll(/^(signpost_audit_chain_\w+) (-?[0-9.]+)$/gm)].map((m) => [m[1]!, Number(m[2])]));
  }

  /** Committed as the database superuser with triggers off, as someone with database access would. */
  async function rawUpdate(set: string, seq: number, params: unknown[] = []): Promise<void> {
    await running.dataSource.transaction(async (m) => {
      await m.query(`SET LOCAL session_replication_role = replica`);
      await m.query(`UPDATE audit_events SET ${set} WHERE seq = $1`, [seq, ...params]);
    });
  }

  it('shows an intact trail in /metrics with every event counted, and logs the count at info', async () => {
    const { server, logs } = await restart();
    const [{ n }] = await server.dataSource.query(`SELECT count(*)::int AS n FROM audit_events`);
    expect(n).toBeGreaterThanOrEqual(3);
    expect(await auditGauges(server)).toEqual({
      signpost_audit_chain_intact: 1,
      signpost_audit_chain_first_broken_seq: 0,
      signpost_audit_chain_verified_events: n,
    });
    expect(logs.filter((l) => l.event === 'audit_chain_verified')).toMatchObject([{ level: INFO, msg: `audit trail intact: ${n} events verified`, events: n }]);
    expect(logs.filter((l) => l.level >= ERROR)).toEqual([]);
  });

  it('says loudly at start that the trail was changed: an error naming the first broken event and why, and /metrics shows it', async () => {
    const [victim] = await running.dataSource.query(`SELECT details::text AS details FROM audit_events WHERE seq = 2`);
    await rawUpdate(`details = details || '{"tampered": true}'`, 2);
    try {
      const { server, logs } = await restart();
      expect(await auditGauges(server)).toEqual({
        signpost_audit_chain_intact: 0,
        signpost_audit_chain_first_broken_seq: 2,
        signpost_audit_chain_verified_events: 1,
      });
      const errors = logs.filter((l) => l.level >= ERROR);
      expect(errors).toHaveLength(1);
      expect(errors[0]).toMatchObject({ level: ERROR, event: 'audit_chain_broken', firstBrokenSeq: '2', reason: 'HASH_MISMATCH', intactEvents: 1 });
      expect(errors[0]!.msg).toMatch(/^AUDIT TRAIL BROKEN: event 2 \(HASH_MISMATCH\): Its hash does not match its fields/);
      // It still serves: the trail is evidence to investigate, not a reason to stop everyone's work.
      expect((await fetch(`${server.url}/readyz`)).status).toBe(200);
    } finally {
      await rawUpdate(`details = $2::jsonb`, 2, [victim.details]);
    }
    const { server } = await restart();
    expect((await auditGauges(server)).signpost_audit_chain_intact).toBe(1);
  });
});
