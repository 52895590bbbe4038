import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnvironment, databaseKinds, type TestEnvironment } from '../../testing/test-environment.js';
import {
  AuditCloseGroupDocument, AuditCountDocument, AuditCountOfEntityDocument, AuditCreateGroupDocument, AuditFirstPageDocument,
  AuditNextPageDocument, AuditTimelineDocument, AuditTrailOfGroupDocument, AuditUpdateGroupDocument,
} from '../../testing/generated/graphql.js';

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
    expect(group.timeline[0].actor?.email).toBe('officer@signpost.test');
  });
});
