import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EntityManager } from 'typeorm';
import { createTestEnvironment, databaseKinds, type TestEnvironment } from '../../testing/test-environment.js';
import { contextFor } from '../../common/context.js';
import { auditMany } from '../../common/audit.js';
import { canonicalPayload, chainColumnsSql, eventHash, GENESIS_HASH, HASHED_FIELDS, verifyAuditChain, type ChainRow, type HashedField } from './audit-chain.js';
import {
  AuditChainCloseGroupDocument, AuditChainCreateGroupDocument, AuditChainLatestEventsDocument, AuditChainUpdateGroupDocument, AuditChainVerifyDocument,
} from '../../testing/generated/graphql.js';

const CREATE = AuditChainCreateGroupDocument;
const UPDATE = AuditChainUpdateGroupDocument;
const CLOSE = AuditChainCloseGroupDocument;

/** Changes one character: the next letter or digit (or the previous one at the end of the range). */
function flipChar(c: string): string {
  if (/[0-8a-yA-Y]/.test(c)) return String.fromCharCode(c.charCodeAt(0) + 1);
  if (/[9zZ]/.test(c)) return String.fromCharCode(c.charCodeAt(0) - 1);
  return c === 'x' ? 'y' : 'x';
}
const flipLast = (s: string): string => s.slice(0, -1) + flipChar(s.slice(-1));
/** Changes the last hex digit, keeping a uuid or hash well-formed. */
const flipHex = (s: string): string => s.slice(0, -1) + (s.endsWith('0') ? '1' : '0');

/** A deterministic PRNG, so a failing fuzz case can be reproduced. */
function mulberry32(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe.each(await databaseKinds())('tamper-evident audit trail on %s', (kind) => {
  let env: TestEnvironment;

  beforeAll(async () => {
    env = await createTestEnvironment(kind);
    const officer = await env.as('officer');
    for (const name of ['Chained page one', 'Chained page two — ünïcode 😀']) {
      const { createGroup } = await officer.ok(CREATE, { input: { name, platform: 'X', kind: 'OTHER', riskLevel: 'LOW' } });
      const { updateGroup } = await officer.ok(UPDATE, { input: { id: createGroup.id, version: 1, notes: 'Private "note"\nwith a line break' } });
      await officer.ok(CLOSE, { input: { id: createGroup.id, version: updateGroup.version, reason: 'Page gone' } });
    }
    await env.server.auditSealer.sealNow();
  });
  afterAll(() => env?.close());

  const sql = (text: string, params: unknown[] = []) => env.server.dataSource.query(text, params);

  /** Runs `fn` in a transaction that is always rolled back: tampering never outlives its test. */
  async function rolledBack<T>(fn: (m: EntityManager) => Promise<T>): Promise<T> {
    const runner = env.server.dataSource.createQueryRunner();
    await runner.connect();
    await runner.startTransaction();
    try {
      return await fn(runner.manager);
    } finally {
      await runner.rollbackTransaction();
      await runner.release();
    }
  }

  /** As the superuser with triggers off (`session_replication_role = replica`): what an attacker with the database could do. */
  const tamper = (m: EntityManager, text: string, params: unknown[] = []) =>
    m.query(`SET LOCAL session_replication_role = replica`).then(() => m.query(text, params));

  /** The chain as it stands once everything committed is sealed. */
  async function events(m?: EntityManager): Promise<ChainRow[]> {
    if (!m) await env.server.auditSealer.sealNow();
    return (m ?? env.server.dataSource).query(`SELECT ${chainColumnsSql('e')} FROM audit_events e ORDER BY e.seq`);
  }

  it('chains every event: seq 1, 2, 3 … without gaps, each prev_hash the hash before it, each hash recomputed in TypeScript', async () => {
    const rows = await events();
    expect(rows.length).toBeGreaterThanOrEqual(6);
    expect(rows.map((r) => r.seq)).toEqual(rows.map((_, i) => String(i + 1)));
    expect(rows[0]!.prev_hash).toBe(GENESIS_HASH);
    for (const [i, row] of rows.entries()) {
      expect(row.hash).toMatch(/^[0-9a-f]{64}$/);
      expect(eventHash(row)).toBe(row.hash);
      if (i > 0) expect(row.prev_hash).toBe(rows[i - 1]!.hash);
    }
    const status = await verifyAuditChain(env.server.dataSource);
    expect(status).toEqual({
      ok: true, events: rows.length, firstBrokenSeq: null, reason: null, explanation: null,
      headSeq: rows.at(-1)!.seq, headHash: rows.at(-1)!.hash, unsealed: 0,
    });
    // The personal field is not in what is hashed.
    const [withLabel] = await sql(`SELECT actor_label FROM audit_events WHERE seq = 1`);
    expect(canonicalPayload(rows[0]!)).not.toContain(withLabel.actor_label);
  });

  it('serialises byte for byte as the database does, for awkward values and 300 random ones', async () => {
    const random = mulberry32(20240229);
    const pool = ['a', 'Z', '0', ' ', '"', "'", '\\', '\n', '\r', '\t', '=', ':', '-', '|', '{', '}', '[', ']', ',', 'é', 'ß', '中', '😀', '\u2028', '\u202e', '\u0001', '\u007f', '\u00a0'];
    const text = () => Array.from({ length: Math.floor(random() * 12) }, () => pool[Math.floor(random() * pool.length)]).join('');
    const maybe = <T>(v: () => T): T | null => (random() < 0.2 ? null : v());
    const cases: Record<HashedField, string | null>[] = [
      // The edges: empty strings, NULLs, text that looks like the format itself, non-UTC input times, jsonb normalisation.
      { seq: '1', at: '2024-02-29T23:59:59.999999Z', actor_id: null, action: '', entity_type: '', entity_id: null, group_id: null, referral_team: null, request_id: null, details: '{}', prev_hash: GENESIS_HASH },
      { seq: '9223372036854775807', at: '1999-12-31 23:00:00.5+05:30', actor_id: randomUUID().toUpperCase(), action: 'x\nseq=3:abc', entity_type: '-', entity_id: randomUUID(), group_id: randomUUID(), referral_team: 'HR', request_id: 'req=1:2', details: '{"b": 1, "a": [1.0, 1e100, -0, 12345678901234567890], "aa": null, "a\\"b": "\\u0001é😀"}', prev_hash: 'f'.repeat(64) },
      { seq: '42', at: '2100-01-01T00:00:00Z', actor_id: randomUUID(), action: 'group.create', entity_type: 'Group', entity_id: randomUUID(), group_id: null, referral_team: 'DISCIPLINE', request_id: '', details: '{"a": 1, "a": 2, "nested": {"z": true, "y": [false, "\\n"]}}', prev_hash: '' },
    ];
    for (let i = 0; i < 300; i++) {
      const micros = Math.floor(random() * 4e15) - 1e15;
      cases.push({
        seq: String(1 + Math.floor(random() * 1e12)),
        at: new Date(Math.floor(micros / 1000)).toISOString().replace('Z', `${String(Math.abs(micros) % 1000).padStart(3, '0')}Z`),
        actor_id: maybe(randomUUID), action: text(), entity_type: text(), entity_id: maybe(randomUUID), group_id: maybe(randomUUID),
        referral_team: maybe(text), request_id: maybe(text),
        details: JSON.stringify(Object.fromEntries(Array.from({ length: Math.floor(random() * 4) }, () => [text(), random() < 0.5 ? text() : random() * 1000]))),
        prev_hash: maybe(text),
      });
    }
    const col = (f: HashedField) => cases.map((c) => c[f]);
    const rows: (ChainRow & { sql_payload: string; sql_hash: string })[] = await sql(
      `SELECT ${chainColumnsSql('t')},
              audit_event_payload(t.seq, t.at, t.actor_id, t.action, t.entity_type, t.entity_id, t.group_id, t.referral_team, t.request_id, t.details, t.prev_hash) AS sql_payload,
              encode(sha256(convert_to(audit_event_payload(t.seq, t.at, t.actor_id, t.action, t.entity_type, t.entity_id, t.group_id, t.referral_team, t.request_id, t.details, t.prev_hash), 'UTF8')), 'hex') AS sql_hash
         FROM unnest($1::bigint[], $2::timestamptz[], $3::uuid[], $4::text[], $5::text[], $6::uuid[], $7::uuid[], $8::text[], $9::text[], $10::jsonb[], $11::text[], $12::text[])
              AS t(seq, at, actor_id, action, entity_type, entity_id, group_id, referral_team, request_id, details, prev_hash, hash)
        ORDER BY t.seq, t.action`,
      [...HASHED_FIELDS.map(col), cases.map(() => null)],
    );
    expect(rows).toHaveLength(cases.length);
    for (const row of rows) {
      expect(canonicalPayload(row)).toBe(row.sql_payload);
      expect(eventHash(row)).toBe(row.sql_hash);
    }
  });

  it('auditMany writes several events as one statement, in order, chained, details intact', async () => {
    const ACTIONS = ['group.create', 'group.update', 'group.status'] as const;
    const details = [{ note: 'quote " backslash \\ brace } comma , é 😀', n: 1.5 }, {}, { list: [1, 'two', null], nested: { a: true } }];
    const rows = await rolledBack(async (m) => {
      const [officer] = await m.query(`SELECT id, email, display_name AS "displayName", roles FROM users WHERE email = 'officer@signpost.test'`);
      const ctx = contextFor(m, env.server.config, officer, 'audit-many-test');
      await auditMany(ctx, details.map((d, i) => ({ action: ACTIONS[i]!, entityType: 'Test', entityId: null, details: d })));
      await auditMany(ctx, []);
      // Appended, not chained: the sealer does that (here in the same transaction, which alone sees the rows).
      expect(await m.query(`SELECT count(*)::int AS n FROM audit_events WHERE request_id = 'audit-many-test' AND seq IS NULL`)).toEqual([{ n: 3 }]);
      expect(await m.query(`SELECT audit_seal(100) AS n`)).toEqual([{ n: 3 }]);
      expect(await verifyAuditChain(m)).toMatchObject({ ok: true, unsealed: 0 });
      return m.query(`SELECT action, details, actor_label, request_id FROM audit_events WHERE request_id = 'audit-many-test' ORDER BY seq`);
    });
    expect(rows).toEqual(details.map((d, i) => ({ action: ACTIONS[i], details: d, actor_label: 'officer@signpost.test', request_id: 'audit-many-test' })));
  });

  it('lets no writer choose seq, prev_hash, hash or the time', async () => {
    await rolledBack(async (m) => {
      const [last] = await m.query(`SELECT seq::text AS seq, hash FROM audit_events ORDER BY seq DESC LIMIT 1`);
      const [row] = await m.query(
        `INSERT INTO audit_events (actor_label, action, entity_type, seq, prev_hash, hash, at)
         VALUES ('forger@example.test', 'group.create', 'Group', 1, $1, 'forged', '2000-01-01T00:00:00Z')
         RETURNING seq::text AS seq, prev_hash, hash, at > now() - interval '1 hour' AS recent`,
        [GENESIS_HASH],
      );
      // Appended with no place in the chain yet, whatever it sent, and stamped now.
      expect(row).toMatchObject({ seq: null, prev_hash: null, hash: null, recent: true });
      expect(await verifyAuditChain(m)).toMatchObject({ ok: true, unsealed: 1, headSeq: last.seq });
      await m.query(`SELECT audit_seal(100)`);
      const [sealed] = await m.query(`SELECT seq::text AS seq, prev_hash FROM audit_events WHERE actor_label = 'forger@example.test'`);
      expect(sealed).toEqual({ seq: String(Number(last.seq) + 1), prev_hash: last.hash });
      expect(await verifyAuditChain(m)).toMatchObject({ ok: true, unsealed: 0, headSeq: sealed.seq });
    });
  });

  it('detects a change to any byte of any hashed field of any event, and names its seq', async () => {
    const rows = await events();
    const tampered: Record<HashedField | 'hash', (r: ChainRow) => [string, unknown[]]> = {
      seq: () => [`seq = seq + 1000000`, []],
      at: () => [`at = at + interval '1 microsecond'`, []],
      actor_id: (r) => [`actor_id = $2::uuid`, [r.actor_id ? flipHex(r.actor_id) : randomUUID()]],
      action: (r) => [`action = $2`, [flipLast(r.action!)]],
      entity_type: (r) => [`entity_type = $2`, [flipLast(r.entity_type!)]],
      entity_id: (r) => [`entity_id = $2::uuid`, [r.entity_id ? flipHex(r.entity_id) : randomUUID()]],
      group_id: (r) => [`group_id = $2::uuid`, [r.group_id ? flipHex(r.group_id) : randomUUID()]],
      referral_team: (r) => [`referral_team = $2`, [r.referral_team ? flipLast(r.referral_team) : 'HR']],
      request_id: (r) => [`request_id = $2`, [r.request_id ? flipLast(r.request_id) : 'x']],
      // One character of the first key (still valid JSON), or a key where there was none.
      details: (r) => [`details = $2::jsonb`, [r.details === '{}' ? '{"x": 1}' : r.details!.replace(/^\{"(.)/, (_, c: string) => `{"${flipChar(c)}`)]],
      prev_hash: (r) => [`prev_hash = $2`, [flipHex(r.prev_hash!)]],
      hash: (r) => [`hash = $2`, [flipHex(r.hash!)]],
    };
    let checked = 0;
    for (const row of rows) {
      for (const [field, change] of Object.entries(tampered)) {
        const [set, params] = change(row);
        const status = await rolledBack(async (m) => {
          await tamper(m, `UPDATE audit_events SET ${set} WHERE seq = $1`, [row.seq, ...params]);
          return verifyAuditChain(m);
        });
        const expected = field === 'seq' ? 'GAP' : field === 'prev_hash' ? 'PREV_HASH_MISMATCH' : 'HASH_MISMATCH';
        expect({ field, seq: row.seq, ok: status.ok, firstBrokenSeq: status.firstBrokenSeq, reason: status.reason })
          .toEqual({ field, seq: row.seq, ok: false, firstBrokenSeq: row.seq, reason: expected });
        expect(status.events).toBe(Number(row.seq) - 1);
        checked += 1;
      }
    }
    expect(checked).toBe(rows.length * (HASHED_FIELDS.length + 1));
    // Rolled back every time: the real trail is untouched.
    expect((await verifyAuditChain(env.server.dataSource)).ok).toBe(true);
  });

  it('detects a deleted event as a gap, a reordering, and (with an anchor) a trail cut short at the end', async () => {
    const rows = await events();
    const n = rows.length;
    for (const seq of [1, 3, n - 1]) {
      const status = await rolledBack(async (m) => {
        await tamper(m, `DELETE FROM audit_events WHERE seq = $1`, [seq]);
        return verifyAuditChain(m);
      });
      expect(status).toMatchObject({ ok: false, firstBrokenSeq: String(seq), reason: 'GAP' });
      expect(status.explanation).toContain(`Event ${seq} is missing`);
    }
    const reordered = await rolledBack(async (m) => {
      await tamper(m, `UPDATE audit_events SET seq = -seq WHERE seq IN (3, 4)`);
      await tamper(m, `UPDATE audit_events SET seq = CASE seq WHEN -3 THEN 4 ELSE 3 END WHERE seq IN (-3, -4)`);
      return verifyAuditChain(m);
    });
    expect(reordered).toMatchObject({ ok: false, firstBrokenSeq: '3', reason: 'PREV_HASH_MISMATCH' });
    // Removing the newest events leaves a valid shorter chain: only a head recorded elsewhere catches it.
    const anchor = { seq: rows.at(-1)!.seq!, hash: rows.at(-1)!.hash! };
    expect((await verifyAuditChain(env.server.dataSource, { anchor })).ok).toBe(true);
    const cut = await rolledBack(async (m) => {
      await tamper(m, `DELETE FROM audit_events WHERE seq >= $1`, [n - 1]);
      return [await verifyAuditChain(m), await verifyAuditChain(m, { anchor })] as const;
    });
    expect(cut[0].ok).toBe(true);
    expect(cut[1]).toMatchObject({ ok: false, firstBrokenSeq: String(n), reason: 'ANCHOR_MISMATCH' });
    // A rewritten chain (every hash recomputed after a change) no longer matches the recorded head.
    const rewritten = await rolledBack(async (m) => {
      await tamper(m, `UPDATE audit_events SET hash = repeat('a', 64) WHERE seq = $1`, [n]);
      return verifyAuditChain(m, { anchor });
    });
    expect(rewritten).toMatchObject({ ok: false, firstBrokenSeq: String(n) });
  });

  it('keeps the chain intact when the personal field (actor_label) is erased', async () => {
    const status = await rolledBack(async (m) => {
      // Triggers on: erasure is an allowed change.
      await m.query(`UPDATE audit_events SET actor_label = 'erased'`);
      const [{ labels }] = await m.query(`SELECT array_agg(DISTINCT actor_label) AS labels FROM audit_events`);
      expect(labels).toEqual(['erased']);
      return verifyAuditChain(m);
    });
    expect(status.ok).toBe(true);
  });

  it('is append-only: the database refuses to change a hashed field, delete or truncate, even for its owner', async () => {
    const refused = async (statement: string, role?: string) => {
      const error = await rolledBack(async (m) => {
        if (role) await m.query(`SET LOCAL ROLE ${role}`);
        return m.query(statement).then(() => null, (e: Error) => e);
      });
      return error?.message ?? 'allowed';
    };
    // The trigger, for anyone whose triggers run (here the superuser that owns the table).
    expect(await refused(`UPDATE audit_events SET action = 'group.delete' WHERE seq = 1`)).toMatch(/append-only/);
    expect(await refused(`UPDATE audit_events SET details = details || '{"x": 1}' WHERE seq = 2`)).toMatch(/append-only/);
    expect(await refused(`DELETE FROM audit_events WHERE seq = 1`)).toMatch(/append-only/);
    expect(await refused(`TRUNCATE audit_events`)).toMatch(/append-only/);
    // The privileges of the API's role (RowLevelSecurity migration): nothing but appending and actor_label.
    expect(await refused(`UPDATE audit_events SET action = 'group.delete' WHERE seq = 1`, 'signpost_app')).toMatch(/permission denied/);
    expect(await refused(`UPDATE audit_events SET hash = 'x'`, 'signpost_app')).toMatch(/permission denied/);
    expect(await refused(`DELETE FROM audit_events`, 'signpost_app')).toMatch(/permission denied/);
    expect(await refused(`TRUNCATE audit_events`, 'signpost_app')).toMatch(/permission denied/);
    expect(await refused(`UPDATE audit_events SET actor_label = 'erased' WHERE seq = 1`, 'signpost_app')).toBe('allowed');
    expect((await verifyAuditChain(env.server.dataSource)).ok).toBe(true);
  });

  // Two transactions open at once need two connections: the embedded database has one (its writers take turns anyway).
  if (kind === 'postgres') it('appends without a lock: two open transactions append at once, neither waits; sealed after commit, in one chain', async () => {
    const open = async () => {
      const runner = env.server.dataSource.createQueryRunner();
      await runner.connect();
      await runner.startTransaction();
      await runner.query(`SET LOCAL ROLE signpost_app`);
      return runner;
    };
    const [a, b] = [await open(), await open()];
    const append = (r: typeof a, id: string) =>
      r.query(`INSERT INTO audit_events (actor_label, action, entity_type, request_id) VALUES ('system', 'group.create', 'Group', $1)`, [id]);
    const inTime = <T>(p: Promise<T>) => Promise.race([p, new Promise<never>((_, reject) => setTimeout(() => reject(new Error('an append waited for another transaction')), 5000))]);
    try {
      await inTime(append(a, 'lockless-a'));
      // With the old chain, this one waited for `a` to commit (the advisory lock): now it goes straight in.
      await inTime(append(b, 'lockless-b'));
      await b.commitTransaction();
      await a.commitTransaction();
    } finally {
      await a.release();
      await b.release();
    }
    const [{ waiting }] = await sql(`SELECT count(*)::int AS waiting FROM audit_events WHERE request_id LIKE 'lockless-%' AND seq IS NULL`);
    // Not told to seal (committed outside a request): both wait for the sealer, and nothing is lost meanwhile.
    expect(waiting).toBe(2);
    expect(await verifyAuditChain(env.server.dataSource)).toMatchObject({ ok: true, unsealed: 2 });
    expect(await env.server.auditSealer.sealNow()).toBeGreaterThanOrEqual(2);
    const rows = await sql(`SELECT request_id, seq FROM audit_events WHERE request_id LIKE 'lockless-%' ORDER BY seq`);
    expect(rows.map((r: { request_id: string }) => r.request_id)).toEqual(['lockless-a', 'lockless-b']);
    expect(await verifyAuditChain(env.server.dataSource)).toMatchObject({ ok: true, unsealed: 0 });
  });

  it('seals events a request committed without anyone asking: the request tells the sealer', async () => {
    const officer = await env.as('officer');
    const { createGroup } = await officer.ok(CREATE, { input: { name: 'Sealed soon after', platform: 'X', kind: 'OTHER', riskLevel: 'LOW' } });
    const sealedAt = Date.now() + 10_000;
    let row: { seq: string | null } | undefined;
    while (Date.now() < sealedAt) {
      [row] = await sql(`SELECT seq::text AS seq FROM audit_events WHERE entity_id = $1 AND action = 'group.create'`, [createGroup.id]);
      if (row?.seq) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(row?.seq).toMatch(/^[1-9][0-9]*$/);
  });

  it('gathers: the events of twenty requests committing together are chained by a few runs of the sealer, not twenty', async () => {
    const officer = await env.as('officer');
    await env.server.auditSealer.sealNow();
    const runs = env.server.auditSealer.runs;
    await Promise.all(
      Array.from({ length: 20 }, (_, i) => officer.ok(CREATE, { input: { name: `Gathered ${i}`, platform: 'X', kind: 'OTHER', riskLevel: 'LOW' } })),
    );
    await new Promise((r) => setTimeout(r, 300));
    const [{ waiting }] = await sql(`SELECT count(*)::int AS waiting FROM audit_events WHERE seq IS NULL`);
    expect(waiting).toBe(0);
    expect(env.server.auditSealer.runs - runs).toBeLessThanOrEqual(10);
    expect((await verifyAuditChain(env.server.dataSource)).ok).toBe(true);
  });

  it('answers auditChainStatus for the data protection officer, and shows seq and hash on events', async () => {
    const dpo = await env.as('dpo');
    await env.server.auditSealer.sealNow();
    const STATUS = AuditChainVerifyDocument;
    const { auditChainStatus } = await dpo.ok(STATUS);
    const [{ n }] = await sql(`SELECT count(*)::int AS n FROM audit_events`);
    expect(auditChainStatus).toMatchObject({ ok: true, events: n, firstBrokenSeq: null, reason: null, headSeq: String(n), unsealed: 0 });

    const { auditEvents } = await dpo.ok(AuditChainLatestEventsDocument);
    const nodes = auditEvents.edges.map((e) => e.node);
    expect(nodes[0].seq).toBe(String(n));
    expect(nodes[0].hash).toBe(auditChainStatus.headHash);
    expect(nodes[0].prevHash).toBe(nodes[1].hash);

    for (const who of ['officer', 'lead', 'discipline', 'admin'] as const) await (await env.as(who)).fails('FORBIDDEN', STATUS);
    await env.anonymous().fails('UNAUTHENTICATED', STATUS);

    // Committed tampering (and its repair) seen through the API.
    const [victim] = await sql(`SELECT seq::text AS seq, action FROM audit_events WHERE seq = 2`);
    const writeRaw = (action: string) =>
      env.server.dataSource.transaction(async (m) => {
        await m.query(`SET LOCAL session_replication_role = replica`);
        await m.query(`UPDATE audit_events SET action = $1 WHERE seq = 2`, [action]);
      });
    await writeRaw('group.delete');
    try {
      const broken = (await dpo.ok(STATUS)).auditChainStatus;
      expect(broken).toMatchObject({ ok: false, events: 1, firstBrokenSeq: '2', reason: 'HASH_MISMATCH' });
    } finally {
      await writeRaw(victim.action);
    }
    expect((await dpo.ok(STATUS)).auditChainStatus.ok).toBe(true);
  });
});
