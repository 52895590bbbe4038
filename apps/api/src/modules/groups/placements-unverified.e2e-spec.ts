import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PLACEMENTS } from '@signpost/policy';
import { createTestEnvironment, databaseKinds, type TestEnvironment } from '../../testing/test-environment.js';
import type { TestClient } from '../../testing/test-client.js';
import { groupIn } from '../../testing/builders.js';
import {
  UnverifiedGroupsDocument, UnverifiedPlacementVersionsDocument, UnverifiedRecordPlacementDocument, UnverifiedStatsDocument,
  type GroupFilter, type PlacementState,
} from '../../testing/generated/graphql.js';

describe.each(await databaseKinds())('the register filtered to placements not yet verified on %s', (kind) => {
  let env: TestEnvironment;
  let officer: TestClient;
  const made: Record<'agreed' | 'pinnedVerified' | 'bothPublished' | 'compliant' | 'engaged', string> = {
    agreed: '', pinnedVerified: '', bothPublished: '', compliant: '', engaged: '',
  };

  const record = async (groupId: string, placement: 'PINNED_MESSAGE' | 'AUTO_RESPONSE', states: PlacementState[]) => {
    for (const state of states) {
      const { group } = await officer.ok(UnverifiedPlacementVersionsDocument, { id: groupId });
      const current = group.placements.find((p) => p.placement === placement)!;
      await officer.ok(UnverifiedRecordPlacementDocument, {
        input: { groupId, placement, state, version: current.version, evidenceUrl: `https://instagram.com/p/${placement.toLowerCase()}` },
      });
    }
  };

  beforeAll(async () => {
    env = await createTestEnvironment(kind);
    officer = await env.as('officer');
    made.agreed = (await groupIn(env, 'WORDING_AGREED', { name: 'Unverified: nothing published' })).id;
    made.pinnedVerified = (await groupIn(env, 'WORDING_AGREED', { name: 'Unverified: pinned message only' })).id;
    await record(made.pinnedVerified, 'PINNED_MESSAGE', ['PUBLISHED', 'VERIFIED']);
    await record(made.pinnedVerified, 'AUTO_RESPONSE', ['PUBLISHED']);
    made.bothPublished = (await groupIn(env, 'WORDING_AGREED', { name: 'Unverified: both published' })).id;
    await record(made.bothPublished, 'PINNED_MESSAGE', ['PUBLISHED']);
    await record(made.bothPublished, 'AUTO_RESPONSE', ['PUBLISHED']);
    made.compliant = (await groupIn(env, 'COMPLIANT', { name: 'Verified: compliant' })).id;
    made.engaged = (await groupIn(env, 'ENGAGED', { name: 'No agreed wording' })).id;
  });
  afterAll(() => env?.close());

  const list = async (filter: GroupFilter) => (await officer.ok(UnverifiedGroupsDocument, { filter })).groups;

  it('lists exactly the groups with agreed wording not verified in both placements (true) and every other group (false), with the figures to match', async () => {
    const all = (await list({})).edges.map((e) => e.node);
    // The same rule read from each group's own fields: agreed wording, and a placement not VERIFIED.
    const expected = all
      .filter((g) => g.wordingAgreements.some((a) => a.status === 'AGREED'))
      .filter((g) => PLACEMENTS.some((p) => g.placements.find((r) => r.placement === p)?.state !== 'VERIFIED'))
      .map((g) => g.id)
      .sort();
    expect(expected).toEqual([made.agreed, made.pinnedVerified, made.bothPublished].sort());

    const unverified = await list({ placementsUnverified: true });
    expect(unverified.edges.map((e) => e.node.id).sort()).toEqual(expected);
    expect(unverified.totalCount).toBe(expected.length);
    const others = (await list({ placementsUnverified: false })).edges.map((e) => e.node.id).sort();
    expect(others).toEqual(all.map((g) => g.id).filter((id) => !expected.includes(id)).sort());
    expect(others).toContain(made.compliant);
    expect(others).toContain(made.engaged);
    expect((await officer.ok(UnverifiedStatsDocument, { filter: { placementsUnverified: true } })).registerStats.total).toBe(expected.length);
    // It combines with the other filters.
    expect((await list({ placementsUnverified: true, status: ['COMPLIANT'] })).totalCount).toBe(0);
  });

  it('drops a group from the list once both placements are verified', async () => {
    await record(made.pinnedVerified, 'AUTO_RESPONSE', ['VERIFIED']);
    const { group } = await officer.ok(UnverifiedPlacementVersionsDocument, { id: made.pinnedVerified });
    expect(group.status).toBe('COMPLIANT');
    const ids = (await list({ placementsUnverified: true })).edges.map((e) => e.node.id).sort();
    expect(ids).toEqual([made.agreed, made.bothPublished].sort());
  });

  it('is an internal filter: FORBIDDEN to a groups:read service', async () => {
    const service = await env.asService(['groups:read']);
    const err = await service.fails('FORBIDDEN', UnverifiedGroupsDocument, { filter: { placementsUnverified: true } });
    expect(err.extensions.permission).toBe('group.readInternal');
    expect(err.message).toContain('filter.placementsUnverified');
  });
});
