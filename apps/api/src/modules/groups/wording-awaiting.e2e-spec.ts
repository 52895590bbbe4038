import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WORDING_EXAMPLE } from '@signpost/policy';
import { createTestEnvironment, databaseKinds, type TestEnvironment } from '../../testing/test-environment.js';
import type { TestClient } from '../../testing/test-client.js';
import { groupIn } from '../../testing/builders.js';
import {
  AwaitingCreateGroupDocument, AwaitingGroupsDocument, AwaitingProposeWordingDocument, AwaitingStatsDocument, type GroupFilter,
} from '../../testing/generated/graphql.js';

describe.each(await databaseKinds())('the register filtered to wording awaiting approval on %s', (kind) => {
  let env: TestEnvironment;
  let officer: TestClient;
  const made: Record<'proposed' | 'draft' | 'none' | 'agreed', string> = { proposed: '', draft: '', none: '', agreed: '' };

  beforeAll(async () => {
    env = await createTestEnvironment(kind);
    officer = await env.as('officer');
    const create = async (name: string) =>
      (await officer.ok(AwaitingCreateGroupDocument, { input: { name, platform: 'NGL', kind: 'CONFESSIONS', riskLevel: 'LOW' } })).createGroup.id;
    made.proposed = await create('Awaiting proposed');
    made.draft = await create('Awaiting draft');
    made.none = await create('Awaiting nothing');
    const proposed = await officer.ok(AwaitingProposeWordingDocument, { input: { groupId: made.proposed, text: WORDING_EXAMPLE, proposedBy: 'ADMINISTRATORS' } });
    expect(proposed.proposeWording.status).toBe('PROPOSED');
    const draft = await officer.ok(AwaitingProposeWordingDocument, { input: { groupId: made.draft, text: WORDING_EXAMPLE, asDraft: true } });
    expect(draft.proposeWording.status).toBe('DRAFT');
    made.agreed = (await groupIn(env, 'WORDING_AGREED')).id;
  });
  afterAll(() => env?.close());

  const ids = async (filter: GroupFilter) => (await officer.ok(AwaitingGroupsDocument, { filter })).groups;

  it('lists exactly the groups with a proposed agreement (true) and every other group (false), with the figures to match', async () => {
    const all = (await ids({})).edges.map((e) => e.node);
    const proposed = all.filter((g) => g.wordingAgreements.some((a) => a.status === 'PROPOSED')).map((g) => g.id).sort();
    expect(proposed).toEqual([made.proposed]);
    const awaiting = await ids({ wordingAwaitingApproval: true });
    expect(awaiting.edges.map((e) => e.node.id).sort()).toEqual(proposed);
    expect(awaiting.totalCount).toBe(proposed.length);
    const others = (await ids({ wordingAwaitingApproval: false })).edges.map((e) => e.node.id);
    expect(others.sort()).toEqual(all.map((g) => g.id).filter((id) => !proposed.includes(id)).sort());
    for (const id of [made.draft, made.none, made.agreed]) expect(others).toContain(id);
    expect((await officer.ok(AwaitingStatsDocument, { filter: { wordingAwaitingApproval: true } })).registerStats.total).toBe(proposed.length);
    // The lead's queue empties once the lead approves: the agreed group is not in it.
    expect(awaiting.edges.map((e) => e.node.id)).not.toContain(made.agreed);
  });

  it('is an internal filter: FORBIDDEN to a groups:read service', async () => {
    const service = await env.asService(['groups:read']);
    const err = await service.fails('FORBIDDEN', AwaitingGroupsDocument, { filter: { wordingAwaitingApproval: true } });
    expect(err.extensions.permission).toBe('group.readInternal');
    expect(err.message).toContain('filter.wordingAwaitingApproval');
  });
});
