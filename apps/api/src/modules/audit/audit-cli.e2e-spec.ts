import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnvironment, databaseKinds, type TestEnvironment } from '../../testing/test-environment.js';

const CLI = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../dist/cli.js');

/** `npm run signpost -- audit verify …` as its own process (what `npm run signpost` runs), against DATABASE_URL. */
function verify(databaseUrl: string, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [CLI, 'audit', 'verify', ...args],
      { env: { ...process.env, DATABASE_URL: databaseUrl, LOG_LEVEL: 'silent' }, timeout: 60_000 },
      (err, stdout, stderr) => resolve({ code: err ? (typeof err.code === 'number' ? err.code : -1) : 0, stdout, stderr }),
    );
  });
}

// The command runs in a process of its own, so only against a database another process can reach.
const kinds = (await databaseKinds()).filter((k) => k === 'postgres');

describe.runIf(kinds.length > 0)('signpost audit verify, end to end on PostgreSQL', () => {
  let env: TestEnvironment;
  let url: string;

  beforeAll(async () => {
    expect(existsSync(CLI), 'run the build first (npm test does)').toBe(true);
    env = await createTestEnvironment('postgres');
    url = env.server.config.databaseUrl!;
    const officer = await env.as('officer');
    for (const name of ['CLI page one', 'CLI page two']) {
      const { createGroup } = await officer.ok(`mutation($input: CreateGroupInput!) { createGroup(input: $input) { id } }`, {
        input: { name, platform: 'X', kind: 'OTHER', riskLevel: 'LOW' },
      });
      await officer.ok(`mutation($input: UpdateGroupInput!) { updateGroup(input: $input) { id } }`, { input: { id: createGroup.id, version: 1, notes: 'n' } });
    }
    await env.server.auditSealer.sealNow();
  });
  afterAll(() => env?.close());

  /** Committed, as the database superuser with triggers off; `restore` puts the old value back the same way. */
  async function rawUpdate(set: string, seq: number, params: unknown[] = []): Promise<void> {
    await env.server.dataSource.transaction(async (m) => {
      await m.query(`SET LOCAL session_replication_role = replica`);
      await m.query(`UPDATE audit_events SET ${set} WHERE seq = $1`, [seq, ...params]);
    });
  }

  it('reports an intact trail with its count and head, and exits 0', async () => {
    const [{ n, head }] = await env.server.dataSource.query(`SELECT count(*)::int AS n, (SELECT seq || ':' || hash FROM audit_events ORDER BY seq DESC LIMIT 1) AS head FROM audit_events`);
    expect(n).toBeGreaterThanOrEqual(4);
    const ok = await verify(url);
    expect(ok).toMatchObject({ code: 0 });
    expect(ok.stdout).toContain(`Audit trail OK: ${n} events, chain intact. Head: ${head}`);
    // The head printed is an anchor for a later run.
    expect((await verify(url, '--anchor', head)).code).toBe(0);
    const json = await verify(url, '--json');
    expect(JSON.parse(json.stdout)).toMatchObject({ ok: true, events: n, firstBrokenSeq: null });
  });

  it('names the first changed event and exits 2; an erased actor_label changes nothing', async () => {
    const [victim] = await env.server.dataSource.query(`SELECT details::text AS details FROM audit_events WHERE seq = 3`);
    await rawUpdate(`details = details || '{"tampered": true}'`, 3);
    try {
      const broken = await verify(url);
      expect(broken.code).toBe(2);
      expect(broken.stdout).toContain('Audit trail BROKEN at seq 3 (HASH_MISMATCH)');
      expect(broken.stdout).toContain('2 events before it are intact');
    } finally {
      await rawUpdate(`details = $2::jsonb`, 3, [victim.details]);
    }
    expect((await verify(url)).code).toBe(0);

    // Erasure goes through the trigger, which allows exactly this change.
    await env.server.dataSource.query(`UPDATE audit_events SET actor_label = 'erased person' WHERE seq <= 2`);
    expect((await verify(url)).code).toBe(0);
  });

  it('reports a gap where an event was deleted, and a bad anchor as a usage error', async () => {
    // Kept aside in the same database, so it comes back exactly (a JS Date would lose the microseconds).
    await env.server.dataSource.query(`CREATE TABLE deleted_event AS SELECT * FROM audit_events WHERE seq = 2`);
    const asReplica = (statement: string) =>
      env.server.dataSource.transaction(async (m) => {
        await m.query(`SET LOCAL session_replication_role = replica`);
        await m.query(statement);
      });
    await asReplica(`DELETE FROM audit_events WHERE seq = 2`);
    try {
      const gap = await verify(url);
      expect(gap.code).toBe(2);
      expect(gap.stdout).toContain('Audit trail BROKEN at seq 2 (GAP): Event 2 is missing');
    } finally {
      await asReplica(`INSERT INTO audit_events SELECT * FROM deleted_event`);
      await env.server.dataSource.query(`DROP TABLE deleted_event`);
    }
    expect((await verify(url)).code).toBe(0);
    const usage = await verify(url, '--anchor', 'not-an-anchor');
    expect(usage.code).toBe(1);
    expect(usage.stderr).toContain('--anchor takes <seq>:<hash>');
  });

  // Last: it stops the test server's sealer, as a server that died after its requests committed.
  it('loses nothing when a server stops between append and seal: the events wait, and verify chains them first', async () => {
    await env.server.auditSealer.stop();
    const [{ before }] = await env.server.dataSource.query(`SELECT count(*)::int AS before FROM audit_events`);
    await env.server.dataSource.query(
      `INSERT INTO audit_events (actor_label, action, entity_type, request_id) SELECT 'system', 'group.create', 'Group', 'appended-' || i FROM generate_series(1, 3) i`,
    );
    const [{ waiting }] = await env.server.dataSource.query(`SELECT count(*)::int AS waiting FROM audit_events WHERE seq IS NULL`);
    expect(waiting).toBe(3);
    const run = await verify(url);
    expect(run).toMatchObject({ code: 0 });
    expect(run.stdout).toContain('Sealed 3 audit events that had been appended but not yet chained.');
    expect(run.stdout).toContain(`Audit trail OK: ${before + 3} events, chain intact.`);
    expect(await env.server.dataSource.query(`SELECT count(*)::int AS n FROM audit_events WHERE seq IS NULL`)).toEqual([{ n: 0 }]);
  });
});
