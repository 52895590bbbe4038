import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AFFILIATIONS, GROUP_STATUSES, TEAMS, WORDING_STATUSES } from '@signpost/policy';
import { createTestEnvironment, databaseKinds, type TestEnvironment } from './testing/test-environment.js';
import {
  DemoAuditCountDocument, DemoGroupsCountDocument, DemoGroupsDocument, DemoMeDocument, DemoReferralsCountDocument, DemoReferralsDocument,
} from './testing/generated/graphql.js';

const REFERRALS = DemoReferralsDocument;

describe.each(await databaseKinds())('demo data on %s', (kind) => {
  let env: TestEnvironment;
  beforeAll(async () => {
    env = await createTestEnvironment(kind, { demoData: true });
  });
  afterAll(() => env?.close());

  it('has groups on several platforms in every lifecycle state, administrators of every affiliation and wording in every state', async () => {
    const officer = await env.as('officer');
    const { groups } = await officer.ok(DemoGroupsDocument);
    const nodes = groups.edges.map((e) => e.node);
    expect(groups.totalCount).toBe(nodes.length);
    expect(new Set(nodes.map((g) => g.status))).toEqual(new Set(GROUP_STATUSES));
    expect(new Set(nodes.map((g) => g.platform)).size).toBeGreaterThanOrEqual(8);
    expect(new Set(nodes.flatMap((g) => g.administrators.map((a) => a.affiliation)))).toEqual(new Set(AFFILIATIONS));
    expect(new Set(nodes.flatMap((g) => g.wordingAgreements.map((w) => w.status)))).toEqual(new Set(WORDING_STATUSES));
    expect(nodes.filter((g) => g.contactLog.length > 0).length).toBeGreaterThanOrEqual(8);
    expect(nodes.filter((g) => g.concerns.length > 0).length).toBeGreaterThanOrEqual(4);
    // Overdue reviews come first in the register.
    expect(nodes[0].reviewOverdue).toBe(true);
  });

  it('has submitted referrals routed to each team, and a draft only the social media team sees', async () => {
    const officer = await env.as('officer');
    const { referrals } = await officer.ok(REFERRALS);
    const all = referrals.edges.map((e) => e.node);
    expect(all.some((r) => r.status === 'DRAFT')).toBe(true);
    const submitted = all.filter((r) => r.status !== 'DRAFT');
    expect(new Set(submitted.map((r) => r.team))).toEqual(new Set(TEAMS));

    for (const team of TEAMS) {
      const client = await env.as(team.toLowerCase() as 'discipline' | 'hr' | 'legal');
      const mine = (await client.ok(REFERRALS)).referrals;
      const expected = submitted.filter((r) => r.team === team);
      expect(mine.totalCount).toBe(expected.length);
      expect(mine.edges.map((e) => e.node.id).sort()).toEqual(expected.map((r) => r.id).sort());
      expect(mine.edges.every((e) => e.node.group.name.length > 0)).toBe(true);
    }
  });

  it('lets each demo account sign in and see what its role allows', async () => {
    const expectations: Record<string, { groups: 'ok' | 'FORBIDDEN'; referrals: 'ok' | 'FORBIDDEN'; audit: 'ok' | 'FORBIDDEN' }> = {
      officer: { groups: 'ok', referrals: 'ok', audit: 'FORBIDDEN' },
      lead: { groups: 'ok', referrals: 'ok', audit: 'FORBIDDEN' },
      discipline: { groups: 'FORBIDDEN', referrals: 'ok', audit: 'FORBIDDEN' },
      hr: { groups: 'FORBIDDEN', referrals: 'ok', audit: 'FORBIDDEN' },
      legal: { groups: 'FORBIDDEN', referrals: 'ok', audit: 'FORBIDDEN' },
      dpo: { groups: 'FORBIDDEN', referrals: 'FORBIDDEN', audit: 'ok' },
      admin: { groups: 'FORBIDDEN', referrals: 'FORBIDDEN', audit: 'FORBIDDEN' },
    };
    for (const [who, expected] of Object.entries(expectations)) {
      const client = await env.as(who as any);
      const { me } = await client.ok(DemoMeDocument);
      expect(me.email).toBe(`${who}@signpost.test`);
      for (const [field, query] of [
        ['groups', DemoGroupsCountDocument],
        ['referrals', DemoReferralsCountDocument],
        ['audit', DemoAuditCountDocument],
      ] as const) {
        const result = await client.gql(query);
        if (expected[field] === 'ok') expect(result.errors, `${who} ${field}`).toBeUndefined();
        else expect(result.errors?.[0]?.extensions?.code, `${who} ${field}`).toBe('FORBIDDEN');
      }
    }
  });
});
