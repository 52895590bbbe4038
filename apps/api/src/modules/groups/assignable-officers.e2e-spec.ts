import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnvironment, databaseKinds, type TestEnvironment } from '../../testing/test-environment.js';
import type { TestClient } from '../../testing/test-client.js';
import {
  AssignableCreateGroupDocument, AssignableCreateUserDocument, AssignableDisableUserDocument, AssignableGroupsDocument, AssignableMeDocument,
  AssignableOfficersDocument,
} from '../../testing/generated/graphql.js';

describe.each(await databaseKinds())('the people groups can be assigned to on %s', (kind) => {
  let env: TestEnvironment;
  let officer: TestClient;

  beforeAll(async () => {
    env = await createTestEnvironment(kind);
    officer = await env.as('officer');
  });
  afterAll(() => env?.close());

  it('lists the active members of the social media team by name, and no one else', async () => {
    const me = async (who: 'officer' | 'lead' | 'hr' | 'admin') => (await (await env.as(who)).ok(AssignableMeDocument)).me;
    const [o, l, hr, admin] = [await me('officer'), await me('lead'), await me('hr'), await me('admin')];
    const admins = await env.as('admin');
    const { createUser: added } = await admins.ok(AssignableCreateUserDocument, {
      input: { email: 'aaron.newofficer@example.ac.uk', displayName: 'Aaron New-Officer', roles: ['SOCIAL_MEDIA_OFFICER'] },
    });
    const { createUser: leaver } = await admins.ok(AssignableCreateUserDocument, {
      input: { email: 'leaver@example.ac.uk', displayName: 'Lee Leaver', roles: ['SOCIAL_MEDIA_OFFICER'] },
    });
    await admins.ok(AssignableDisableUserDocument, { input: { id: leaver.id } });

    const { assignableOfficers } = await officer.ok(AssignableOfficersDocument);
    const ids = assignableOfficers.map((p) => p.id);
    for (const id of [o.id, l.id, added.id]) expect(ids).toContain(id);
    for (const id of [hr.id, admin.id, leaver.id]) expect(ids).not.toContain(id);
    const names = assignableOfficers.map((p) => p.displayName);
    expect(names).toEqual([...names].sort((a, b) => a.localeCompare(b)));
    expect(assignableOfficers.find((p) => p.id === o.id)?.displayName).toBe(o.displayName);

    // Each one listed can be assigned a group, and the register's officer filter finds it.
    const { createGroup } = await officer.ok(AssignableCreateGroupDocument, {
      input: { name: 'Assigned to the new officer', platform: 'NGL', kind: 'CONFESSIONS', riskLevel: 'LOW', assignedOfficerId: added.id },
    });
    expect(createGroup.assignedOfficer?.id).toBe(added.id);
    const assigned = await officer.ok(AssignableGroupsDocument, { filter: { assignedOfficerId: added.id } });
    expect(assigned.groups.edges.map((e) => e.node.id)).toEqual([createGroup.id]);
  });

  it('is the team\'s internal detail: FORBIDDEN to HR and to a groups:read service', async () => {
    const hr = await env.as('hr');
    expect((await hr.fails('FORBIDDEN', AssignableOfficersDocument)).extensions.permission).toBe('group.readInternal');
    const service = await env.asService(['groups:read']);
    expect((await service.fails('FORBIDDEN', AssignableOfficersDocument)).extensions.permission).toBe('group.readInternal');
  });
});
