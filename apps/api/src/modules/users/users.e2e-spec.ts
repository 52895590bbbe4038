import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PERMISSIONS, ROLE_PERMISSIONS, ROLES_EXCLUSIVE_OF_ADMIN, permissionEnumName, type Role } from '@signpost/policy';
import { createTestEnvironment, databaseKinds, type DemoAccount, type TestEnvironment } from '../../testing/test-environment.js';
import { TestClient } from '../../testing/test-client.js';
import { DEMO_USERS } from '../../seed/demo-users.js';
import {
  UsersAuditOfDocument, UsersCreateDocument, UsersDisableDocument, UsersListDocument, UsersMeDocument, UsersReferralsCountDocument, UsersSetRolesDocument,
  type Permission as PermissionEnum,
} from '../../testing/generated/graphql.js';

const CREATE = UsersCreateDocument;
const SET_ROLES = UsersSetRolesDocument;
const DISABLE = UsersDisableDocument;

describe.each(await databaseKinds())('user administration on %s', (kind) => {
  let env: TestEnvironment;
  let admin: TestClient;
  let admin2: TestClient;
  beforeAll(async () => {
    env = await createTestEnvironment(kind);
    admin = await env.as('admin');
    admin2 = await env.as('admin2');
  });
  afterAll(() => env?.close());

  const idOf = async (client: TestClient): Promise<string> => (await client.ok(UsersMeDocument)).me.id;
  const rolesOf = async (id: string): Promise<Role[] | undefined> => (await admin.ok(UsersListDocument)).users.find((u) => u.id === id)?.roles;

  it('lists everyone with their roles, both administrators among them, for administrators only', async () => {
    const { users } = await admin.ok(UsersListDocument);
    expect(users).toContainEqual(expect.objectContaining({ email: 'officer@signpost.test', roles: ['SOCIAL_MEDIA_OFFICER'], disabled: false }));
    expect(users.filter((u) => u.roles.includes('ADMIN')).map((u) => u.email)).toEqual(['admin2@signpost.test', 'admin@signpost.test']);
    expect(users.map((u) => u.email)).toEqual([...users.map((u) => u.email)].sort());
    for (const who of ['officer', 'lead', 'discipline', 'dpo'] as const) {
      const refused = await (await env.as(who)).fails('FORBIDDEN', UsersListDocument);
      expect(refused.extensions.permission).toBe('user.manage');
    }
    expect((await env.anonymous().fails('UNAUTHENTICATED', UsersListDocument)).extensions.reason).toBe('NOT_SIGNED_IN');
  });

  it('creates a person who can then sign in, changes their roles at once, and disables them at once', async () => {
    const { createUser } = await admin.ok(CREATE, {
      input: { email: 'Jo.Bloggs@Uni.Example', displayName: 'Jo Bloggs', roles: ['SOCIAL_MEDIA_OFFICER'], password: 'a long passphrase for jo' },
    });
    expect(createUser).toMatchObject({ email: 'jo.bloggs@uni.example', displayName: 'Jo Bloggs', roles: ['SOCIAL_MEDIA_OFFICER'], disabled: false });

    const jo = new TestClient(env.url);
    expect((await jo.login('jo.bloggs@uni.example', 'a long passphrase for jo')).status).toBe(200);
    expect((await jo.ok(UsersMeDocument)).me.roles).toEqual(['SOCIAL_MEDIA_OFFICER']);

    await admin.ok(SET_ROLES, { input: { id: createUser.id, roles: ['SOCIAL_MEDIA_LEAD', 'SOCIAL_MEDIA_OFFICER'] } });
    expect((await jo.ok(UsersMeDocument)).me.roles).toEqual(['SOCIAL_MEDIA_LEAD', 'SOCIAL_MEDIA_OFFICER']);

    const { disableUser } = await admin.ok(DISABLE, { input: { id: createUser.id } });
    expect(disableUser.disabled).toBe(true);
    await jo.fails('UNAUTHENTICATED', UsersMeDocument);
    expect((await new TestClient(env.url).login('jo.bloggs@uni.example', 'a long passphrase for jo')).status).toBe(401);

    // Audit events name roles, never the person's email.
    const { auditEvents } = await (await env.as('dpo')).ok(UsersAuditOfDocument, { id: createUser.id });
    const actions = auditEvents.edges.map((e) => e.node.action);
    expect(actions).toEqual(expect.arrayContaining(['user.create', 'user.setRoles', 'user.disable']));
    expect(JSON.stringify(auditEvents.edges.map((e) => e.node.details))).not.toContain('jo.bloggs');
  });

  it('refuses bad input with BAD_USER_INPUT naming every field at fault', async () => {
    const short = await admin.fails('BAD_USER_INPUT', CREATE, { input: { email: 'short@uni.example', displayName: 'Short', roles: [], password: 'too short' } });
    expect(short.extensions.field).toBe('input.password');
    const email = await admin.fails('BAD_USER_INPUT', CREATE, { input: { email: 'not an email', displayName: 'X', roles: [] } });
    expect(email.extensions.field).toBe('input.email');
    const both = await admin.fails('BAD_USER_INPUT', CREATE, { input: { email: 'not an email', displayName: 'X', roles: [], password: 'too short' } });
    expect(both.extensions.fields.map((f) => f.field).sort()).toEqual(['input.email', 'input.password']);
    const taken = await admin.fails('BAD_USER_INPUT', CREATE, { input: { email: 'officer@signpost.test', displayName: 'Again', roles: [] } });
    expect(taken.extensions.fields).toEqual([{ field: 'input.email', message: 'A user with email officer@signpost.test already exists.' }]);
    // The field is the one at fault, whatever words the value holds.
    await admin.ok(CREATE, { input: { email: 'password.roles@uni.example', displayName: 'Wordy', roles: ['LEGAL'] } });
    const wordy = await admin.fails('BAD_USER_INPUT', CREATE, { input: { email: 'password.roles@uni.example', displayName: 'Wordy again', roles: ['LEGAL'] } });
    expect(wordy.extensions.fields.map((f) => f.field)).toEqual(['input.email']);
    // A value the schema does not know is refused before anything runs (a hostile client's variables, so untyped).
    const role = await admin.fails('BAD_USER_INPUT', CREATE, { input: { email: 'role@uni.example', displayName: 'Role', roles: ['SUPERUSER'] } } as never);
    expect(role.extensions.field).toMatch(/^input\.roles/);
    const missing = await admin.fails('NOT_FOUND', DISABLE, { input: { id: '00000000-0000-4000-8000-000000000000' } });
    expect(missing.extensions.entity).toBe('User');
    const { users } = await admin.ok(UsersListDocument);
    expect(users.map((u) => u.email)).not.toContain('short@uni.example');
    expect(users.filter((u) => u.email === 'password.roles@uni.example')).toHaveLength(1);
  });

  it('never puts ADMIN on one account with a receiving team or DATA_PROTECTION: createUser and setUserRoles refuse it on input.roles, changing nothing', async () => {
    expect(ROLES_EXCLUSIVE_OF_ADMIN).toEqual(expect.arrayContaining(['HR', 'DISCIPLINE', 'LEGAL', 'DATA_PROTECTION']));
    const { createUser: target } = await admin.ok(CREATE, { input: { email: 'sod.target@uni.example', displayName: 'Target', roles: ['SOCIAL_MEDIA_OFFICER'] } });
    for (const other of ROLES_EXCLUSIVE_OF_ADMIN) {
      const email = `admin.and.${other.toLowerCase()}@uni.example`;
      const created = await admin.fails('BAD_USER_INPUT', CREATE, { input: { email, displayName: 'Both', roles: ['ADMIN', other] } });
      expect(created.extensions.fields, other).toEqual([{ field: 'input.roles', message: expect.stringContaining(`ADMIN cannot be held together with ${other}`) }]);

      const set = await admin.gql(SET_ROLES, { input: { id: target.id, roles: [other, 'ADMIN'] } });
      expect(set.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.roles', fields: [{ field: 'input.roles' }] });
      // A refused mutation shows no data at all.
      expect(set.data).toBeNull();
    }
    // Every fault at once: a bad email, a short password and the clash.
    const all = await admin.fails('BAD_USER_INPUT', CREATE, { input: { email: 'not an email', displayName: 'All', roles: ['ADMIN', 'HR'], password: 'short' } });
    expect(all.extensions.fields.map((f) => f.field).sort()).toEqual(['input.email', 'input.password', 'input.roles']);
    expect(all.extensions.fields.find((f) => f.field === 'input.roles')?.message).toMatch(/^ADMIN cannot be held together with HR/);
    const { users } = await admin.ok(UsersListDocument);
    expect(users.filter((u) => u.email.startsWith('admin.and.'))).toEqual([]);
    expect(users.find((u) => u.id === target.id)?.roles).toEqual(['SOCIAL_MEDIA_OFFICER']);
    // Each alone is fine.
    await admin2.ok(SET_ROLES, { input: { id: target.id, roles: ['HR'] } });
    await admin2.ok(SET_ROLES, { input: { id: target.id, roles: ['ADMIN'] } });
    expect(await rolesOf(target.id)).toEqual(['ADMIN']);
  });

  it('lets nobody change their own roles: an administrator can neither add nor drop a role of their own, nor give themselves HR', async () => {
    const me = await idOf(admin);
    for (const roles of [['ADMIN', 'HR'], ['HR'], ['ADMIN', 'SOCIAL_MEDIA_OFFICER'], ['SOCIAL_MEDIA_OFFICER'], []] satisfies Role[][]) {
      const refused = await admin.fails('FORBIDDEN', SET_ROLES, { input: { id: me, roles } });
      expect(refused.extensions, JSON.stringify(roles)).toMatchObject({ code: 'FORBIDDEN', reason: 'SEPARATION_OF_DUTIES' });
      expect(refused.message).toMatch(/own roles/);
    }
    expect((await admin.ok(UsersMeDocument)).me.roles).toEqual(['ADMIN']);
    // So the administrator still cannot reach HR's referrals.
    expect((await admin.fails('FORBIDDEN', UsersReferralsCountDocument)).extensions.permission).toBe('referral.read');
    const { auditEvents } = await (await env.as('dpo')).ok(UsersAuditOfDocument, { id: me });
    expect(auditEvents.edges.map((e) => e.node.action)).not.toContain('user.setRoles');
    // Anyone else trying it on themselves lacks user.manage in the first place.
    const lead = await env.as('lead');
    expect((await lead.fails('FORBIDDEN', SET_ROLES, { input: { id: await idOf(lead), roles: ['SOCIAL_MEDIA_LEAD', 'HR'] } })).extensions.permission).toBe('user.manage');
  });

  it("lets another administrator change an administrator's roles, at once and on the record", async () => {
    const adminId = await idOf(admin);
    const { setUserRoles } = await admin2.ok(SET_ROLES, { input: { id: adminId, roles: ['ADMIN', 'SOCIAL_MEDIA_OFFICER'] } });
    expect(setUserRoles).toEqual({ id: adminId, roles: ['ADMIN', 'SOCIAL_MEDIA_OFFICER'] });
    expect((await admin.ok(UsersMeDocument)).me.roles).toEqual(['ADMIN', 'SOCIAL_MEDIA_OFFICER']);
    await admin2.ok(SET_ROLES, { input: { id: adminId, roles: ['ADMIN'] } });
    expect((await admin.ok(UsersMeDocument)).me.roles).toEqual(['ADMIN']);
    // And the other way round.
    const admin2Id = await idOf(admin2);
    await admin.ok(SET_ROLES, { input: { id: admin2Id, roles: ['ADMIN'] } });
    const { auditEvents } = await (await env.as('dpo')).ok(UsersAuditOfDocument, { id: adminId });
    const changes = auditEvents.edges.filter((e) => e.node.action === 'user.setRoles').map((e) => ({ by: e.node.actor?.email, details: e.node.details }));
    expect(changes).toEqual(expect.arrayContaining([
      { by: 'admin2@signpost.test', details: { from: ['ADMIN'], to: ['ADMIN', 'SOCIAL_MEDIA_OFFICER'] } },
      { by: 'admin2@signpost.test', details: { from: ['ADMIN', 'SOCIAL_MEDIA_OFFICER'], to: ['ADMIN'] } },
    ]));
  });

  it('will not let an administrator lock themselves out', async () => {
    const me = await idOf(admin);
    const disable = await admin.fails('BAD_USER_INPUT', DISABLE, { input: { id: me } });
    expect(disable.extensions.fields).toEqual([{ field: 'input.id', message: expect.stringMatching(/your own account/) }]);
    const demote = await admin.fails('FORBIDDEN', SET_ROLES, { input: { id: me, roles: ['SOCIAL_MEDIA_OFFICER'] } });
    expect(demote.extensions.reason).toBe('SEPARATION_OF_DUTIES');
    expect((await admin.ok(UsersMeDocument)).me.roles).toEqual(['ADMIN']);
  });

  it("answers Me.permissions as the Permission enum, in the registry's order, for every role", async () => {
    const hr = (await (await env.as('hr')).ok(UsersMeDocument)).me;
    expect(hr).toMatchObject({ roles: ['HR'], teams: ['HR'] });
    expect(hr.permissions).toEqual(['REFERRAL_READ', 'REFERRAL_ACKNOWLEDGE', 'REFERRAL_PROGRESS', 'REFERRAL_NOTE', 'REFERRAL_TRANSFER', 'REFERRAL_CLOSE']);
    expect((await admin.ok(UsersMeDocument)).me.permissions).toEqual(['USER_MANAGE', 'SERVICE_CLIENT_MANAGE']);
    for (const account of DEMO_USERS) {
      const who = account.email.split('@')[0] as DemoAccount;
      const { me } = await (await env.as(who)).ok(UsersMeDocument);
      const granted = new Set(account.roles.flatMap((r) => ROLE_PERMISSIONS[r]));
      const expected = PERMISSIONS.filter((p) => granted.has(p)).map((p) => permissionEnumName(p) as PermissionEnum);
      expect(me.permissions, who).toEqual(expected);
      expect(me.permissions.length, who).toBeGreaterThan(0);
    }
  });
});
