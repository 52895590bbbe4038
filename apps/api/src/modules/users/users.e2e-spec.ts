import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnvironment, databaseKinds, type TestEnvironment } from '../../testing/test-environment.js';
import { TestClient } from '../../testing/test-client.js';

const CREATE = `mutation($input: CreateUserInput!) { createUser(input: $input) { id email displayName roles disabled } }`;
const SET_ROLES = `mutation($input: SetUserRolesInput!) { setUserRoles(input: $input) { id roles } }`;
const DISABLE = `mutation($input: DisableUserInput!) { disableUser(input: $input) { id disabled } }`;

describe.each(await databaseKinds())('user administration on %s', (kind) => {
  let env: TestEnvironment;
  let admin: TestClient;
  beforeAll(async () => {
    env = await createTestEnvironment(kind);
    admin = await env.as('admin');
  });
  afterAll(() => env?.close());

  it('lists everyone with their roles, for administrators only', async () => {
    const { users } = await admin.ok('{ users { email roles disabled } }');
    expect(users).toContainEqual({ email: 'officer@signpost.test', roles: ['SOCIAL_MEDIA_OFFICER'], disabled: false });
    expect(users.map((u: { email: string }) => u.email)).toEqual([...users.map((u: { email: string }) => u.email)].sort());
    for (const who of ['officer', 'lead', 'discipline', 'dpo'] as const) await (await env.as(who)).fails('FORBIDDEN', '{ users { id } }');
    await env.anonymous().fails('UNAUTHENTICATED', '{ users { id } }');
  });

  it('creates a person who can then sign in, changes their roles at once, and disables them at once', async () => {
    const { createUser } = await admin.ok(CREATE, {
      input: { email: 'Jo.Bloggs@Uni.Example', displayName: 'Jo Bloggs', roles: ['SOCIAL_MEDIA_OFFICER'], password: 'a long passphrase for jo' },
    });
    expect(createUser).toMatchObject({ email: 'jo.bloggs@uni.example', displayName: 'Jo Bloggs', roles: ['SOCIAL_MEDIA_OFFICER'], disabled: false });

    const jo = new TestClient(env.url);
    expect((await jo.login('jo.bloggs@uni.example', 'a long passphrase for jo')).status).toBe(200);
    expect((await jo.ok('{ me { roles } }')).me.roles).toEqual(['SOCIAL_MEDIA_OFFICER']);

    await admin.ok(SET_ROLES, { input: { id: createUser.id, roles: ['SOCIAL_MEDIA_LEAD', 'SOCIAL_MEDIA_OFFICER'] } });
    expect((await jo.ok('{ me { roles } }')).me.roles).toEqual(['SOCIAL_MEDIA_LEAD', 'SOCIAL_MEDIA_OFFICER']);

    const { disableUser } = await admin.ok(DISABLE, { input: { id: createUser.id } });
    expect(disableUser.disabled).toBe(true);
    await jo.fails('UNAUTHENTICATED', '{ me { roles } }');
    expect((await new TestClient(env.url).login('jo.bloggs@uni.example', 'a long passphrase for jo')).status).toBe(401);

    // Audit events name roles, never the person's email.
    const { auditEvents } = await (await env.as('dpo')).ok(`query($id: ID!) { auditEvents(first: 10, filter: { entityId: $id }) { edges { node { action details } } } }`, { id: createUser.id });
    const actions = auditEvents.edges.map((e: any) => e.node.action);
    expect(actions).toEqual(expect.arrayContaining(['user.create', 'user.setRoles', 'user.disable']));
    expect(JSON.stringify(auditEvents.edges.map((e: any) => e.node.details))).not.toContain('jo.bloggs');
  });

  it('refuses bad input with BAD_USER_INPUT naming the field', async () => {
    const short = await admin.fails('BAD_USER_INPUT', CREATE, { input: { email: 'short@uni.example', displayName: 'Short', roles: [], password: 'too short' } });
    expect(short.extensions?.field).toBe('input.password');
    const email = await admin.fails('BAD_USER_INPUT', CREATE, { input: { email: 'not an email', displayName: 'X', roles: [] } });
    expect(email.extensions?.field).toBe('input.email');
    const taken = await admin.fails('BAD_USER_INPUT', CREATE, { input: { email: 'officer@signpost.test', displayName: 'Again', roles: [] } });
    expect(taken.extensions?.field).toBe('input.email');
    const role = await admin.fails('BAD_USER_INPUT', CREATE, { input: { email: 'role@uni.example', displayName: 'Role', roles: ['SUPERUSER'] } });
    expect(role.extensions?.field).toMatch(/^input\.roles/);
    await admin.fails('NOT_FOUND', DISABLE, { input: { id: '00000000-0000-4000-8000-000000000000' } });
    const { users } = await admin.ok('{ users { email } }');
    expect(users.map((u: { email: string }) => u.email)).not.toContain('short@uni.example');
  });

  it('will not let an administrator lock themselves out', async () => {
    const { me } = await admin.ok('{ me { id } }');
    const disable = await admin.fails('BAD_USER_INPUT', DISABLE, { input: { id: me.id } });
    expect(disable.extensions?.field).toBe('input.id');
    const demote = await admin.fails('BAD_USER_INPUT', SET_ROLES, { input: { id: me.id, roles: ['SOCIAL_MEDIA_OFFICER'] } });
    expect(demote.extensions?.field).toBe('input.roles');
    expect((await admin.ok('{ me { roles } }')).me.roles).toEqual(['ADMIN']);
  });
});
