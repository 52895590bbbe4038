import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnvironment, databaseKinds, type TestEnvironment } from '../../testing/test-environment.js';

const CREATE = `mutation($input: CreateGroupInput!) { createGroup(input: $input) { id version } }`;

describe.each(await databaseKinds())('audit trail and timeline on %s', (kind) => {
  let env: TestEnvironment;
  beforeAll(async () => {
    env = await createTestEnvironment(kind);
  });
  afterAll(() => env?.close());

  it('writes one audit event per mutation, readable by the data protection officer', async () => {
    const officer = await env.as('officer');
    const { createGroup } = await officer.ok(CREATE, { input: { name: 'Audited page', platform: 'X', kind: 'OTHER', riskLevel: 'LOW' } });
    await officer.ok(`mutation($input: UpdateGroupInput!) { updateGroup(input: $input) { id } }`, {
      input: { id: createGroup.id, version: 1, notes: 'Private note about the page' },
    });
    const dpo = await env.as('dpo');
    const { auditEvents } = await dpo.ok(
      `query($groupId: ID) { auditEvents(first: 10, filter: { groupId: $groupId }) { totalCount edges { node { action entityType entityId actorLabel summary details actor { email } } } } }`,
      { groupId: createGroup.id },
    );
    expect(auditEvents.totalCount).toBe(2);
    expect(auditEvents.edges.map((e: any) => e.node.action)).toEqual(['group.update', 'group.create']);
    expect(auditEvents.edges[0].node).toMatchObject({ entityType: 'Group', entityId: createGroup.id, actorLabel: 'officer@signpost.test', actor: { email: 'officer@signpost.test' } });
    // The note's text is personal data and stays out of the trail; only the field name is kept.
    expect(JSON.stringify(auditEvents)).not.toContain('Private note');
    expect(auditEvents.edges[0].node.details).toEqual({ fields: ['notes'] });
  });

  it('rolls the audit event back with a refused mutation', async () => {
    const officer = await env.as('officer');
    const { createGroup } = await officer.ok(CREATE, { input: { name: 'Refused edit', platform: 'X', kind: 'OTHER', riskLevel: 'LOW' } });
    await officer.fails('CONFLICT', `mutation($input: UpdateGroupInput!) { updateGroup(input: $input) { id } }`, {
      input: { id: createGroup.id, version: 7, name: 'Never saved' },
    });
    const dpo = await env.as('dpo');
    const { auditEvents } = await dpo.ok(`query($id: ID) { auditEvents(first: 10, filter: { entityId: $id }) { totalCount } }`, { id: createGroup.id });
    expect(auditEvents.totalCount).toBe(1);
  });

  it('pages the trail by keyset and refuses everyone but the data protection officer', async () => {
    const dpo = await env.as('dpo');
    const first = await dpo.ok(`{ auditEvents(first: 2) { totalCount edges { node { id } } pageInfo { hasNextPage endCursor } } }`);
    expect(first.auditEvents.edges).toHaveLength(2);
    const second = await dpo.ok(`query($after: String) { auditEvents(first: 2, after: $after) { edges { node { id } } } }`, {
      after: first.auditEvents.pageInfo.endCursor,
    });
    const ids = [...first.auditEvents.edges, ...second.auditEvents.edges].map((e: any) => Number(e.node.id));
    expect(ids).toEqual([...ids].sort((a, b) => b - a));
    expect(new Set(ids).size).toBe(ids.length);
    for (const who of ['officer', 'lead', 'discipline', 'hr', 'legal', 'admin'] as const) {
      await (await env.as(who)).fails('FORBIDDEN', `{ auditEvents(first: 1) { totalCount } }`);
    }
    await env.anonymous().fails('UNAUTHENTICATED', `{ auditEvents(first: 1) { totalCount } }`);
  });

  it("tells a group's story on its timeline, newest first, for the social media team only", async () => {
    const officer = await env.as('officer');
    const { createGroup } = await officer.ok(CREATE, { input: { name: 'Timeline page', platform: 'TIKTOK', kind: 'CONFESSIONS', riskLevel: 'HIGH' } });
    await officer.ok(`mutation($input: CloseGroupInput!) { closeGroup(input: $input) { id } }`, {
      input: { id: createGroup.id, version: 1, reason: 'Page deleted' },
    });
    const { group } = await officer.ok(`query($id: ID!) { group(id: $id) { timeline(first: 10) { action summary actor { email } } } }`, { id: createGroup.id });
    expect(group.timeline.map((e: any) => e.action)).toEqual(['group.status', 'group.create']);
    expect(group.timeline[0].summary).toBe('Status DISCOVERED → CLOSED');
    expect(group.timeline[0].actor.email).toBe('officer@signpost.test');
  });
});
