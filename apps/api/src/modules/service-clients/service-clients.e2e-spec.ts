import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnvironment, databaseKinds, type TestEnvironment } from '../../testing/test-environment.js';
import { TestClient } from '../../testing/test-client.js';
import { ServiceTokenClient } from '../../testing/service-token-client.js';
import type { Principal } from '@signpost/policy';
import { enterDatabaseContext } from '../../common/database-context.js';

const CREATE = `mutation($input: CreateServiceClientInput!) {
  createServiceClient(input: $input) { token client { id name scopes tokenPrefix revokedAt lastUsedAt createdBy { email } } }
}`;
const REVOKE = `mutation($input: RevokeServiceClientInput!) { revokeServiceClient(input: $input) { id name revokedAt } }`;

/** Every field of the register: what groups:read is for. */
const REGISTER_FIELDS = `id name platform handle url kind marketsToUniversity logoStatus usesLogo audienceSize discoveredAt
  riskLevel status nextReviewDue reviewOverdue version createdAt updatedAt`;

/** Every field of Group that carries personal data or the team's internal work, with a selection to ask for it. */
const PERSONAL_FIELDS: Record<string, string> = {
  administrators: 'administrators { id handle name }',
  contactLog: 'contactLog { id summary withWhom }',
  concerns: 'concerns { id description }',
  escalationPrompted: 'escalationPrompted',
  notes: 'notes',
  closeReason: 'closeReason',
  discoveryMethod: 'discoveryMethod',
  assignedOfficer: 'assignedOfficer { id email }',
  timeline: 'timeline { id action actorLabel }',
  referrals: 'referrals { id summary }',
  reviews: 'reviews { id notes }',
  escalations: 'escalations { id }',
  wordingAgreements: 'wordingAgreements { id }',
  currentWording: 'currentWording { id }',
  placements: 'placements { placement }',
};

describe.each(await databaseKinds())('service clients on %s', (kind) => {
  let env: TestEnvironment;
  let admin: TestClient;
  const bearer = (token: string) => new ServiceTokenClient(env.url, token);

  async function createClient(name: string, scopes: string[]): Promise<{ token: string; client: any }> {
    return (await admin.ok(CREATE, { input: { name, scopes } })).createServiceClient;
  }

  beforeAll(async () => {
    env = await createTestEnvironment(kind, { demoData: true });
    admin = await env.as('admin');
  });
  afterAll(() => env?.close());

  it('lets an administrator create a client whose token is shown once and stored only as its SHA-256', async () => {
    const { token, client } = await createClient('Student Union portal', ['groups:read']);
    expect(token).toMatch(/^sp_[A-Za-z0-9_-]{43}$/);
    expect(client).toMatchObject({ name: 'Student Union portal', scopes: ['groups:read'], tokenPrefix: token.slice(0, 10), revokedAt: null, lastUsedAt: null, createdBy: { email: 'admin@signpost.test' } });

    const rows: Record<string, unknown>[] = await env.server.dataSource.query('SELECT * FROM service_clients WHERE id = $1', [client.id]);
    expect(rows[0]!.token_hash).toBe(createHash('sha256').update(token).digest('hex'));
    expect(JSON.stringify(rows)).not.toContain(token);
    // Nothing in the API can show the token or its hash again.
    const { __type } = await admin.ok('{ __type(name: "ServiceClient") { fields { name } } }');
    const fields = __type.fields.map((f: { name: string }) => f.name);
    expect(fields).not.toContain('token');
    expect(fields).not.toContain('tokenHash');
    const { serviceClients } = await admin.ok('{ serviceClients { id name scopes tokenPrefix } }');
    expect(serviceClients).toContainEqual({ id: client.id, name: 'Student Union portal', scopes: ['groups:read'], tokenPrefix: token.slice(0, 10) });
    expect(JSON.stringify(serviceClients)).not.toContain(token);
  });

  it('refuses unknown scopes, no scopes and a name already used with BAD_USER_INPUT naming the field, creating nothing', async () => {
    const unknown = await admin.fails('BAD_USER_INPUT', CREATE, { input: { name: 'Wants write', scopes: ['groups:write'] } });
    expect(unknown.extensions?.field).toBe('input.scopes');
    const none = await admin.fails('BAD_USER_INPUT', CREATE, { input: { name: 'Wants nothing', scopes: [] } });
    expect(none.extensions?.field).toBe('input.scopes');
    const twice = await admin.fails('BAD_USER_INPUT', CREATE, { input: { name: 'Wants it twice', scopes: ['groups:read', 'groups:read'] } });
    expect(twice.extensions?.field).toBe('input.scopes');
    await createClient('Library kiosk', ['groups:read']);
    const taken = await admin.fails('BAD_USER_INPUT', CREATE, { input: { name: 'Library kiosk', scopes: ['groups:report'] } });
    expect(taken.extensions?.field).toBe('input.name');
    const odd = await admin.fails('BAD_USER_INPUT', CREATE, { input: { name: 'Kiosk\u202Eevil', scopes: ['groups:read'] } });
    expect(odd.extensions?.field).toBe('input.name');
    const { serviceClients } = await admin.ok('{ serviceClients { name } }');
    const names = serviceClients.map((c: { name: string }) => c.name);
    expect(names.filter((n: string) => n === 'Library kiosk')).toHaveLength(1);
    expect(names).not.toContain('Wants write');
    expect(names).not.toContain('Wants nothing');
    expect(names).not.toContain('Wants it twice');
  });

  it('keeps service clients to administrators: FORBIDDEN for other roles and services, UNAUTHENTICATED for nobody', async () => {
    const { token, client } = await createClient('Curious service', ['groups:read']);
    for (const who of ['officer', 'lead', 'hr', 'dpo'] as const) {
      const c = await env.as(who);
      await c.fails('FORBIDDEN', '{ serviceClients { id } }');
      await c.fails('FORBIDDEN', CREATE, { input: { name: `Made by ${who}`, scopes: ['groups:read'] } });
      await c.fails('FORBIDDEN', REVOKE, { input: { id: client.id } });
    }
    await bearer(token).fails('FORBIDDEN', '{ serviceClients { id } }');
    await bearer(token).fails('FORBIDDEN', REVOKE, { input: { id: client.id } });
    await env.anonymous().fails('UNAUTHENTICATED', '{ serviceClients { id } }');
  });

  it('lets a groups:read token read the register, and answers FORBIDDEN for every personal-data field', async () => {
    const { token } = await createClient('Register reader', ['groups:read']);
    const service = bearer(token);

    const { me } = await service.ok('{ me { roles permissions } }');
    expect(me).toEqual({ roles: [], permissions: ['group.read'] });

    const { groups } = await service.ok(`{ groups(first: 100) { totalCount edges { node { ${REGISTER_FIELDS} } } } }`);
    expect(groups.totalCount).toBeGreaterThanOrEqual(10);
    const officerView = await (await env.as('officer')).ok(`{ groups(first: 100) { totalCount edges { node { ${REGISTER_FIELDS} } } } }`);
    expect(groups).toEqual(officerView.groups);

    // Nothing the team knows about people appears anywhere in what the service can read.
    const personal = await (await env.as('officer')).ok(`{ groups(first: 100) { edges { node {
      notes discoveryMethod
      administrators { handle name universityId contactDetails notes affiliationMethod }
      contactLog { summary withWhom } concerns { description } } } } }`);
    const secrets = new Set<string>();
    for (const { node } of personal.groups.edges) {
      for (const value of [node.notes, node.discoveryMethod, ...node.administrators.flatMap(Object.values), ...node.contactLog.flatMap(Object.values), ...node.concerns.flatMap(Object.values)]) {
        if (typeof value === 'string' && value.length >= 6) secrets.add(value);
      }
    }
    expect(secrets.size).toBeGreaterThan(10);
    const seen = JSON.stringify(groups);
    expect([...secrets].filter((s) => seen.includes(s))).toEqual([]);

    const id = groups.edges[0].node.id;
    for (const [field, selection] of Object.entries(PERSONAL_FIELDS)) {
      const one = await service.fails('FORBIDDEN', `query($id: ID!) { group(id: $id) { id ${selection} } }`, { id });
      expect(one.path, field).toEqual(['group', field]);
      const list = await service.gql(`{ groups(first: 5) { edges { node { id ${selection} } } } }`);
      expect(list.errors?.length, field).toBeGreaterThan(0);
      expect(list.errors!.every((e) => e.extensions?.code === 'FORBIDDEN'), field).toBe(true);
      expect(JSON.stringify(list.data ?? null)).not.toMatch(/"(handle|summary|description|email)":"[^"]/);
    }
  });

  it('gives a groups:read token no referrals, no audit trail and no way to change anything', async () => {
    const { token } = await createClient('Register reader 2', ['groups:read']);
    const service = bearer(token);
    const { referrals } = await (await env.as('officer')).ok('{ referrals(first: 1) { edges { node { id } } } }');
    const referralId = referrals.edges[0].node.id;
    const { groups } = await service.ok('{ groups(first: 1) { edges { node { id version } } } }');
    const group = groups.edges[0].node;

    await service.fails('FORBIDDEN', '{ referrals(first: 5) { totalCount } }');
    await service.fails('FORBIDDEN', 'query($id: ID!) { referral(id: $id) { id summary } }', { id: referralId });
    await service.fails('FORBIDDEN', '{ auditEvents(first: 5) { totalCount } }');
    await service.fails('FORBIDDEN', '{ users { id } }');
    await service.fails('FORBIDDEN', 'mutation($input: UpdateGroupInput!) { updateGroup(input: $input) { id } }', { input: { id: group.id, version: group.version, name: 'Renamed by a service' } });
    await service.fails('FORBIDDEN', 'mutation($input: CreateGroupInput!) { createGroup(input: $input) { id } }', { input: { name: 'Made by a service', platform: 'X', kind: 'OTHER', riskLevel: 'LOW' } });
    await service.fails('FORBIDDEN', 'mutation($input: ReportGroupSightingInput!) { reportGroupSighting(input: $input) { id } }', { input: { name: 'Seen by reader', platform: 'X' } });
    const after = await service.ok('query($id: ID!) { group(id: $id) { name version } }', { id: group.id });
    expect(after.group.version).toBe(group.version);
  });

  it('lets a referrals:read:HR token read exactly the non-draft referrals HR sees, and nothing of other teams', async () => {
    const { token } = await createClient('HR case system', ['referrals:read:HR']);
    const service = bearer(token);
    const query = '{ referrals(first: 100) { totalCount edges { node { id team status } } } }';
    const mine = (await service.ok(query)).referrals;
    const hrView = (await (await env.as('hr')).ok(query)).referrals;
    expect(mine.totalCount).toBeGreaterThanOrEqual(1);
    expect(mine).toEqual(hrView);
    expect(mine.edges.every((e: any) => e.node.team === 'HR' && e.node.status !== 'DRAFT')).toBe(true);

    const all = (await (await env.as('officer')).ok(query)).referrals;
    const others = all.edges.filter((e: any) => e.node.team !== 'HR' || e.node.status === 'DRAFT');
    expect(others.length).toBeGreaterThanOrEqual(2);
    for (const { node } of others) {
      await service.fails('NOT_FOUND', 'query($id: ID!) { referral(id: $id) { id } }', { id: node.id });
    }
    // Its own team's referral, but not the team's private notes, nor the group's internals.
    const own = mine.edges[0].node.id;
    const { referral } = await service.ok('query($id: ID!) { referral(id: $id) { id team notes { id } group { name } } }', { id: own });
    expect(referral).toMatchObject({ id: own, team: 'HR', notes: [] });
    await service.fails('FORBIDDEN', '{ groups(first: 1) { totalCount } }');
    await service.fails('FORBIDDEN', 'query($id: ID!) { referral(id: $id) { group { administrators { handle } } } }', { id: own });
  });

  it('lets a groups:report token report a sighting, which enters the register as DISCOVERED for the team to triage', async () => {
    const { token, client } = await createClient('Wellbeing service', ['groups:report']);
    const service = bearer(token);
    const REPORT = 'mutation($input: ReportGroupSightingInput!) { reportGroupSighting(input: $input) { id name status } }';
    const { reportGroupSighting } = await service.ok(REPORT, {
      input: { name: 'NU Secret Crushes 2', platform: 'INSTAGRAM', handle: '@nu.crushes2', url: 'https://www.instagram.com/nu.crushes2', kind: 'CONFESSIONS', note: 'Students mentioned it at a drop-in session.' },
    });
    expect(reportGroupSighting).toMatchObject({ name: 'NU Secret Crushes 2', status: 'DISCOVERED' });

    const { group } = await (await env.as('officer')).ok(`query($id: ID!) { group(id: $id) { name platform handle url kind status riskLevel notes discoveryMethod
      timeline { action actorLabel } } }`, { id: reportGroupSighting.id });
    expect(group).toMatchObject({
      name: 'NU Secret Crushes 2', platform: 'INSTAGRAM', handle: '@nu.crushes2', kind: 'CONFESSIONS', status: 'DISCOVERED', riskLevel: 'MEDIUM',
      notes: 'Students mentioned it at a drop-in session.', discoveryMethod: 'Reported by service client "Wellbeing service"',
    });
    expect(group.timeline).toContainEqual({ action: 'group.create', actorLabel: `service:${client.id}` });

    // A reporter reads nothing back, and bad input writes nothing.
    await service.fails('FORBIDDEN', 'query($id: ID!) { group(id: $id) { id } }', { id: reportGroupSighting.id });
    const bad = await service.fails('BAD_USER_INPUT', REPORT, { input: { name: 'Bad link', platform: 'X', url: 'javascript:alert(1)' } });
    expect(bad.extensions?.field).toBe('input.url');
    const { groups } = await (await env.as('officer')).ok('{ groups(first: 5, filter: { search: "Bad link" }) { totalCount } }');
    expect(groups.totalCount).toBe(0);
  });

  it('answers 401 UNAUTHENTICATED to a revoked, unknown or malformed token, and runs nothing for it', async () => {
    const { token, client } = await createClient('Retired service', ['groups:read', 'groups:report']);
    await bearer(token).ok('{ groups(first: 1) { totalCount } }');
    const { revokeServiceClient } = await admin.ok(REVOKE, { input: { id: client.id } });
    expect(revokeServiceClient.revokedAt).not.toBeNull();
    const again = await admin.ok(REVOKE, { input: { id: client.id } });
    expect(again.revokeServiceClient.revokedAt).toBe(revokeServiceClient.revokedAt);

    const unknown = `sp_${'A'.repeat(43)}`;
    for (const authorization of [`Bearer ${token}`, `Bearer ${unknown}`, 'Bearer not-a-token', `Basic ${Buffer.from('a:b').toString('base64')}`, 'Bearer']) {
      const res = await fetch(`${env.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization },
        body: JSON.stringify({ query: 'mutation { reportGroupSighting(input: { name: "After revocation", platform: X }) { id } }' }),
      });
      expect(res.status, authorization).toBe(401);
      expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/);
      const body = (await res.json()) as any;
      expect(body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
      expect(body.data).toBeUndefined();
    }
    const { groups } = await (await env.as('officer')).ok('{ groups(first: 5, filter: { search: "After revocation" }) { totalCount } }');
    expect(groups.totalCount).toBe(0);
    await admin.fails('NOT_FOUND', REVOKE, { input: { id: '00000000-0000-4000-8000-000000000000' } });
  });

  it('judges a request with a bearer token by the token alone: a session cookie adds nothing to its scopes', async () => {
    const { token } = await createClient('Cookie mixer', ['groups:read']);
    const officer = await env.as('officer');
    const res = await fetch(`${env.url}/graphql`, {
      method: 'POST',
      headers: { ...officer.headers(), authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: '{ me { roles permissions } groups(first: 1) { edges { node { notes } } } }' }),
    });
    const body = (await res.json()) as any;
    expect(body.errors[0].extensions.code).toBe('FORBIDDEN');
    const me = await bearer(token).ok('{ me { roles permissions } }');
    expect(me.me).toEqual({ roles: [], permissions: ['group.read'] });
  });

  it('records when a token was last used', async () => {
    const { token, client } = await createClient('Busy service', ['groups:read']);
    await bearer(token).ok('{ groups(first: 1) { totalCount } }');
    const { serviceClients } = await admin.ok('{ serviceClients { id lastUsedAt } }');
    const used = serviceClients.find((c: { id: string }) => c.id === client.id);
    expect(used.lastUsedAt).not.toBeNull();
  });

  /** Runs SQL as the API's database role for `principal`, with no resolver in the way; rolls back. */
  async function asApiRole<T>(principal: Principal, fn: (sql: (q: string, p?: unknown[]) => Promise<any>) => Promise<T>): Promise<T> {
    const runner = env.server.dataSource.createQueryRunner();
    await runner.connect();
    await runner.startTransaction();
    try {
      await enterDatabaseContext(runner, principal);
      return await fn((q, p) => runner.query(q, p));
    } finally {
      await runner.rollbackTransaction();
      await runner.release();
    }
  }
  const refusedBy = async (p: Promise<unknown>): Promise<string> => {
    try {
      await p;
      return 'allowed';
    } catch (err) {
      return (err as Error).message;
    }
  };

  it('backs the checks with the database: only an administrator sees or changes clients, a service sees only itself, and nobody rewrites a token', async () => {
    const { client } = await createClient('Backstop service', ['groups:read']);
    await createClient('Backstop neighbour', ['groups:report']);
    const total = Number((await env.server.dataSource.query('SELECT count(*) AS n FROM service_clients'))[0].n);
    expect(total).toBeGreaterThanOrEqual(2);
    const { me: adminMe } = await admin.ok('{ me { id } }');
    const administrator: Principal = { kind: 'user', id: adminMe.id, roles: ['ADMIN'], scopes: [] };
    const officer: Principal = { kind: 'user', id: adminMe.id, roles: ['SOCIAL_MEDIA_OFFICER', 'SOCIAL_MEDIA_LEAD'], scopes: [] };
    const service: Principal = { kind: 'service', id: client.id, roles: [], scopes: ['groups:read'] };

    expect(await asApiRole(officer, (sql) => sql('SELECT id FROM service_clients'))).toEqual([]);
    expect(await asApiRole(service, (sql) => sql('SELECT id, name FROM service_clients'))).toEqual([{ id: client.id, name: 'Backstop service' }]);
    expect((await asApiRole(administrator, (sql) => sql('SELECT id FROM service_clients'))).length).toBe(total);
    // Even an administrator's request can only revoke: never widen scopes, swap the token hash or delete the record.
    expect(await refusedBy(asApiRole(administrator, (sql) => sql('UPDATE service_clients SET revoked_at = now() WHERE id = $1', [client.id])))).toBe('allowed');
    // Another role's request revokes nothing: the rows are not there for it.
    expect(await asApiRole(officer, (sql) => sql('WITH u AS (UPDATE service_clients SET revoked_at = now() RETURNING id) SELECT count(*)::int AS n FROM u'))).toEqual([{ n: 0 }]);
    expect(await refusedBy(asApiRole(administrator, (sql) => sql(`UPDATE service_clients SET scopes = '{groups:read,referrals:read:HR}' WHERE id = $1`, [client.id])))).toMatch(/permission denied/);
    expect(await refusedBy(asApiRole(administrator, (sql) => sql(`UPDATE service_clients SET token_hash = 'x' WHERE id = $1`, [client.id])))).toMatch(/permission denied/);
    expect(await refusedBy(asApiRole(administrator, (sql) => sql('DELETE FROM service_clients WHERE id = $1', [client.id])))).toMatch(/permission denied/);
    expect(await refusedBy(asApiRole(officer, (sql) => sql(`INSERT INTO service_clients (name, scopes, token_hash, token_prefix) VALUES ('Rogue', '{groups:read}', 'h', 'sp_')`)))).toMatch(/row-level security/);
    // Sign-in state is the sign-in routes' alone.
    expect(await refusedBy(asApiRole(administrator, (sql) => sql('SELECT * FROM oidc_sign_in_states')))).toMatch(/permission denied/);
  });

  it('has no OIDC routes when no issuer is configured', async () => {
    const res = await fetch(`${env.url}/auth/oidc/login`, { redirect: 'manual' });
    expect(res.status).toBe(404);
  });
});
