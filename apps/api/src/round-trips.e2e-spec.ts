import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnvironment, databaseKinds, type TestEnvironment } from './testing/test-environment.js';
import type { TestClient } from './testing/test-client.js';
import {
  RoundTripsInboxDocument, RoundTripsInboxWithoutCountDocument, RoundTripsLogContactWithTimelineDocument, RoundTripsRegisterDocument,
} from './testing/generated/graphql.js';

/**
 * What a request costs the database, in round trips (the benchmark's "SQL
 * statements per request"), read from the server's own counter on /metrics.
 * The inbox: BEGIN + who is calling + the settings in one, the page with its
 * count in one, the page's groups in one, the audit event of the read with
 * COMMIT in one — whatever the page size.
 */
describe.each(await databaseKinds())('round trips per request on %s', (kind) => {
  let env: TestEnvironment;
  let hr: TestClient;

  beforeAll(async () => {
    env = await createTestEnvironment(kind, { demoData: true });
    hr = await env.as('hr');
  });
  afterAll(() => env?.close());

  const requestRoundTrips = async () => {
    const text = await (await fetch(`${env.url}/metrics`)).text();
    return Number(/^signpost_db_queries_total\{source="request"\} (\d+)/m.exec(text)?.[1] ?? 0);
  };
  async function roundTripsOf(run: () => Promise<unknown>): Promise<number> {
    const before = await requestRoundTrips();
    await run();
    return (await requestRoundTrips()) - before;
  }

  it('answers a team inbox in 4 round trips for 1, 50 or 100 referrals, count and groups included', async () => {
    // The first request of a session learns its settings (one round trip more); from then on they go with BEGIN.
    await hr.ok(RoundTripsInboxDocument, { first: 1 });
    for (const first of [1, 50, 100]) {
      let edges = 0;
      const trips = await roundTripsOf(async () => {
        const { referrals } = await hr.ok(RoundTripsInboxDocument, { first });
        expect(referrals.totalCount).toBeGreaterThan(0);
        expect(referrals.edges.every((e) => e.node.group.name.length > 0)).toBe(true);
        edges = referrals.edges.length;
      });
      expect({ first, trips }).toEqual({ first, trips: 4 });
      expect(edges).toBeGreaterThan(0);
    }
    // Without totalCount there is nothing to count, and no extra statement either way.
    expect(await roundTripsOf(() => hr.ok(RoundTripsInboxWithoutCountDocument, { first: 50 }))).toBe(4);
  });

  it('answers the register in 3 round trips, officers and count included (a list of groups writes no audit event)', async () => {
    const officer = await env.as('officer');
    // The demo's groups have no officer yet: give most of them one, so the page joins people.
    await env.server.dataSource.query(
      `UPDATE groups SET assigned_officer_id = (SELECT id FROM users WHERE email = 'officer@signpost.test') WHERE name ILIKE '%o%'`,
    );
    await officer.ok(RoundTripsRegisterDocument, { first: 1 });
    for (const first of [1, 50]) {
      const trips = await roundTripsOf(async () => {
        const { groups } = await officer.ok(RoundTripsRegisterDocument, { first, filter: { search: 'a' } });
        expect(groups.totalCount).toBeGreaterThan(0);
        if (first > 1) expect(groups.edges.some((e) => e.node.assignedOfficer?.displayName)).toBe(true);
      });
      expect({ first, trips }).toEqual({ first, trips: 3 });
    }
  });

  it('shows no referral whose read could not be recorded: the audit goes with COMMIT, and a failed one withholds the answer', async () => {
    await env.server.dataSource.query(`ALTER TABLE audit_events ADD CONSTRAINT test_refuses_reads CHECK (action <> 'referral.read') NOT VALID`);
    try {
      const { status, data, errors } = await hr.gql(RoundTripsInboxDocument, { first: 5 });
      expect(status).toBe(503);
      expect(data).toBeNull();
      expect(errors?.[0]?.extensions?.code).toBe('SERVICE_UNAVAILABLE');
    } finally {
      await env.server.dataSource.query(`ALTER TABLE audit_events DROP CONSTRAINT test_refuses_reads`);
    }
    // And the next request is served as usual, on a connection left clean.
    expect((await hr.ok(RoundTripsInboxDocument, { first: 5 })).referrals.edges.length).toBeGreaterThan(0);
  });

  it('sends a mutation\'s audit events with its COMMIT, and still shows them to the mutation\'s own answer', async () => {
    const officer = await env.as('officer');
    const [group] = await env.server.dataSource.query(`SELECT id FROM groups WHERE status <> 'CLOSED' ORDER BY name LIMIT 1`);
    const { logContact } = await officer.ok(RoundTripsLogContactWithTimelineDocument, {
      input: { groupId: group.id, occurredAt: new Date().toISOString(), channel: 'EMAIL', direction: 'OUTBOUND', outcome: 'NO_RESPONSE', summary: 'Round trips' },
    });
    expect(logContact.group!.timeline.map((e) => e.action)).toContain('contact.log');
    const [{ n }] = await env.server.dataSource.query(`SELECT count(*)::int AS n FROM audit_events WHERE entity_id = $1 AND action = 'contact.log'`, [logContact.id]);
    expect(n).toBe(1);
  });

  it('counts correctly past the last page: an empty page still has its total', async () => {
    const { referrals: all } = await hr.ok(RoundTripsInboxDocument, { first: 100 });
    const { referrals: after } = await hr.ok(RoundTripsInboxDocument, { first: 10, after: all.pageInfo.endCursor });
    expect(after.edges).toEqual([]);
    expect(after.totalCount).toBe(all.totalCount);
  });
});
