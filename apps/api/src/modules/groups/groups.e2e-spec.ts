import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnvironment, databaseKinds, type TestEnvironment } from '../../testing/test-environment.js';

const CREATE = `mutation($input: CreateGroupInput!) { createGroup(input: $input) { id name platform status riskLevel version usesLogo logoStatus nextReviewDue reviewOverdue } }`;

describe.each(await databaseKinds())('groups on %s', (kind) => {
  let env: TestEnvironment;
  beforeAll(async () => {
    env = await createTestEnvironment(kind);
  });
  afterAll(() => env?.close());

  it('records a group and lists it with its totalCount', async () => {
    const officer = await env.as('officer');
    const { createGroup } = await officer.ok(CREATE, {
      input: { name: 'Northfield Confessions', platform: 'INSTAGRAM', kind: 'CONFESSIONS', usesLogo: true, riskLevel: 'HIGH', handle: '@nf_confess' },
    });
    expect(createGroup).toMatchObject({ name: 'Northfield Confessions', status: 'DISCOVERED', version: 1, usesLogo: true, logoStatus: 'IN_USE', reviewOverdue: false });
    const due = new Date(createGroup.nextReviewDue).getTime() - Date.now();
    expect(Math.round(due / 86_400_000)).toBe(14);

    const { groups } = await officer.ok(`{ groups(first: 10, filter: { search: "northfield" }) { totalCount edges { node { id name } } } }`);
    expect(groups.totalCount).toBe(1);
    expect(groups.edges[0].node.id).toBe(createGroup.id);
  });

  it('pages with keyset cursors, overdue reviews first, never repeating a row', async () => {
    const officer = await env.as('officer');
    const ids: string[] = [];
    for (let i = 0; i < 7; i++) {
      const { createGroup } = await officer.ok(CREATE, {
        input: { name: `Paging group ${i}`, platform: 'REDDIT', kind: 'MEMES', riskLevel: i % 2 ? 'LOW' : 'CRITICAL' },
      });
      ids.push(createGroup.id);
    }
    const seen: string[] = [];
    let after: string | null = null;
    let pages = 0;
    do {
      const { groups }: any = await officer.ok(
        `query($after: String) { groups(first: 3, after: $after, filter: { search: "Paging group" }) { totalCount edges { node { id riskLevel nextReviewDue } } pageInfo { hasNextPage endCursor } } }`,
        { after },
      );
      expect(groups.totalCount).toBe(7);
      seen.push(...groups.edges.map((e: any) => e.node.id));
      after = groups.pageInfo.hasNextPage ? groups.pageInfo.endCursor : null;
      pages++;
    } while (after);
    expect(pages).toBe(3);
    expect(new Set(seen).size).toBe(7);
    expect([...seen].sort()).toEqual([...ids].sort());
  });

  it('refuses a stale update with CONFLICT and changes nothing', async () => {
    const officer = await env.as('officer');
    const { createGroup } = await officer.ok(CREATE, { input: { name: 'Stale test', platform: 'X', kind: 'OTHER', riskLevel: 'LOW' } });
    const update = `mutation($input: UpdateGroupInput!) { updateGroup(input: $input) { id name version } }`;
    const first = await officer.ok(update, { input: { id: createGroup.id, version: 1, name: 'First edit' } });
    expect(first.updateGroup.version).toBe(2);
    await officer.fails('CONFLICT', update, { input: { id: createGroup.id, version: 1, name: 'Second edit' } });
    const { group } = await officer.ok(`query($id: ID!) { group(id: $id) { name version } }`, { id: createGroup.id });
    expect(group).toEqual({ name: 'First edit', version: 2 });
  });

  it('answers bad input with BAD_USER_INPUT naming the field', async () => {
    const officer = await env.as('officer');
    const err = await officer.fails('BAD_USER_INPUT', CREATE, {
      input: { name: 'Bad link', platform: 'X', kind: 'OTHER', riskLevel: 'LOW', url: 'javascript:alert(1)' },
    });
    expect(err.extensions?.field).toBe('input.url');
    const blank = await officer.fails('BAD_USER_INPUT', CREATE, { input: { name: '   ', platform: 'X', kind: 'OTHER', riskLevel: 'LOW' } });
    expect(blank.extensions?.field).toBe('input.name');
    const badId = await officer.fails('BAD_USER_INPUT', `{ group(id: "1 OR 1=1") { id } }`);
    expect(badId.extensions?.field).toBe('id');
    await officer.fails('NOT_FOUND', `{ group(id: "00000000-0000-4000-8000-000000000000") { id } }`);
  });

  it('closes with a reason and reopens to where it was', async () => {
    const officer = await env.as('officer');
    const { createGroup } = await officer.ok(CREATE, { input: { name: 'Gone page', platform: 'TIKTOK', kind: 'CONFESSIONS', riskLevel: 'MEDIUM' } });
    const close = await officer.ok(`mutation($input: CloseGroupInput!) { closeGroup(input: $input) { status version closeReason nextReviewDue } }`, {
      input: { id: createGroup.id, version: 1, reason: 'The page was deleted by its owners' },
    });
    expect(close.closeGroup).toMatchObject({ status: 'CLOSED', closeReason: 'The page was deleted by its owners', nextReviewDue: null });
    const reopen = await officer.ok(`mutation($input: ReopenGroupInput!) { reopenGroup(input: $input) { status closeReason } }`, {
      input: { id: createGroup.id, version: close.closeGroup.version },
    });
    expect(reopen.reopenGroup).toEqual({ status: 'DISCOVERED', closeReason: null });
  });

  it('lets only the social media team see the register', async () => {
    for (const who of ['discipline', 'hr', 'legal', 'dpo', 'admin'] as const) {
      const client = await env.as(who);
      await client.fails('FORBIDDEN', `{ groups(first: 5) { totalCount } }`);
    }
    await env.anonymous().fails('UNAUTHENTICATED', `{ groups(first: 5) { totalCount } }`);
    const lead = await env.as('lead');
    const { groups } = await lead.ok(`{ groups(first: 1) { totalCount } }`);
    expect(groups.totalCount).toBeGreaterThan(0);
  });
});
