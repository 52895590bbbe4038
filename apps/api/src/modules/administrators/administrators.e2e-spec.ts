import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnvironment, databaseKinds, type TestEnvironment } from '../../testing/test-environment.js';
import type { Document, TestClient } from '../../testing/test-client.js';
import {
  AdministratorsAddDocument, AdministratorsCloseGroupDocument, AdministratorsCreateGroupDocument, AdministratorsGroupPersonalDocument,
  AdministratorsGroupRegisterDocument, AdministratorsOfGroupDocument, AdministratorsOfGroupsDocument, AdministratorsReopenGroupDocument,
  AdministratorsUpdateDocument, type AddAdministratorInput, type Affiliation,
} from '../../testing/generated/graphql.js';

const MISSING = '00000000-0000-4000-8000-000000000000';
const OUTSIDERS = ['discipline', 'hr', 'legal', 'dpo', 'admin'] as const;

describe.each(await databaseKinds())('administrators on %s', (kind) => {
  let env: TestEnvironment;
  let officer: TestClient;
  beforeAll(async () => {
    env = await createTestEnvironment(kind);
    officer = await env.as('officer');
  });
  afterAll(() => env?.close());

  async function newGroup(name: string): Promise<{ id: string; version: number }> {
    const { createGroup } = await officer.ok(AdministratorsCreateGroupDocument, { input: { name, platform: 'INSTAGRAM', kind: 'CONFESSIONS', riskLevel: 'MEDIUM' } });
    return createGroup;
  }

  const adminsOf = async (groupId: string) => (await officer.ok(AdministratorsOfGroupDocument, { id: groupId })).group.administrators;

  /** Runs an operation as a service client with the `groups:read` scope (a real bearer token): the register, no personal data. */
  async function asRegisterService<R, V>(doc: Document<R, V>, variables: V) {
    return (await env.asService(['groups:read'])).gql(doc, variables);
  }


  it('adds administrators (affiliation UNKNOWN by default) and lists them on the group in the order recorded', async () => {
    const group = await newGroup('Eastgate Confessions');
    const first = (await officer.ok(AdministratorsAddDocument, { input: { groupId: group.id, handle: '  @eastgate_admin  ' } })).addAdministrator;
    expect(first).toMatchObject({
      handle: '@eastgate_admin', name: null, affiliation: 'UNKNOWN', affiliationMethod: null, universityId: null,
      contactDetails: null, notes: null, version: 1, group: { id: group.id, name: 'Eastgate Confessions' },
    });
    const second = (await officer.ok(AdministratorsAddDocument, {
      input: {
        groupId: group.id, handle: '@second', name: 'Sam Second', affiliation: 'STUDENT', affiliationMethod: 'Told us in a message',
        universityId: 'S1234567', contactDetails: 'sam@example.org', notes: '   ',
      },
    })).addAdministrator;
    expect(second).toMatchObject({ name: 'Sam Second', affiliation: 'STUDENT', universityId: 'S1234567', contactDetails: 'sam@example.org', notes: null });

    const admins = await adminsOf(group.id);
    expect(admins.map((a: { id: string }) => a.id)).toEqual([first.id, second.id]);

    // The audit trail outlives erasure: it names the record and the affiliation, never the person.
    const events = await env.server.dataSource.query(
      `SELECT action, entity_id, group_id, details FROM audit_events WHERE entity_id = $1`, [second.id]);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ action: 'administrator.add', group_id: group.id, details: { affiliation: 'STUDENT' } });
    const details = JSON.stringify(events[0].details);
    for (const personal of ['Sam', 'S1234567', 'sam@example.org', '@second']) expect(details).not.toContain(personal);
  });

  it('lists the administrators of many groups at once, each under its own group', async () => {
    const a = await newGroup('Batch group A');
    const b = await newGroup('Batch group B');
    await newGroup('Batch group C');
    await officer.ok(AdministratorsAddDocument, { input: { groupId: a.id, handle: '@a1' } });
    await officer.ok(AdministratorsAddDocument, { input: { groupId: a.id, handle: '@a2' } });
    await officer.ok(AdministratorsAddDocument, { input: { groupId: b.id, handle: '@b1' } });
    const { groups } = await officer.ok(AdministratorsOfGroupsDocument, { search: 'Batch group' });
    const byName = Object.fromEntries(groups.edges.map((e: any) => [e.node.name, e.node.administrators]));
    expect(byName['Batch group A'].map((x: any) => x.handle)).toEqual(['@a1', '@a2']);
    expect(byName['Batch group A'][0].group.name).toBe('Batch group A');
    expect(byName['Batch group B'].map((x: any) => x.handle)).toEqual(['@b1']);
    expect(byName['Batch group C']).toEqual([]);
  });

  it('updates an administrator against the version read, and refuses a stale version with CONFLICT', async () => {
    const group = await newGroup('Update group');
    const admin = (await officer.ok(AdministratorsAddDocument, { input: { groupId: group.id, handle: '@upd', name: 'Ursula', notes: 'first note' } })).addAdministrator;
    const updated = (await officer.ok(AdministratorsUpdateDocument, {
      input: { id: admin.id, version: 1, affiliation: 'STAFF', affiliationMethod: 'Staff directory', name: null },
    })).updateAdministrator;
    // Left-out fields are unchanged, null clears an optional one.
    expect(updated).toMatchObject({ handle: '@upd', name: null, affiliation: 'STAFF', affiliationMethod: 'Staff directory', notes: 'first note', version: 2 });

    const stale = await officer.fails('CONFLICT', AdministratorsUpdateDocument, { input: { id: admin.id, version: 1, handle: '@stale' } });
    expect(stale.message).toMatch(/changed by someone else/);
    expect((await adminsOf(group.id))[0]).toEqual(updated);

    const [event] = await env.server.dataSource.query(
      `SELECT details FROM audit_events WHERE entity_id = $1 AND action = 'administrator.update'`, [admin.id]);
    expect(event.details).toEqual({ fields: expect.arrayContaining(['affiliation', 'affiliationMethod', 'name']), affiliationFrom: 'UNKNOWN', affiliationTo: 'STAFF' });
    expect(JSON.stringify(event.details)).not.toContain('Ursula');
  });

  it('answers bad input with BAD_USER_INPUT naming the field, and writes nothing', async () => {
    const group = await newGroup('Bad input group');
    const cases: [AddAdministratorInput, string][] = [
      [{ groupId: group.id, handle: '   ' }, 'input.handle'],
      [{ groupId: group.id, handle: 'x'.repeat(101) }, 'input.handle'],
      [{ groupId: group.id, handle: '@evil\u202Eadmin' }, 'input.handle'],
      [{ groupId: group.id, handle: '@ok', name: 'two\nlines' }, 'input.name'],
      [{ groupId: group.id, handle: '@ok', affiliation: 'PROFESSOR' as Affiliation }, 'input.affiliation'],
      [{ groupId: 'not-a-uuid', handle: '@ok' }, 'input.groupId'],
    ];
    for (const [input, field] of cases) {
      const err = await officer.fails('BAD_USER_INPUT', AdministratorsAddDocument, { input });
      expect(err.extensions?.field, JSON.stringify(input)).toBe(field);
    }
    expect(await adminsOf(group.id)).toEqual([]);

    const admin = (await officer.ok(AdministratorsAddDocument, { input: { groupId: group.id, handle: '@kept', affiliation: 'ALUMNI' } })).addAdministrator;
    const handle = await officer.fails('BAD_USER_INPUT', AdministratorsUpdateDocument, { input: { id: admin.id, version: 1, handle: null } });
    expect(handle.extensions?.field).toBe('input.handle');
    const affiliation = await officer.fails('BAD_USER_INPUT', AdministratorsUpdateDocument, { input: { id: admin.id, version: 1, affiliation: null } });
    expect(affiliation.extensions?.field).toBe('input.affiliation');
    const version = await officer.fails('BAD_USER_INPUT', AdministratorsUpdateDocument, { input: { id: admin.id, version: 0, notes: 'x' } });
    expect(version.extensions?.field).toBe('input.version');
    const [after] = await adminsOf(group.id);
    expect(after).toMatchObject({ handle: '@kept', affiliation: 'ALUMNI', version: 1 });
  });

  it('answers NOT_FOUND for a group or administrator that does not exist', async () => {
    const err = await officer.fails('NOT_FOUND', AdministratorsAddDocument, { input: { groupId: MISSING, handle: '@nobody' } });
    expect(err.message).toBe('Group not found.');
    const upd = await officer.fails('NOT_FOUND', AdministratorsUpdateDocument, { input: { id: MISSING, version: 1, handle: '@nobody' } });
    expect(upd.message).toBe('Administrator not found.');
    const [{ count }] = await env.server.dataSource.query(`SELECT count(*)::int AS count FROM administrators WHERE handle = '@nobody'`);
    expect(count).toBe(0);
  });

  it('refuses adding or changing administrators of a closed group until it is reopened', async () => {
    const group = await newGroup('Closed admin group');
    const admin = (await officer.ok(AdministratorsAddDocument, { input: { groupId: group.id, handle: '@before' } })).addAdministrator;
    const closed = (await officer.ok(AdministratorsCloseGroupDocument, { input: { id: group.id, version: group.version, reason: 'Page deleted' } })).closeGroup;

    const add = await officer.fails('TRANSITION_NOT_ALLOWED', AdministratorsAddDocument, { input: { groupId: group.id, handle: '@after' } });
    expect(add.extensions.unmet).toEqual(['the group is closed; reopen it first']);
    const upd = await officer.fails('TRANSITION_NOT_ALLOWED', AdministratorsUpdateDocument, { input: { id: admin.id, version: 1, affiliation: 'STUDENT' } });
    expect(upd.extensions.unmet).toEqual(['the group is closed; reopen it first']);
    expect(upd.message).toMatch(/reopen it first/);
    expect(await adminsOf(group.id)).toEqual([expect.objectContaining({ handle: '@before', affiliation: 'UNKNOWN', version: 1 })]);

    await officer.ok(AdministratorsReopenGroupDocument, { input: { id: group.id, version: closed.version } });
    await officer.ok(AdministratorsAddDocument, { input: { groupId: group.id, handle: '@after' } });
    expect((await adminsOf(group.id)).map((a: any) => a.handle)).toEqual(['@before', '@after']);
  });

  it('lets only the social media team read or change administrators', async () => {
    const group = await newGroup('Private admins');
    const admin = (await officer.ok(AdministratorsAddDocument, { input: { groupId: group.id, handle: '@private', name: 'Pat Private' } })).addAdministrator;
    for (const who of OUTSIDERS) {
      const client = await env.as(who);
      await client.fails('FORBIDDEN', AdministratorsAddDocument, { input: { groupId: group.id, handle: `@${who}` } });
      await client.fails('FORBIDDEN', AdministratorsUpdateDocument, { input: { id: admin.id, version: 1, name: who } });
      await client.fails('FORBIDDEN', AdministratorsOfGroupDocument, { id: group.id });
    }
    await env.anonymous().fails('UNAUTHENTICATED', AdministratorsAddDocument, { input: { groupId: group.id, handle: '@anon' } });
    await env.anonymous().fails('UNAUTHENTICATED', AdministratorsOfGroupDocument, { id: group.id });
    expect(await adminsOf(group.id)).toEqual([expect.objectContaining({ handle: '@private', name: 'Pat Private', version: 1 })]);

    const lead = await env.as('lead');
    const { updateAdministrator } = await lead.ok(AdministratorsUpdateDocument, { input: { id: admin.id, version: 1, affiliation: 'UNAFFILIATED' } });
    expect(updateAdministrator.affiliation).toBe('UNAFFILIATED');
  });

  it('keeps administrators from a service that may read the register', async () => {
    const group = await newGroup('Register only');
    await officer.ok(AdministratorsAddDocument, { input: { groupId: group.id, handle: '@hidden' } });
    const register = await asRegisterService(AdministratorsGroupRegisterDocument, { id: group.id });
    expect(register.errors).toBeUndefined();
    expect(register.data?.group).toEqual({ id: group.id, name: 'Register only' });

    const personal = await asRegisterService(AdministratorsGroupPersonalDocument, { id: group.id });
    expect(personal.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(personal.errors?.[0]?.path).toEqual(['group', 'administrators']);
    expect(JSON.stringify(personal.data)).not.toContain('@hidden');
  });
});
