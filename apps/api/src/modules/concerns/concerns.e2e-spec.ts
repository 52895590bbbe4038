import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnvironment, databaseKinds, type TestEnvironment } from '../../testing/test-environment.js';
import type { Document, TestClient } from '../../testing/test-client.js';
import {
  ConcernsCloseGroupDocument, ConcernsCreateGroupDocument, ConcernsGroupConcernsDocument, ConcernsGroupDocument, ConcernsGroupPromptDocument,
  ConcernsGroupRiskAndConcernsDocument, ConcernsGroupRiskAndPromptDocument, ConcernsGroupRiskDocument, ConcernsOfGroupsDocument, ConcernsRecordDocument,
  type ConcernAction, type ConcernCategory, type RecordConcernInput, type RiskLevel, type Severity,
} from '../../testing/generated/graphql.js';

const MISSING = '00000000-0000-4000-8000-000000000000';
const OUTSIDERS = ['discipline', 'hr', 'legal', 'dpo', 'admin'] as const;
const DAY = 86_400_000;

const ago = (minutes: number): string => new Date(Date.now() - minutes * 60_000).toISOString();
const daysAhead = (iso: string): number => Math.round((new Date(iso).getTime() - Date.now()) / DAY);

describe.each(await databaseKinds())('concerns on %s', (kind) => {
  let env: TestEnvironment;
  let officer: TestClient;
  beforeAll(async () => {
    env = await createTestEnvironment(kind);
    officer = await env.as('officer');
  });
  afterAll(() => env?.close());

  async function newGroup(name: string, riskLevel: RiskLevel = 'MEDIUM') {
    const { createGroup } = await officer.ok(ConcernsCreateGroupDocument, { input: { name, platform: 'NGL', kind: 'CONFESSIONS', riskLevel } });
    return createGroup;
  }

  const concern = (groupId: string, over: Partial<RecordConcernInput> = {}): RecordConcernInput => ({
    groupId, category: 'PREJUDICE', severity: 'LOW', seenAt: ago(30), ...over,
  });
  const record = async (input: RecordConcernInput) => (await officer.ok(ConcernsRecordDocument, { input })).recordConcern;
  const readGroup = async (id: string) => (await officer.ok(ConcernsGroupDocument, { id })).group;

  it('records a minor concern without touching the group', async () => {
    const group = await newGroup('Minor concern group');
    const result = await record(concern(group.id, { link: 'https://ngl.link/post/1', description: '  A mean post  ' }));
    expect(result).toMatchObject({
      concern: { category: 'PREJUDICE', severity: 'LOW', link: 'https://ngl.link/post/1', description: 'A mean post', actionTaken: 'NONE' },
      group: { id: group.id, riskLevel: 'MEDIUM', version: group.version, nextReviewDue: group.nextReviewDue },
      escalationPrompted: false,
    });
    const after = await readGroup(group.id);
    expect(after).toMatchObject({ riskLevel: 'MEDIUM', version: group.version, escalationPrompted: false });
    expect(after.concerns.map((c: any) => c.id)).toEqual([result.concern.id]);

    const events = await env.server.dataSource.query(`SELECT action, details FROM audit_events WHERE entity_id = $1`, [result.concern.id]);
    expect(events).toEqual([{ action: 'concern.record', details: { category: 'PREJUDICE', severity: 'LOW', actionTaken: 'NONE', escalationPrompted: false } }]);
  });

  it('raises the risk level to a HIGH concern and brings the review forward', async () => {
    const group = await newGroup('High concern group', 'LOW');
    expect(daysAhead(group.nextReviewDue!)).toBe(90);
    const result = await record(concern(group.id, { category: 'DIGNITY_POLICY', severity: 'HIGH', actionTaken: 'SIGNPOSTED' }));
    expect(result.escalationPrompted).toBe(false);
    expect(result.group).toMatchObject({ riskLevel: 'HIGH', version: group.version + 1 });
    expect(daysAhead(result.group.nextReviewDue!)).toBe(14);
    expect(await readGroup(group.id)).toMatchObject({ riskLevel: 'HIGH', version: group.version + 1, nextReviewDue: result.group.nextReviewDue });

    const [raised] = await env.server.dataSource.query(
      `SELECT details FROM audit_events WHERE entity_id = $1 AND action = 'group.update'`, [group.id]);
    expect(raised.details).toEqual({
      fields: ['riskLevel', 'nextReviewDue'], riskLevelFrom: 'LOW', riskLevelTo: 'HIGH', cause: 'concern', concernId: result.concern.id,
    });

    // A concern never lowers the risk, and a MEDIUM one does not raise it.
    const lower = await record(concern(group.id, { severity: 'MEDIUM' }));
    expect(lower.group).toMatchObject({ riskLevel: 'HIGH', version: group.version + 1 });
    const same = await record(concern(group.id, { severity: 'HIGH' }));
    expect(same.group).toMatchObject({ riskLevel: 'HIGH', version: group.version + 1 });
  });

  it('does not raise the risk for a MEDIUM concern on a LOW group', async () => {
    const group = await newGroup('Medium on low', 'LOW');
    const result = await record(concern(group.id, { severity: 'MEDIUM' }));
    expect(result.group).toMatchObject({ riskLevel: 'LOW', version: group.version });
  });

  it('prompts an escalation for a critical wellbeing concern until an escalation exists', async () => {
    const group = await newGroup('Critical wellbeing', 'HIGH');
    const older = await record(concern(group.id, { category: 'OTHER', severity: 'LOW', seenAt: ago(600) }));
    const critical = await record(concern(group.id, { category: 'WELLBEING_SAFETY', severity: 'CRITICAL', actionTaken: 'PASSED_TO_WELLBEING', seenAt: ago(10) }));
    expect(critical.escalationPrompted).toBe(true);
    expect(critical.group).toMatchObject({ riskLevel: 'CRITICAL', version: group.version + 1 });
    expect(daysAhead(critical.group.nextReviewDue!)).toBe(7);

    const before = await readGroup(group.id);
    expect(before.escalationPrompted).toBe(true);
    expect(before.concerns.map((c: any) => c.id)).toEqual([critical.concern.id, older.concern.id]);

    // An escalation drafted by the team answers the prompt.
    await env.server.dataSource.query(`INSERT INTO escalations (group_id, kind, reason) VALUES ($1, 'PLATFORM_REPORT', 'Self-harm post')`, [group.id]);
    expect((await readGroup(group.id)).escalationPrompted).toBe(false);
  });

  it('raises the risk for a critical concern that does not prompt an escalation', async () => {
    const group = await newGroup('Critical prejudice');
    const result = await record(concern(group.id, { category: 'PREJUDICE', severity: 'CRITICAL' }));
    expect(result.escalationPrompted).toBe(false);
    expect(result.group.riskLevel).toBe('CRITICAL');
    expect((await readGroup(group.id)).escalationPrompted).toBe(false);
  });

  it('lists the concerns of many groups at once, each under its own group', async () => {
    const a = await newGroup('Concern batch A');
    const b = await newGroup('Concern batch B');
    await newGroup('Concern batch C');
    await record(concern(a.id, { description: 'A older', seenAt: ago(100) }));
    await record(concern(a.id, { description: 'A newer', seenAt: ago(50) }));
    await record(concern(b.id, { description: 'B hate', category: 'HATE_SPEECH', severity: 'CRITICAL' }));
    const { groups } = await officer.ok(ConcernsOfGroupsDocument, { search: 'Concern batch' });
    const byName = Object.fromEntries(groups.edges.map((e: any) => [e.node.name, e.node]));
    expect(byName['Concern batch A']).toEqual({ name: 'Concern batch A', escalationPrompted: false, concerns: [{ description: 'A newer' }, { description: 'A older' }] });
    expect(byName['Concern batch B']).toEqual({ name: 'Concern batch B', escalationPrompted: true, concerns: [{ description: 'B hate' }] });
    expect(byName['Concern batch C']).toEqual({ name: 'Concern batch C', escalationPrompted: false, concerns: [] });
  });

  it('answers bad input with BAD_USER_INPUT naming the field, and writes nothing', async () => {
    const group = await newGroup('Bad concern input', 'LOW');
    const cases: [RecordConcernInput, string][] = [
      [concern(group.id, { severity: 'CRITICAL', link: 'javascript:alert(1)' }), 'input.link'],
      [concern(group.id, { severity: 'CRITICAL', link: 'https://user:pw@example.org/' }), 'input.link'],
      [concern(group.id, { severity: 'CRITICAL', seenAt: new Date(Date.now() + 10 * 60_000).toISOString() }), 'input.seenAt'],
      [concern(group.id, { severity: 'CRITICAL', description: 'x'.repeat(10_001) }), 'input.description'],
      [concern(group.id, { severity: 'CRITICAL', description: 'hidden \u202E text' }), 'input.description'],
      [concern(group.id, { severity: 'SEVERE' as Severity }), 'input.severity'],
      [concern(group.id, { severity: 'CRITICAL', category: 'SPAM' as ConcernCategory }), 'input.category'],
      [concern(group.id, { severity: 'CRITICAL', actionTaken: 'IGNORED' as ConcernAction }), 'input.actionTaken'],
      [concern('12345', { severity: 'CRITICAL' }), 'input.groupId'],
    ];
    for (const [input, field] of cases) {
      const err = await officer.fails('BAD_USER_INPUT', ConcernsRecordDocument, { input });
      expect(err.extensions?.field, JSON.stringify(input)).toBe(field);
    }
    expect(await readGroup(group.id)).toMatchObject({ riskLevel: 'LOW', version: group.version, nextReviewDue: group.nextReviewDue, concerns: [] });
  });

  it('answers NOT_FOUND for a group that does not exist', async () => {
    const err = await officer.fails('NOT_FOUND', ConcernsRecordDocument, { input: concern(MISSING, { description: 'Nowhere' }) });
    expect(err.message).toBe('Group not found.');
    const [{ count }] = await env.server.dataSource.query(`SELECT count(*)::int AS count FROM concerns WHERE description = 'Nowhere'`);
    expect(count).toBe(0);
  });

  it('refuses a concern on a closed group, naming the unmet condition, and writes nothing', async () => {
    const group = await newGroup('Closed concern group', 'LOW');
    const closed = (await officer.ok(ConcernsCloseGroupDocument, { input: { id: group.id, version: group.version, reason: 'Account deleted' } })).closeGroup;
    const err = await officer.fails('TRANSITION_NOT_ALLOWED', ConcernsRecordDocument, { input: concern(group.id, { category: 'WELLBEING_SAFETY', severity: 'CRITICAL' }) });
    expect(err.extensions.unmet).toEqual(['the group is closed; reopen it first']);
    expect(err.message).toBe('This group is closed, so you cannot record a concern on it: reopen it first.');
    expect(await readGroup(group.id)).toEqual({
      riskLevel: 'LOW', nextReviewDue: null, version: closed.version, status: 'CLOSED', escalationPrompted: false, concerns: [],
    });
  });

  it('lets only the social media team record or read concerns', async () => {
    const group = await newGroup('Private concerns');
    await record(concern(group.id, { category: 'WELLBEING_SAFETY', severity: 'CRITICAL', description: 'Private detail' }));
    const before = await readGroup(group.id);
    for (const who of OUTSIDERS) {
      const client = await env.as(who);
      await client.fails('FORBIDDEN', ConcernsRecordDocument, { input: concern(group.id, { severity: 'HIGH' }) });
      await client.fails('FORBIDDEN', ConcernsGroupConcernsDocument, { id: group.id });
      await client.fails('FORBIDDEN', ConcernsGroupPromptDocument, { id: group.id });
    }
    await env.anonymous().fails('UNAUTHENTICATED', ConcernsRecordDocument, { input: concern(group.id) });
    expect(await readGroup(group.id)).toEqual(before);

    const lead = await env.as('lead');
    expect((await lead.ok(ConcernsGroupDocument, { id: group.id })).group.escalationPrompted).toBe(true);

    // A service that may read the register sees the group, but neither its concerns nor the prompt.
    const register = await env.asService(['groups:read']);
    const run = <R>(doc: Document<R, { id: string }>) => register.gql(doc, { id: group.id });
    const ok = await run(ConcernsGroupRiskDocument);
    expect(ok.errors).toBeUndefined();
    expect(ok.data).toEqual({ group: { riskLevel: 'CRITICAL' } });
    for (const [field, doc] of [
      ['concerns { description }', ConcernsGroupRiskAndConcernsDocument],
      ['escalationPrompted', ConcernsGroupRiskAndPromptDocument],
    ] as const) {
      const result = await run<unknown>(doc);
      expect(result.errors?.[0]?.extensions?.code, field).toBe('FORBIDDEN');
      expect(result.errors?.[0]?.path).toEqual(['group', field.split(' ')[0]]);
      expect(JSON.stringify(result.data)).not.toContain('Private detail');
    }
  });
});
