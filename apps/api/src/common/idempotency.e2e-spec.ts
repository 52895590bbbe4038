import { randomUUID } from 'node:crypto';
import { print, stripIgnoredCharacters } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnvironment, databaseKinds, type TestEnvironment } from '../testing/test-environment.js';
import { TestClient } from '../testing/test-client.js';
import { createSchema } from '../schema.js';
import { createUser, setUserRoles } from '../modules/users/user.service.js';
import { canonicalJson } from './idempotency.js';
import { operationTable } from './operation-registry.js';
import { groupIn } from '../testing/builders.js';
import { MAX_VALUE_DEPTH } from '../security/graphql-http-guard.js';
import {
  IdempotencyCreateGroupDocument, IdempotencyDraftReferralDocument, IdempotencyGroupsCountDocument, IdempotencyMixedDocument,
  IdempotencySubmitReferralDocument, IdempotencyTransferReferralDocument, IdempotencyUpdateGroupDocument,
  type IdempotencyCreateGroupMutationVariables,
} from '../testing/generated/graphql.js';

// `send` posts text: each document printed once, so every request sends the very same bytes.
const CREATE = print(IdempotencyCreateGroupDocument);
const UPDATE = print(IdempotencyUpdateGroupDocument);
const SUBMIT = print(IdempotencySubmitReferralDocument);
const TRANSFER = print(IdempotencyTransferReferralDocument);

interface Answer {
  status: number;
  replayedHeader: string | null;
  data?: Record<string, any> | null;
  errors?: { message: string; extensions?: Record<string, unknown> }[];
  extensions?: Record<string, unknown>;
  raw: string;
}

/** A GraphQL POST with an Idempotency-Key header (TestClient has no way to add one). */
async function send(client: TestClient, key: string | null, query: string, variables?: Record<string, unknown>): Promise<Answer> {
  const res = await fetch(`${client.baseUrl}/graphql`, {
    method: 'POST',
    headers: client.headers(key === null ? {} : { 'idempotency-key': key }),
    body: JSON.stringify({ query, variables }),
  });
  const raw = await res.text();
  return { status: res.status, replayedHeader: res.headers.get('idempotent-replayed'), raw, ...JSON.parse(raw) };
}

const groupInput = (name: string): IdempotencyCreateGroupMutationVariables => ({ input: { name, platform: 'REDDIT', kind: 'CONFESSIONS', riskLevel: 'MEDIUM' } });

describe('the mutations that honour an Idempotency-Key', () => {
  it('are read from the resolvers\' @Idempotent() declarations, each with the permission it itself requires (so a replay checks the same one)', async () => {
    await createSchema();
    const table = operationTable();
    expect(table.idempotent).toEqual(expect.arrayContaining(['createGroup', 'addAdministrator', 'logContact', 'proposeWording', 'recordConcern', 'recordReview',
      'draftReferral', 'recordEscalation', 'createWordingTemplate', 'submitReferral', 'transferReferral']));
    expect(table.idempotent).not.toContain('createServiceClient');
    for (const name of table.idempotent) {
      const required = table.Mutation[name];
      expect({ name, guarded: Array.isArray(required) && required.length > 0 }).toEqual({ name, guarded: true });
    }
  });
});

/** The recursive canonical JSON that stored keys were hashed with: the iterative one must give the same text. */
function recursiveCanonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? 'null' : recursiveCanonicalJson(v))).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${recursiveCanonicalJson(v)}`).join(',')}}`;
}

describe('canonicalJson', () => {
  it('sorts keys at every level and writes what JSON cannot hold as null, exactly as before', () => {
    const value = { b: [3, undefined, { z: 1, a: 'é"\n' }], a: { y: null, x: [], w: {} }, skipped: undefined, '': 0.5 };
    expect(canonicalJson(value)).toBe('{"":0.5,"a":{"w":{},"x":[],"y":null},"b":[3,null,{"a":"é\\"\\n","z":1}]}');
    expect(canonicalJson(value)).toBe(recursiveCanonicalJson(value));
    for (const scalar of [null, undefined, 0, -1.5, true, '', 'text']) expect(canonicalJson(scalar)).toBe(recursiveCanonicalJson(scalar));
  });

  it('gives the same text as the recursive version for 300 random values', () => {
    let seed = 7;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const make = (depth: number): unknown => {
      const pick = random();
      if (depth > 4 || pick < 0.3) return [null, true, 42, -0.25, 'a', 'ü\u2028', undefined][Math.floor(random() * 7)];
      if (pick < 0.6) return Array.from({ length: Math.floor(random() * 4) }, () => make(depth + 1));
      return Object.fromEntries(Array.from({ length: Math.floor(random() * 4) }, () => [`k${Math.floor(random() * 10)}`, make(depth + 1)]));
    };
    for (let i = 0; i < 300; i++) {
      const value = make(0);
      expect(canonicalJson(value)).toBe(recursiveCanonicalJson(value));
    }
  });

  it('writes a value nested 100,000 deep without overflowing the stack', () => {
    let deep: unknown = [];
    for (let i = 1; i < 100_000; i++) deep = { a: [deep] };
    expect(canonicalJson(deep)).toBe('{"a":['.repeat(99_999) + '[]' + ']}'.repeat(99_999));
  });
});

describe.each(await databaseKinds())('idempotency keys on %s', (kind) => {
  let env: TestEnvironment;
  let officer: TestClient;
  let lead: TestClient;

  beforeAll(async () => {
    env = await createTestEnvironment(kind);
    [officer, lead] = await Promise.all([env.as('officer'), env.as('lead')]);
  });
  afterAll(() => env?.close());

  const sql = (text: string, params: unknown[] = []) => env.server.dataSource.query(text, params);
  const count = async (text: string, params: unknown[] = []) => (await sql(text, params))[0].n as number;
  const groupsNamed = (name: string) => count(`SELECT count(*)::int AS n FROM groups WHERE name = $1`, [name]);
  const auditEvents = () => count(`SELECT count(*)::int AS n FROM audit_events`);
  const keyRows = (key: string) => count(`SELECT count(*)::int AS n FROM idempotency_keys WHERE key = $1`, [key]);

  it('answers a retry with the first result, byte for byte, and writes nothing new', async () => {
    const key = `create-${randomUUID()}`;
    const first = await send(officer, key, CREATE, groupInput('Retried page'));
    expect(first.status).toBe(200);
    expect(first.errors).toBeUndefined();
    expect(first.extensions).toBeUndefined();
    const events = await auditEvents();

    const retry = await send(officer, key, CREATE, groupInput('Retried page'));
    expect(retry).toMatchObject({ status: 200, replayedHeader: 'true', extensions: { idempotentReplay: true } });
    expect(retry.data).toEqual(first.data);
    // Fields in the order they were first sent (json, not jsonb).
    expect(JSON.stringify(retry.data)).toBe(JSON.stringify(first.data));
    expect(await groupsNamed('Retried page')).toBe(1);
    expect(await auditEvents()).toBe(events);

    // The same document laid out differently is the same request.
    const reformatted = await send(officer, key, stripIgnoredCharacters(CREATE), groupInput('Retried page'));
    expect(reformatted.data).toEqual(first.data);
    expect(await groupsNamed('Retried page')).toBe(1);
  });

  it('refuses the same key with a different request (CONFLICT, IDEMPOTENCY_KEY_REUSED, 422) and writes nothing', async () => {
    const key = `reuse-${randomUUID()}`;
    await send(officer, key, CREATE, groupInput('First payload'));
    const events = await auditEvents();
    const reused = await send(officer, key, CREATE, groupInput('Second payload'));
    expect(reused.status).toBe(422);
    expect(reused.data ?? null).toBeNull();
    expect(reused.errors?.[0]?.extensions).toEqual({ code: 'CONFLICT', reason: 'IDEMPOTENCY_KEY_REUSED', entity: 'Request', currentVersion: null });
    expect(await groupsNamed('Second payload')).toBe(0);
    expect(await groupsNamed('First payload')).toBe(1);
    expect(await auditEvents()).toBe(events);
  });

  it('runs one of several concurrent requests with the same key; the others replay its result', async () => {
    const key = `concurrent-${randomUUID()}`;
    const answers = await Promise.all(Array.from({ length: 5 }, () => send(officer, key, CREATE, groupInput('Concurrent page'))));
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200, 200]);
    expect(answers.filter((a) => a.extensions?.idempotentReplay !== true)).toHaveLength(1);
    for (const a of answers) expect(a.data).toEqual(answers[0]!.data);
    expect(await groupsNamed('Concurrent page')).toBe(1);
    expect(await count(`SELECT count(*)::int AS n FROM audit_events WHERE action = 'group.create' AND entity_id = $1`, [answers[0]!.data!.createGroup.id])).toBe(1);
    expect(await keyRows(key)).toBe(1);
  });

  it('keeps nothing for a failed mutation, so a corrected retry with the same key runs', async () => {
    const key = `failed-${randomUUID()}`;
    const failed = await send(officer, key, CREATE, groupInput('   '));
    expect(failed.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.name' });
    expect(await keyRows(key)).toBe(0);
    const fixed = await send(officer, key, CREATE, groupInput('Corrected page'));
    expect(fixed.errors).toBeUndefined();
    expect(fixed.extensions).toBeUndefined();
    const again = await send(officer, key, CREATE, groupInput('Corrected page'));
    expect(again.extensions).toEqual({ idempotentReplay: true });
    expect(await groupsNamed('Corrected page')).toBe(1);
  });

  it("keeps each caller's keys apart", async () => {
    const key = `shared-${randomUUID()}`;
    const a = await send(officer, key, CREATE, groupInput('Per caller page'));
    const b = await send(lead, key, CREATE, groupInput('Per caller page'));
    expect(a.extensions).toBeUndefined();
    expect(b.extensions).toBeUndefined();
    expect(b.data!.createGroup.id).not.toBe(a.data!.createGroup.id);
    expect(await groupsNamed('Per caller page')).toBe(2);
    // Row-level security: under the API's role a caller sees only its own keys.
    const visible = await env.server.dataSource.transaction(async (m) => {
      const [{ id }] = await m.query(`SELECT id FROM users WHERE email = 'officer@signpost.test'`);
      await m.query(`SELECT set_config('app.user_id', $1, true), set_config('role', 'signpost_app', true)`, [id]);
      return m.query(`SELECT principal_key FROM idempotency_keys WHERE key = $1`, [key]);
    });
    expect(visible).toHaveLength(1);
    expect(visible[0].principal_key).toMatch(/^user:/);
  });

  it('replays submitReferral and transferReferral instead of answering a retry with an error', async () => {
    const createGroup = await groupIn(env, 'REFUSED', { name: 'Referred page', administrators: ['STUDENT'] });
    const { draftReferral } = await officer.ok(IdempotencyDraftReferralDocument, { input: { groupId: createGroup.id, reason: 'REFUSED_TO_ENGAGE', summary: 'Refused to engage.' } });

    const submitKey = `submit-${randomUUID()}`;
    const submitVars = { input: { id: draftReferral.id, version: draftReferral.version, routing: { mode: 'AUTO' } } };
    const submitted = await send(lead, submitKey, SUBMIT, submitVars);
    expect(submitted.errors).toBeUndefined();
    const referral = submitted.data!.submitReferral.referrals[0];
    expect(referral).toMatchObject({ status: 'SUBMITTED', team: 'DISCIPLINE' });
    const events = await auditEvents();
    // Without the key the retry is refused (the draft's version moved on); with it, the first answer comes back.
    expect((await send(lead, null, SUBMIT, submitVars)).errors?.[0]?.extensions?.code).toBe('CONFLICT');
    const resubmitted = await send(lead, submitKey, SUBMIT, submitVars);
    expect(resubmitted.data).toEqual(submitted.data);
    expect(resubmitted.extensions).toEqual({ idempotentReplay: true });
    expect(await count(`SELECT count(*)::int AS n FROM referrals WHERE group_id = $1`, [createGroup.id])).toBe(1);
    expect(await auditEvents()).toBe(events);

    const discipline = await env.as('discipline');
    const transferKey = `transfer-${randomUUID()}`;
    const transferVars = { input: { id: referral.id, version: referral.version, toTeam: 'HR', reason: 'The administrator is staff.' } };
    const transferred = await send(discipline, transferKey, TRANSFER, transferVars);
    expect(transferred.errors).toBeUndefined();
    expect(transferred.data!.transferReferral).toMatchObject({ team: 'HR', status: 'SUBMITTED' });
    const afterTransfer = await auditEvents();
    // The referral has left discipline's scope: a blind retry would answer NOT_FOUND.
    expect((await send(discipline, null, TRANSFER, transferVars)).errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    const retried = await send(discipline, transferKey, TRANSFER, transferVars);
    expect(retried.data).toEqual(transferred.data);
    expect(retried.extensions).toEqual({ idempotentReplay: true });
    expect(await count(`SELECT count(*)::int AS n FROM referral_transfers WHERE referral_id = $1`, [referral.id])).toBe(1);
    expect(await auditEvents()).toBe(afterTransfer);
  });

  it('ignores a key on a query, and refuses one on a mutation that does not honour it (BAD_USER_INPUT, 400)', async () => {
    const queryKey = `query-${randomUUID()}`;
    const listed = await send(officer, queryKey, print(IdempotencyGroupsCountDocument));
    expect(listed.status).toBe(200);
    expect(listed.errors).toBeUndefined();
    expect(await keyRows(queryKey)).toBe(0);

    const { createGroup } = await officer.ok(IdempotencyCreateGroupDocument, groupInput('Not idempotent here'));
    const events = await auditEvents();
    const refused = await send(officer, `update-${randomUUID()}`, UPDATE, { input: { id: createGroup.id, version: 1, notes: 'changed' } });
    expect(refused.status).toBe(400);
    expect(refused.errors?.[0]?.extensions).toEqual({
      code: 'BAD_USER_INPUT', field: 'Idempotency-Key', fields: [{ field: 'Idempotency-Key', message: refused.errors?.[0]?.message }],
    });
    expect(refused.errors?.[0]?.message).toContain('updateGroup');
    expect((await sql(`SELECT version FROM groups WHERE id = $1`, [createGroup.id]))[0].version).toBe(1);
    expect(await auditEvents()).toBe(events);

    // One ineligible field in the document is enough to refuse the whole request.
    const mixed = await send(officer, `mixed-${randomUUID()}`, print(IdempotencyMixedDocument),
      { a: groupInput('Mixed page').input, u: { id: createGroup.id, version: 1, notes: 'x' } });
    expect(mixed.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'Idempotency-Key', fields: [{ field: 'Idempotency-Key' }] });
    expect(await groupsNamed('Mixed page')).toBe(0);

    for (const bad of ['', 'has space', 'x'.repeat(201), 'émoji', 'a/b']) {
      const answer = await send(officer, bad, CREATE, groupInput('Badly keyed page'));
      expect({ bad, status: answer.status, ext: answer.errors?.[0]?.extensions }).toMatchObject({
        bad, status: 400, ext: { code: 'BAD_USER_INPUT', field: 'Idempotency-Key', fields: [{ field: 'Idempotency-Key' }] },
      });
    }
    expect(await groupsNamed('Badly keyed page')).toBe(0);
  });

  it(`refuses variables nested more than ${MAX_VALUE_DEPTH} deep (400 BAD_USER_INPUT) before anything runs, and keys an input nested to the limit`, async () => {
    const key = `deep-${randomUUID()}`;
    const valid = groupInput('Deeply keyed page');
    // An unused variable 20,000 lists deep (about 40 kB): it used to overflow the stack while the request was hashed, a 500.
    const hostile = `{"query":${JSON.stringify(CREATE)},"variables":{"input":${JSON.stringify(valid.input)},"junk":${'['.repeat(20_000)}${']'.repeat(20_000)}}}`;
    const res = await fetch(`${officer.baseUrl}/graphql`, { method: 'POST', headers: officer.headers({ 'idempotency-key': key }), body: hostile });
    expect(res.status).toBe(400);
    expect(((await res.json()) as any).errors).toEqual([{
      message: expect.stringContaining(`more than ${MAX_VALUE_DEPTH} deep`),
      extensions: { code: 'BAD_USER_INPUT', field: 'variables', limit: 'depth', max: MAX_VALUE_DEPTH },
    }]);
    expect(await groupsNamed('Deeply keyed page')).toBe(0);
    expect(await keyRows(key)).toBe(0);

    // The variables object counts 1: lists 31 deep beside the input are at the limit and run, keyed and replayed.
    const nested = (levels: number): unknown => (levels === 0 ? 'leaf' : [nested(levels - 1)]);
    const atLimit = { ...valid, junk: nested(MAX_VALUE_DEPTH - 1) };
    const first = await send(officer, key, CREATE, atLimit);
    expect(first.errors).toBeUndefined();
    expect(first.status).toBe(200);
    const retry = await send(officer, key, CREATE, atLimit);
    expect(retry).toMatchObject({ status: 200, replayedHeader: 'true' });
    expect(retry.data).toEqual(first.data);
    expect(await groupsNamed('Deeply keyed page')).toBe(1);
    // One level more is refused, key or no key.
    expect((await send(officer, null, CREATE, { ...valid, junk: nested(MAX_VALUE_DEPTH) })).status).toBe(400);
    expect(await groupsNamed('Deeply keyed page')).toBe(1);
  });

  it('forgets a key after 24 hours', async () => {
    const key = `expiring-${randomUUID()}`;
    await send(officer, key, CREATE, groupInput('Yesterday page'));
    await sql(`UPDATE idempotency_keys SET created_at = now() - interval '25 hours' WHERE key = $1`, [key]);
    const today = await send(officer, key, CREATE, groupInput('Today page'));
    expect(today.errors).toBeUndefined();
    expect(today.extensions).toBeUndefined();
    expect(await groupsNamed('Today page')).toBe(1);
    expect(await keyRows(key)).toBe(1);
    // Expired keys of anyone are purged a few at a time as new keys are reserved.
    const stale = `stale-${randomUUID()}`;
    await sql(`INSERT INTO idempotency_keys (principal_key, key, request_hash, operation, created_at) VALUES ('user:${randomUUID()}', $1, 'h', 'createGroup', now() - interval '2 days')`, [stale]);
    await send(officer, `another-${randomUUID()}`, CREATE, groupInput('Purging page'));
    expect(await keyRows(stale)).toBe(0);
  });

  it("checks the caller's permission again before replaying", async () => {
    const email = `${randomUUID().slice(0, 8)}@idempotency.test`;
    await env.server.dataSource.transaction((m) => createUser(m, { email, displayName: 'Soon Gone', roles: ['SOCIAL_MEDIA_OFFICER'], password: 'a long test passphrase' }));
    const client = new TestClient(env.url);
    expect((await client.login(email, 'a long test passphrase')).status).toBe(200);
    const key = `revoked-${randomUUID()}`;
    expect((await send(client, key, CREATE, groupInput('Before the role went'))).errors).toBeUndefined();
    await env.server.dataSource.transaction((m) => setUserRoles(m, email, ['DATA_PROTECTION']));
    const replay = await send(client, key, CREATE, groupInput('Before the role went'));
    expect(replay.status).toBe(403);
    expect(replay.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(replay.data ?? null).toBeNull();
  });
});
