import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnvironment, databaseKinds, type TestEnvironment } from './testing/test-environment.js';
import { TestClient } from './testing/test-client.js';
import { DEMO_PASSWORD } from './seed/demo-users.js';
import {
  ConcurrencyAcknowledgeDocument, ConcurrencyAddAdministratorDocument, ConcurrencyCreateGroupDocument, ConcurrencyDraftReferralDocument,
  ConcurrencyGroupDocument, ConcurrencySubmitReferralDocument, ConcurrencyUpdateGroupDocument,
} from './testing/generated/graphql.js';

/** Ten people (ten sessions, ten connections on PostgreSQL) editing the same version at once. */
async function tenClients(env: TestEnvironment, email: string): Promise<TestClient[]> {
  return Promise.all(
    Array.from({ length: 10 }, async () => {
      const client = new TestClient(env.url);
      await client.login(email, DEMO_PASSWORD);
      return client;
    }),
  );
}

const codes = (results: { errors?: { extensions?: { code?: string } }[] }[]) =>
  results.map((r) => r.errors?.[0]?.extensions?.code ?? 'OK').sort();

describe.each(await databaseKinds())('no lost edits on %s', (kind) => {
  let env: TestEnvironment;
  beforeAll(async () => {
    env = await createTestEnvironment(kind);
  });
  afterAll(() => env?.close());

  it('lets exactly one of ten concurrent edits of one group version win; the other nine get CONFLICT', async () => {
    const officer = await env.as('officer');
    const { createGroup } = await officer.ok(ConcurrencyCreateGroupDocument, { input: { name: 'Contested page', platform: 'X', kind: 'OTHER', riskLevel: 'LOW' } });
    const clients = await tenClients(env, 'officer@signpost.test');
    const results = await Promise.all(
      clients.map((c, i) => c.gql(ConcurrencyUpdateGroupDocument, { input: { id: createGroup.id, version: createGroup.version, name: `Edit ${i}` } })),
    );
    expect(codes(results)).toEqual(['CONFLICT', 'CONFLICT', 'CONFLICT', 'CONFLICT', 'CONFLICT', 'CONFLICT', 'CONFLICT', 'CONFLICT', 'CONFLICT', 'OK']);
    const winner = results.find((r) => !r.errors)!.data!.updateGroup;
    // Every loser is told the version the record has now, and is given no data (its change was undone).
    for (const loser of results.filter((r) => r.errors)) {
      expect(loser.data).toBeNull();
      expect(loser.errors![0]!.extensions).toMatchObject({ code: 'CONFLICT', reason: 'STALE_VERSION', entity: 'Group', currentVersion: winner.version });
    }
    const { group } = await officer.ok(ConcurrencyGroupDocument, { id: createGroup.id });
    // The winner's edit is what is stored, at exactly one version on.
    expect(group).toEqual({ name: winner.name, version: createGroup.version + 1 });
    // And exactly one audit event of an update exists.
    const [{ n }] = await env.server.dataSource.query(`SELECT count(*)::int AS n FROM audit_events WHERE entity_id = $1 AND action = 'group.update'`, [createGroup.id]);
    expect(n).toBe(1);
  });

  it('lets exactly one of ten concurrent acknowledgements of a referral win', async () => {
    const officer = await env.as('officer');
    const lead = await env.as('lead');
    const { createGroup } = await officer.ok(ConcurrencyCreateGroupDocument, { input: { name: 'Contested referral', platform: 'X', kind: 'OTHER', riskLevel: 'LOW' } });
    await officer.ok(ConcurrencyAddAdministratorDocument, { input: { groupId: createGroup.id, handle: '@staffer', affiliation: 'STAFF' } });
    const { draftReferral } = await officer.ok(ConcurrencyDraftReferralDocument, {
      input: { groupId: createGroup.id, reason: 'CONTENT_OF_CONCERN', summary: 'Hateful posts about a colleague.' },
    });
    const { submitReferral } = await lead.ok(ConcurrencySubmitReferralDocument, {
      input: { id: draftReferral.id, version: draftReferral.version, routing: { mode: 'AUTO' } },
    });
    const referral = submitReferral.referrals[0]!;
    const clients = await tenClients(env, 'hr@signpost.test');
    const results = await Promise.all(clients.map((c) => c.gql(ConcurrencyAcknowledgeDocument, { input: { id: referral.id, version: referral.version } })));
    expect(codes(results).filter((c) => c === 'OK')).toHaveLength(1);
    expect(codes(results).filter((c) => c === 'CONFLICT')).toHaveLength(9);
    const winner = results.find((r) => !r.errors)!.data!.acknowledgeReferral;
    expect(winner.version).toBe(referral.version + 1);
    for (const loser of results.filter((r) => r.errors)) {
      expect(loser.data).toBeNull();
      expect(loser.errors![0]!.extensions).toMatchObject({ code: 'CONFLICT', entity: 'Referral', currentVersion: winner.version });
    }
    const [{ n }] = await env.server.dataSource.query(`SELECT count(*)::int AS n FROM audit_events WHERE entity_id = $1 AND action = 'referral.acknowledge'`, [referral.id]);
    expect(n).toBe(1);
  });
});
