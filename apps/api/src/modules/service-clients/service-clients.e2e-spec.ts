import { createHash } from 'node:crypto';
import { print } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accessOf, type ContractError, type Principal } from '@signpost/policy';
import { createTestEnvironment, databaseKinds, type TestEnvironment } from '../../testing/test-environment.js';
import { expectContractError, TestClient } from '../../testing/test-client.js';
import { ServiceTokenClient } from '../../testing/service-token-client.js';
import { enterDatabaseContext } from '../../common/database-context.js';
import {
  ServiceClientsApproveDocument, ServiceClientsAuditCountDocument, ServiceClientsAuditOfDocument, ServiceClientsCreateDocument,
  ServiceClientsCreateGroupDocument, ServiceClientsFirstGroupDocument, ServiceClientsGroupIdDocument, ServiceClientsGroupsCountDocument,
  ServiceClientsGroupVersionDocument, ServiceClientsLastUsedDocument, ServiceClientsListDocument, ServiceClientsMeAndNotesDocument,
  ServiceClientsMeDocument, ServiceClientsOwnReferralDocument, ServiceClientsPersonalDocument, ServiceClientsReferralAdministratorsDocument,
  ServiceClientsReferralDocument, ServiceClientsReferralsCountDocument, ServiceClientsRegisterDocument, ServiceClientsReportedGroupDocument,
  ServiceClientsReportSightingDocument, ServiceClientsRevokeDocument, ServiceClientsSearchCountDocument, ServiceClientsTeamReferralsDocument,
  ServiceClientsTypeFieldsDocument, ServiceClientsUpdateGroupDocument, ServiceClientsUsersDocument,
  type ServiceClientsCreateMutation,
} from '../../testing/generated/graphql.js';

const CREATE = ServiceClientsCreateDocument;
const APPROVE = ServiceClientsApproveDocument;
const REVOKE = ServiceClientsRevokeDocument;

type Created = ServiceClientsCreateMutation['createServiceClient'];

/**
 * Every field of Group that carries personal data or the team's internal work, with a selection to ask for it.
 * The documents are generated from this list (one per field), so they stay text.
 */
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
  let admin2: TestClient;
  const bearer = (token: string) => new ServiceTokenClient(env.url, token);

  async function createClient(name: string, scopes: string[]): Promise<Created> {
    return (await admin.ok(CREATE, { input: { name, scopes } })).createServiceClient;
  }
  /** A client that reads referrals, made by the first administrator and approved by the second, as it must be. */
  async function approvedClient(name: string, scopes: string[]): Promise<Created> {
    const created = await createClient(name, scopes);
    expect(created.client.approvalRequired).toBe(true);
    const { approveServiceClient } = await admin2.ok(APPROVE, { input: { id: created.client.id } });
    return { ...created, client: approveServiceClient };
  }

  /** What a bearer token gets for a query over HTTP: status, the WWW-Authenticate header and the body. */
  async function call(token: string, query = print(ServiceClientsMeDocument)): Promise<{ status: number; challenge: string | null; body: any }> {
    const res = await fetch(`${env.url}/graphql`, { method: 'POST', headers: bearer(token).headers(), body: JSON.stringify({ query }) });
    return { status: res.status, challenge: res.headers.get('www-authenticate'), body: await res.json() };
  }
  /** A token refused before anything runs: 401 UNAUTHENTICATED with this reason, no data. */
  async function expectTokenRefused(token: string, reason: 'AWAITING_APPROVAL' | 'INVALID_TOKEN', query?: string): Promise<ContractError<'UNAUTHENTICATED'>> {
    const { status, challenge, body } = await call(token, query);
    expect(status, JSON.stringify(body)).toBe(401);
    expect(challenge).toMatch(/^Bearer/);
    expect(body.data).toBeUndefined();
    const error = body.errors[0] as ContractError<'UNAUTHENTICATED'>;
    expectContractError(error as never);
    expect(error.extensions).toEqual({ code: 'UNAUTHENTICATED', reason });
    return error;
  }

  beforeAll(async () => {
    env = await createTestEnvironment(kind, { demoData: true });
    admin = await env.as('admin');
    admin2 = await env.as('admin2');
  });
  afterAll(() => env?.close());

  it('lets an administrator create a client whose token is shown once and stored only as its SHA-256', async () => {
    const { token, client } = await createClient('Student Union portal', ['groups:read']);
    expect(token).toMatch(/^sp_[A-Za-z0-9_-]{43}$/);
    expect(client).toMatchObject({
      name: 'Student Union portal', scopes: ['groups:read'], tokenPrefix: token.slice(0, 10), revokedAt: null, lastUsedAt: null, createdBy: { email: 'admin@signpost.test' },
      // It reads no referrals: no second person needed, it works at once.
      approvalRequired: false, active: true, approvedAt: null, approvedBy: null,
    });

    const rows: Record<string, unknown>[] = await env.server.dataSource.query('SELECT * FROM service_clients WHERE id = $1', [client.id]);
    expect(rows[0]!.token_hash).toBe(createHash('sha256').update(token).digest('hex'));
    expect(JSON.stringify(rows)).not.toContain(token);
    // Nothing in the API can show the token or its hash again.
    const { __type } = await admin.ok(ServiceClientsTypeFieldsDocument);
    const fields = __type!.fields!.map((f) => f.name);
    expect(fields).not.toContain('token');
    expect(fields).not.toContain('tokenHash');
    const { serviceClients } = await admin.ok(ServiceClientsListDocument);
    expect(serviceClients).toContainEqual({ id: client.id, name: 'Student Union portal', scopes: ['groups:read'], tokenPrefix: token.slice(0, 10), approvalRequired: false, active: true });
    expect(JSON.stringify(serviceClients)).not.toContain(token);
  });

  it('refuses unknown scopes, no scopes and a name already used with BAD_USER_INPUT naming the field, creating nothing', async () => {
    const unknown = await admin.fails('BAD_USER_INPUT', CREATE, { input: { name: 'Wants write', scopes: ['groups:write'] } });
    expect(unknown.extensions.field).toBe('input.scopes');
    const none = await admin.fails('BAD_USER_INPUT', CREATE, { input: { name: 'Wants nothing', scopes: [] } });
    expect(none.extensions.field).toBe('input.scopes');
    const twice = await admin.fails('BAD_USER_INPUT', CREATE, { input: { name: 'Wants it twice', scopes: ['groups:read', 'groups:read'] } });
    expect(twice.extensions.field).toBe('input.scopes');
    await createClient('Library kiosk', ['groups:read']);
    const taken = await admin.fails('BAD_USER_INPUT', CREATE, { input: { name: 'Library kiosk', scopes: ['groups:report'] } });
    expect(taken.extensions.fields).toEqual([{ field: 'input.name', message: expect.stringMatching(/already exists/) }]);
    // The field is the one at fault, whatever words the name holds.
    await createClient('Scope reader', ['groups:read']);
    const wordy = await admin.fails('BAD_USER_INPUT', CREATE, { input: { name: 'Scope reader', scopes: ['groups:read'] } });
    expect(wordy.extensions.fields.map((f) => f.field)).toEqual(['input.name']);
    const odd = await admin.fails('BAD_USER_INPUT', CREATE, { input: { name: 'Kiosk\u202Eevil', scopes: ['groups:read'] } });
    expect(odd.extensions.field).toBe('input.name');
    const { serviceClients } = await admin.ok(ServiceClientsListDocument);
    const names = serviceClients.map((c) => c.name);
    expect(names.filter((n) => n === 'Library kiosk')).toHaveLength(1);
    expect(names).not.toContain('Wants write');
    expect(names).not.toContain('Wants nothing');
    expect(names).not.toContain('Wants it twice');
  });

  it('keeps service clients to administrators: FORBIDDEN for other roles and services, UNAUTHENTICATED for nobody', async () => {
    const { token, client } = await createClient('Curious service', ['groups:read']);
    const { client: hrClient } = await createClient('Curious HR service', ['referrals:read:HR']);
    for (const who of ['officer', 'lead', 'hr', 'dpo'] as const) {
      const c = await env.as(who);
      expect((await c.fails('FORBIDDEN', ServiceClientsListDocument)).extensions.permission).toBe('serviceClient.manage');
      await c.fails('FORBIDDEN', CREATE, { input: { name: `Made by ${who}`, scopes: ['groups:read'] } });
      await c.fails('FORBIDDEN', REVOKE, { input: { id: client.id } });
      expect((await c.fails('FORBIDDEN', APPROVE, { input: { id: hrClient.id } })).extensions.permission).toBe('serviceClient.manage');
    }
    await bearer(token).fails('FORBIDDEN', ServiceClientsListDocument);
    await bearer(token).fails('FORBIDDEN', REVOKE, { input: { id: client.id } });
    await bearer(token).fails('FORBIDDEN', APPROVE, { input: { id: hrClient.id } });
    await env.anonymous().fails('UNAUTHENTICATED', ServiceClientsListDocument);
    expect((await admin2.ok(ServiceClientsListDocument)).serviceClients.find((c) => c.id === hrClient.id)?.active).toBe(false);
  });

  it('lets a groups:read token read the register, and answers FORBIDDEN for every personal-data field', async () => {
    const { token } = await createClient('Register reader', ['groups:read']);
    const service = bearer(token);

    const { me } = await service.ok(ServiceClientsMeDocument);
    expect(me).toMatchObject({ roles: [], permissions: ['GROUP_READ'] });

    const { groups } = await service.ok(ServiceClientsRegisterDocument);
    expect(groups.totalCount).toBeGreaterThanOrEqual(10);
    const officerView = await (await env.as('officer')).ok(ServiceClientsRegisterDocument);
    expect(groups).toEqual(officerView.groups);

    // Nothing the team knows about people appears anywhere in what the service can read.
    const personal = await (await env.as('officer')).ok(ServiceClientsPersonalDocument);
    const secrets = new Set<string>();
    for (const { node } of personal.groups.edges) {
      for (const value of [node.notes, node.discoveryMethod, ...node.administrators.flatMap(Object.values), ...node.contactLog.flatMap(Object.values), ...node.concerns.flatMap(Object.values)]) {
        if (typeof value === 'string' && value.length >= 6) secrets.add(value);
      }
    }
    expect(secrets.size).toBeGreaterThan(10);
    const seen = JSON.stringify(groups);
    expect([...secrets].filter((s) => seen.includes(s))).toEqual([]);

    const id = groups.edges[0]!.node.id;
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
    const { referrals } = await (await env.as('officer')).ok(ServiceClientsTeamReferralsDocument);
    const referralId = referrals.edges[0]!.node.id;
    const { groups } = await service.ok(ServiceClientsFirstGroupDocument);
    const group = groups.edges[0]!.node;

    expect((await service.fails('FORBIDDEN', ServiceClientsReferralsCountDocument)).extensions.permission).toBe('referral.read');
    await service.fails('FORBIDDEN', ServiceClientsReferralDocument, { id: referralId });
    expect((await service.fails('FORBIDDEN', ServiceClientsAuditCountDocument)).extensions.permission).toBe('audit.read');
    await service.fails('FORBIDDEN', ServiceClientsUsersDocument);
    await service.fails('FORBIDDEN', ServiceClientsUpdateGroupDocument, { input: { id: group.id, version: group.version, name: 'Renamed by a service' } });
    await service.fails('FORBIDDEN', ServiceClientsCreateGroupDocument, { input: { name: 'Made by a service', platform: 'X', kind: 'OTHER', riskLevel: 'LOW' } });
    await service.fails('FORBIDDEN', ServiceClientsReportSightingDocument, { input: { name: 'Seen by reader', platform: 'X' } });
    const after = await service.ok(ServiceClientsGroupVersionDocument, { id: group.id });
    expect(after.group.version).toBe(group.version);
  });

  it('makes a referrals:read:HR client await a second administrator: inactive, its token answers 401 AWAITING_APPROVAL, and its creator cannot approve it', async () => {
    const { token, client } = await createClient('HR case system', ['referrals:read:HR']);
    expect(client).toMatchObject({ scopes: ['referrals:read:HR'], createdBy: { email: 'admin@signpost.test' }, approvalRequired: true, active: false, approvedAt: null, approvedBy: null });
    const refused = await expectTokenRefused(token, 'AWAITING_APPROVAL');
    expect(refused.message).toMatch(/second administrator/);
    await expectTokenRefused(token, 'AWAITING_APPROVAL', print(ServiceClientsTeamReferralsDocument));

    // Separation of duties: the one who made it may not also approve it.
    const own = await admin.gql(APPROVE, { input: { id: client.id } });
    expect(own.data).toBeNull();
    const ownError = own.errors![0]! as unknown as ContractError<'FORBIDDEN'>;
    expectContractError(ownError as never);
    expect(ownError.extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'SEPARATION_OF_DUTIES' });
    await expectTokenRefused(token, 'AWAITING_APPROVAL');
    const listed = (await admin.ok(ServiceClientsListDocument)).serviceClients.find((c) => c.id === client.id);
    expect(listed).toMatchObject({ approvalRequired: true, active: false });

    // The second administrator approves it: it works from then on.
    const { approveServiceClient } = await admin2.ok(APPROVE, { input: { id: client.id } });
    expect(approveServiceClient).toMatchObject({ id: client.id, active: true, approvalRequired: true, approvedBy: { email: 'admin2@signpost.test' }, createdBy: { email: 'admin@signpost.test' } });
    expect(Date.parse(approveServiceClient.approvedAt!)).toBeGreaterThan(Date.now() - 60_000);
    const service = bearer(token);
    const { me } = await service.ok(ServiceClientsMeDocument);
    expect(me).toMatchObject({ id: client.id, roles: [], permissions: ['REFERRAL_READ'] });
    const hrView = (await (await env.as('hr')).ok(ServiceClientsTeamReferralsDocument)).referrals;
    expect(hrView.totalCount).toBeGreaterThanOrEqual(1);
    expect((await service.ok(ServiceClientsTeamReferralsDocument)).referrals).toEqual(hrView);

    // Once is enough: a second approval is no move at all, whoever asks.
    const again = await admin2.fails('TRANSITION_NOT_ALLOWED', APPROVE, { input: { id: client.id } });
    expect(again.extensions).toMatchObject({ action: 'approveServiceClient' });
    expect(again.extensions.unmet).toContain('this service client is already approved');
    expect((await admin.fails('FORBIDDEN', APPROVE, { input: { id: client.id } })).extensions.reason).toBe('SEPARATION_OF_DUTIES');

    // The trail says who made it and who approved it.
    const { auditEvents } = await (await env.as('dpo')).ok(ServiceClientsAuditOfDocument, { id: client.id });
    const events = auditEvents.edges.map((e) => ({ action: e.node.action, by: e.node.actor?.email, details: e.node.details }));
    expect(events).toEqual(expect.arrayContaining([
      { action: 'serviceClient.create', by: 'admin@signpost.test', details: { scopes: ['referrals:read:HR'] } },
      { action: 'serviceClient.approve', by: 'admin2@signpost.test', details: { scopes: ['referrals:read:HR'] } },
    ]));
    expect(events.filter((e) => e.action === 'serviceClient.approve')).toHaveLength(1);
  });

  it('refuses the whole token of a client awaiting approval, even for the scopes that would need none', async () => {
    const { token, client } = await createClient('Mixed service', ['groups:read', 'referrals:read:LEGAL']);
    expect(client).toMatchObject({ approvalRequired: true, active: false });
    await expectTokenRefused(token, 'AWAITING_APPROVAL', print(ServiceClientsGroupsCountDocument));
    await admin2.ok(APPROVE, { input: { id: client.id } });
    expect((await bearer(token).ok(ServiceClientsGroupsCountDocument)).groups.totalCount).toBeGreaterThan(0);
    expect((await bearer(token).ok(ServiceClientsMeDocument)).me.permissions).toEqual(['GROUP_READ', 'REFERRAL_READ']);
  });

  it('answers TRANSITION_NOT_ALLOWED to approving a client that needs no approval or is revoked, and NOT_FOUND to an unknown one', async () => {
    const { token, client } = await createClient('Plain register reader', ['groups:read']);
    const needless = await admin2.fails('TRANSITION_NOT_ALLOWED', APPROVE, { input: { id: client.id } });
    expect(needless.extensions.unmet).toEqual([expect.stringMatching(/needs no approval/)]);
    // Its token worked all along.
    expect((await bearer(token).ok(ServiceClientsGroupsCountDocument)).groups.totalCount).toBeGreaterThan(0);

    const { token: retiredToken, client: retired } = await createClient('Retired HR system', ['referrals:read:HR']);
    await admin.ok(REVOKE, { input: { id: retired.id } });
    const revoked = await admin2.fails('TRANSITION_NOT_ALLOWED', APPROVE, { input: { id: retired.id } });
    expect(revoked.extensions.unmet).toContain('this service client is revoked');
    await expectTokenRefused(retiredToken, 'INVALID_TOKEN');
    const listed = (await admin.ok(ServiceClientsListDocument)).serviceClients.find((c) => c.id === retired.id);
    expect(listed).toMatchObject({ active: false });

    const unknown = await admin2.fails('NOT_FOUND', APPROVE, { input: { id: '00000000-0000-4000-8000-000000000000' } });
    expect(unknown.extensions.entity).toBe('Service client');
    expect((await admin2.fails('BAD_USER_INPUT', APPROVE, { input: { id: 'not-an-id' } })).extensions.field).toBe('input.id');
  });

  it('approves a client once when two sessions approve it at the same time: one succeeds, the other is TRANSITION_NOT_ALLOWED, one approval is recorded', async () => {
    const { client } = await createClient('Raced LEGAL system', ['referrals:read:LEGAL']);
    const [first, second] = [new TestClient(env.url), new TestClient(env.url)];
    for (const c of [first, second]) expect((await c.login('admin2@signpost.test', 'signpost-demo')).status).toBe(200);
    const results = await Promise.all([first.gql(APPROVE, { input: { id: client.id } }), second.gql(APPROVE, { input: { id: client.id } })]);
    expect(results.filter((r) => r.errors === undefined)).toHaveLength(1);
    const refused = results.find((r) => r.errors !== undefined)!;
    expect(refused.data).toBeNull();
    expect(refused.errors![0]!.extensions?.code).toBe('TRANSITION_NOT_ALLOWED');
    expectContractError(refused.errors![0]!);
    const { auditEvents } = await (await env.as('dpo')).ok(ServiceClientsAuditOfDocument, { id: client.id });
    expect(auditEvents.edges.filter((e) => e.node.action === 'serviceClient.approve')).toHaveLength(1);
  });

  it('lets an approved referrals:read:HR token read exactly the non-draft referrals HR sees, and nothing of other teams', async () => {
    const { token } = await approvedClient('HR case system 2', ['referrals:read:HR']);
    const service = bearer(token);
    const mine = (await service.ok(ServiceClientsTeamReferralsDocument)).referrals;
    const hrView = (await (await env.as('hr')).ok(ServiceClientsTeamReferralsDocument)).referrals;
    expect(mine.totalCount).toBeGreaterThanOrEqual(1);
    expect(mine).toEqual(hrView);
    expect(mine.edges.every((e) => e.node.team === 'HR' && e.node.status !== 'DRAFT')).toBe(true);

    const all = (await (await env.as('officer')).ok(ServiceClientsTeamReferralsDocument)).referrals;
    const others = all.edges.filter((e) => e.node.team !== 'HR' || e.node.status === 'DRAFT');
    expect(others.length).toBeGreaterThanOrEqual(2);
    for (const { node } of others) {
      const missing = await service.fails('NOT_FOUND', ServiceClientsReferralDocument, { id: node.id });
      expect(missing.extensions.entity).toBe('Referral');
    }
    // Its own team's referral, but not the team's private notes, nor the group's internals.
    const own = mine.edges[0]!.node.id;
    const { referral } = await service.ok(ServiceClientsOwnReferralDocument, { id: own });
    expect(referral).toMatchObject({ id: own, team: 'HR', notes: [] });
    await service.fails('FORBIDDEN', ServiceClientsGroupsCountDocument);
    await service.fails('FORBIDDEN', ServiceClientsReferralAdministratorsDocument, { id: own });
  });

  it('lets a groups:report token report a sighting, which enters the register as DISCOVERED for the team to triage', async () => {
    const { token, client } = await createClient('Wellbeing service', ['groups:report']);
    const service = bearer(token);
    const { reportGroupSighting } = await service.ok(ServiceClientsReportSightingDocument, {
      input: { name: 'NU Secret Crushes 2', platform: 'INSTAGRAM', handle: '@nu.crushes2', url: 'https://www.instagram.com/nu.crushes2', kind: 'CONFESSIONS', note: 'Students mentioned it at a drop-in session.' },
    });
    expect(reportGroupSighting).toMatchObject({ name: 'NU Secret Crushes 2', status: 'DISCOVERED' });

    const { group } = await (await env.as('officer')).ok(ServiceClientsReportedGroupDocument, { id: reportGroupSighting.id });
    expect(group).toMatchObject({
      name: 'NU Secret Crushes 2', platform: 'INSTAGRAM', handle: '@nu.crushes2', kind: 'CONFESSIONS', status: 'DISCOVERED', riskLevel: 'MEDIUM',
      notes: 'Students mentioned it at a drop-in session.', discoveryMethod: 'Reported by service client "Wellbeing service"',
    });
    expect(group.timeline).toContainEqual({ action: 'group.create', actorLabel: `service:${client.id}` });

    // A reporter reads nothing back, and bad input writes nothing.
    await service.fails('FORBIDDEN', ServiceClientsGroupIdDocument, { id: reportGroupSighting.id });
    const bad = await service.fails('BAD_USER_INPUT', ServiceClientsReportSightingDocument, { input: { name: 'Bad link', platform: 'X', url: 'javascript:alert(1)' } });
    expect(bad.extensions.field).toBe('input.url');
    const { groups } = await (await env.as('officer')).ok(ServiceClientsSearchCountDocument, { search: 'Bad link' });
    expect(groups.totalCount).toBe(0);
  });

  it('answers 401 UNAUTHENTICATED to a revoked, unknown or malformed token, and runs nothing for it', async () => {
    const { token, client } = await createClient('Retired service', ['groups:read', 'groups:report']);
    await bearer(token).ok(ServiceClientsGroupsCountDocument);
    const { revokeServiceClient } = await admin.ok(REVOKE, { input: { id: client.id } });
    expect(revokeServiceClient).toMatchObject({ active: false });
    expect(revokeServiceClient.revokedAt).not.toBeNull();
    const again = await admin.ok(REVOKE, { input: { id: client.id } });
    expect(again.revokeServiceClient.revokedAt).toBe(revokeServiceClient.revokedAt);

    const unknown = `sp_${'A'.repeat(43)}`;
    const report = { query: print(ServiceClientsReportSightingDocument), variables: { input: { name: 'After revocation', platform: 'X' } } };
    for (const authorization of [`Bearer ${token}`, `Bearer ${unknown}`, 'Bearer not-a-token', `Basic ${Buffer.from('a:b').toString('base64')}`, 'Bearer']) {
      const res = await fetch(`${env.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', authorization }, body: JSON.stringify(report) });
      expect(res.status, authorization).toBe(401);
      expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/);
      const body = (await res.json()) as { data?: unknown; errors: ContractError<'UNAUTHENTICATED'>[]; extensions?: unknown };
      expect(body.errors[0]!.extensions).toEqual({ code: 'UNAUTHENTICATED', reason: 'INVALID_TOKEN' });
      expect(body.data).toBeUndefined();
      expect(body.extensions).toBeUndefined();
    }
    const { groups } = await (await env.as('officer')).ok(ServiceClientsSearchCountDocument, { search: 'After revocation' });
    expect(groups.totalCount).toBe(0);
    await admin.fails('NOT_FOUND', REVOKE, { input: { id: '00000000-0000-4000-8000-000000000000' } });
  });

  it('judges a request with a bearer token by the token alone: a session cookie adds nothing to its scopes', async () => {
    const { token } = await createClient('Cookie mixer', ['groups:read']);
    const officer = await env.as('officer');
    const res = await fetch(`${env.url}/graphql`, {
      method: 'POST',
      headers: { ...officer.headers(), authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: print(ServiceClientsMeAndNotesDocument) }),
    });
    const body = (await res.json()) as { errors: ContractError<'FORBIDDEN'>[] };
    expect(body.errors[0]!.extensions).toMatchObject({ code: 'FORBIDDEN', permission: 'group.readInternal' });
    const { me } = await bearer(token).ok(ServiceClientsMeDocument);
    expect(me).toMatchObject({ roles: [], permissions: ['GROUP_READ'] });
  });

  it('records when a token was last used', async () => {
    const { token, client } = await createClient('Busy service', ['groups:read']);
    await bearer(token).ok(ServiceClientsGroupsCountDocument);
    const { serviceClients } = await admin.ok(ServiceClientsLastUsedDocument);
    const used = serviceClients.find((c) => c.id === client.id);
    expect(used?.lastUsedAt).not.toBeNull();
  });

  /** Runs SQL as the API's database role with the access of `principal`, with no resolver in the way; rolls back. */
  async function asApiRole<T>(principal: Principal, fn: (sql: (q: string, p?: unknown[]) => Promise<any>) => Promise<T>): Promise<T> {
    const runner = env.server.dataSource.createQueryRunner();
    await runner.connect();
    await runner.startTransaction();
    try {
      await enterDatabaseContext(runner, accessOf(principal));
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
    const { me: adminMe } = await admin.ok(ServiceClientsMeDocument);
    const administrator: Principal = { kind: 'user', id: adminMe.id, roles: ['ADMIN'], scopes: [] };
    const officer: Principal = { kind: 'user', id: adminMe.id, roles: ['SOCIAL_MEDIA_OFFICER', 'SOCIAL_MEDIA_LEAD'], scopes: [] };
    const service: Principal = { kind: 'service', id: client.id, roles: [], scopes: ['groups:read'] };

    expect(await asApiRole(officer, (sql) => sql('SELECT id FROM service_clients'))).toEqual([]);
    expect(await asApiRole(service, (sql) => sql('SELECT id, name FROM service_clients'))).toEqual([{ id: client.id, name: 'Backstop service' }]);
    expect((await asApiRole(administrator, (sql) => sql('SELECT id FROM service_clients'))).length).toBe(total);
    // Even an administrator's request can only revoke or approve: never widen scopes, swap the token hash or delete the record.
    expect(await refusedBy(asApiRole(administrator, (sql) => sql('UPDATE service_clients SET revoked_at = now() WHERE id = $1', [client.id])))).toBe('allowed');
    // Another role's request revokes nothing: the rows are not there for it.
    expect(await asApiRole(officer, (sql) => sql('WITH u AS (UPDATE service_clients SET revoked_at = now() RETURNING id) SELECT count(*)::int AS n FROM u'))).toEqual([{ n: 0 }]);
    expect(await asApiRole(officer, (sql) => sql('WITH u AS (UPDATE service_clients SET approved_at = now() RETURNING id) SELECT count(*)::int AS n FROM u'))).toEqual([{ n: 0 }]);
    expect(await refusedBy(asApiRole(administrator, (sql) => sql(`UPDATE service_clients SET scopes = '{groups:read,referrals:read:HR}' WHERE id = $1`, [client.id])))).toMatch(/permission denied/);
    expect(await refusedBy(asApiRole(administrator, (sql) => sql(`UPDATE service_clients SET token_hash = 'x' WHERE id = $1`, [client.id])))).toMatch(/permission denied/);
    expect(await refusedBy(asApiRole(administrator, (sql) => sql(`UPDATE service_clients SET created_by = NULL WHERE id = $1`, [client.id])))).toMatch(/permission denied/);
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
