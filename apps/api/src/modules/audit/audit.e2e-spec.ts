import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnvironment, databaseKinds, type TestEnvironment } from '../../testing/test-environment.js';
import {
  AuditCloseGroupDocument, AuditCountDocument, AuditCountOfEntityDocument, AuditCreateGroupDocument, AuditFirstPageDocument,
  AuditLogContactDocument, AuditNextPageDocument, AuditTimelineDocument, AuditTrailOfGroupDocument, AuditTrailSummariesDocument,
  AuditUpdateGroupDocument,
} from '../../testing/generated/graphql.js';
import { auditTrailProblems } from '../../testing/audit-registry.js';

const CREATE = AuditCreateGroupDocument;

describe.each(await databaseKinds())('audit trail and timeline on %s', (kind) => {
  let env: TestEnvironment;
  beforeAll(async () => {
    env = await createTestEnvironment(kind);
  });
  afterAll(() => env?.close());

  it('writes one audit event per mutation, readable by the data protection officer', async () => {
    const officer = await env.as('officer');
    const { createGroup } = await officer.ok(CREATE, { input: { name: 'Audited page', platform: 'X', kind: 'OTHER', riskLevel: 'LOW' } });
    await officer.ok(AuditUpdateGroupDocument, {
      input: { id: createGroup.id, version: 1, notes: 'Private note about the page' },
    });
    const dpo = await env.as('dpo');
    const { auditEvents } = await dpo.ok(AuditTrailOfGroupDocument, { groupId: createGroup.id });
    expect(auditEvents.totalCount).toBe(2);
    expect(auditEvents.edges.map((e) => e.node.action)).toEqual(['group.update', 'group.create']);
    expect(auditEvents.edges[0].node).toMatchObject({ entityType: 'Group', entityId: createGroup.id, actorLabel: 'officer@signpost.test', actor: { email: 'officer@signpost.test' } });
    // The note's text is personal data and stays out of the trail; only the field name is kept.
    expect(JSON.stringify(auditEvents)).not.toContain('Private note');
    expect(auditEvents.edges[0].node.details).toEqual({ fields: ['notes'] });
  });

  it('rolls the audit event back with a refused mutation', async () => {
    const officer = await env.as('officer');
    const { createGroup } = await officer.ok(CREATE, { input: { name: 'Refused edit', platform: 'X', kind: 'OTHER', riskLevel: 'LOW' } });
    await officer.fails('CONFLICT', AuditUpdateGroupDocument, {
      input: { id: createGroup.id, version: 7, name: 'Never saved' },
    });
    const dpo = await env.as('dpo');
    const { auditEvents } = await dpo.ok(AuditCountOfEntityDocument, { id: createGroup.id });
    expect(auditEvents.totalCount).toBe(1);
  });

  it('pages the trail by keyset and refuses everyone but the data protection officer', async () => {
    const dpo = await env.as('dpo');
    const first = await dpo.ok(AuditFirstPageDocument);
    expect(first.auditEvents.edges).toHaveLength(2);
    const second = await dpo.ok(AuditNextPageDocument, {
      after: first.auditEvents.pageInfo.endCursor,
    });
    const ids = [...first.auditEvents.edges, ...second.auditEvents.edges].map((e) => Number(e.node.id));
    expect(ids).toEqual([...ids].sort((a, b) => b - a));
    expect(new Set(ids).size).toBe(ids.length);
    for (const who of ['officer', 'lead', 'discipline', 'hr', 'legal', 'admin'] as const) {
      await (await env.as(who)).fails('FORBIDDEN', AuditCountDocument);
    }
    await env.anonymous().fails('UNAUTHENTICATED', AuditCountDocument);
  });

  it("tells a group's story on its timeline, newest first, for the social media team only", async () => {
    const officer = await env.as('officer');
    const { createGroup } = await officer.ok(CREATE, { input: { name: 'Timeline page', platform: 'TIKTOK', kind: 'CONFESSIONS', riskLevel: 'HIGH' } });
    await officer.ok(AuditCloseGroupDocument, {
      input: { id: createGroup.id, version: 1, reason: 'Page deleted' },
    });
    const { group } = await officer.ok(AuditTimelineDocument, { id: createGroup.id });
    expect(group.timeline.map((e) => e.action)).toEqual(['group.status', 'group.create']);
    expect(group.timeline[0].summary).toBe('Status Discovered → Closed');
    expect(group.timeline[1].summary).toBe('Group recorded: TikTok, high risk');
    expect(group.timeline[0].actor?.email).toBe('officer@signpost.test');
  });

  it('tells each event in words from the policy\'s labels, the same sentence on the timeline and in the trail', async () => {
    const officer = await env.as('officer');
    const { createGroup } = await officer.ok(CREATE, { input: { name: 'Worded page', platform: 'INSTAGRAM', kind: 'MEMES', riskLevel: 'MEDIUM' } });
    await officer.ok(AuditLogContactDocument, {
      input: {
        groupId: createGroup.id, occurredAt: new Date(Date.now() - 60_000).toISOString(), channel: 'PLATFORM_MESSAGE', direction: 'OUTBOUND',
        outcome: 'NO_RESPONSE', steps: ['INTRODUCED', 'WORDING_REQUESTED'], summary: 'Sent the first message',
      },
    });
    const { group } = await officer.ok(AuditTimelineDocument, { id: createGroup.id });
    expect(group.timeline.map((e) => e.summary)).toEqual([
      'Status Discovered → Contacting (automatic)',
      'Contact logged: message on the platform, we contacted them, no response, 2 policy steps covered',
      'Group recorded: Instagram, medium risk',
    ]);
    const { auditEvents } = await (await env.as('dpo')).ok(AuditTrailSummariesDocument, { groupId: createGroup.id });
    expect(auditEvents.edges.map((e) => e.node.summary)).toEqual(group.timeline.map((e) => e.summary));
    // What was said is personal data: it is in neither.
    expect(JSON.stringify([group, auditEvents])).not.toContain('first message');
  });

  it("writes only actions of the policy's registry, and the check would catch one it does not list", async () => {
    expect(await auditTrailProblems(env.server.dataSource)).toEqual([]);
    const runner = env.server.dataSource.createQueryRunner();
    await runner.connect();
    await runner.startTransaction();
    try {
      const [{ id: groupId }] = await runner.query(`SELECT id FROM groups LIMIT 1`);
      await runner.query(
        `INSERT INTO audit_events (actor_label, action, entity_type, group_id) VALUES ('test', 'group.vanish', 'Group', $1), ('test', 'user.disable', 'User', $1)`,
        [groupId],
      );
      expect(await auditTrailProblems(runner.manager)).toEqual([
        expect.stringMatching(/^group\.vanish: 1 event\(s\) with an action the policy's registry of audit actions does not list$/),
        expect.stringMatching(/^user\.disable: 1 event\(s\) name a group/),
      ]);
    } finally {
      await runner.rollbackTransaction();
      await runner.release();
    }
  });
});
