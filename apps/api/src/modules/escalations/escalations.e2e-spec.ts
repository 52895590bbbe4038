import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnvironment, databaseKinds, type DemoAccount, type TestEnvironment } from '../../testing/test-environment.js';
import type { TestClient } from '../../testing/test-client.js';

const CREATE_GROUP = `mutation($input: CreateGroupInput!) { createGroup(input: $input) { id version status } }`;
const FIELDS = `id kind status reason version approvedAt reportedAt externalReference outcome approvedBy { email } createdBy { email } group { id status }`;
const RECORD = `mutation($input: RecordEscalationInput!) { recordEscalation(input: $input) { ${FIELDS} } }`;
const APPROVE = `mutation($input: ApproveEscalationInput!) { approveEscalation(input: $input) { ${FIELDS} } }`;
const REPORT = `mutation($input: ReportEscalationInput!) { reportEscalation(input: $input) { ${FIELDS} } }`;
const CLOSE = `mutation($input: CloseEscalationInput!) { closeEscalation(input: $input) { ${FIELDS} } }`;
const GET = `query($id: ID!) { escalation(id: $id) { ${FIELDS} } }`;
const GROUP_ESCALATIONS = `query($id: ID!) { group(id: $id) { status escalations { id kind status } } }`;
const RANDOM_ID = '00000000-0000-4000-8000-000000000000';

describe.each(await databaseKinds())('escalations on %s', (kind) => {
  let env: TestEnvironment;
  let officer: TestClient;
  let lead: TestClient;

  beforeAll(async () => {
    env = await createTestEnvironment(kind);
    [officer, lead] = await Promise.all([env.as('officer'), env.as('lead')]);
  });
  afterAll(() => env?.close());

  const sql = (text: string, params: unknown[] = []) => env.server.dataSource.query(text, params);

  async function group(name: string, status = 'CONTACTING'): Promise<string> {
    const { createGroup } = await officer.ok(CREATE_GROUP, { input: { name, platform: 'TIKTOK', kind: 'ANONYMOUS_QA' } });
    await sql(`UPDATE groups SET status = $2 WHERE id = $1`, [createGroup.id, status]);
    return createGroup.id;
  }

  async function dbState(groupId: string) {
    const [row] = await sql(
      `SELECT (SELECT row_to_json(g) FROM groups g WHERE g.id = $1) AS "group",
              (SELECT json_agg(e ORDER BY e.created_at, e.id) FROM escalations e WHERE e.group_id = $1) AS escalations,
              (SELECT count(*)::int FROM audit_events WHERE group_id = $1) AS events`,
      [groupId],
    );
    return row;
  }

  it('records, approves, reports and closes an escalation; the group becomes ESCALATED', async () => {
    const groupId = await group('Harmful Q&A');
    const { recordEscalation: e } = await officer.ok(RECORD, { input: { groupId, kind: 'PLATFORM_REPORT', reason: 'Posts encourage self-harm.' } });
    expect(e).toMatchObject({ kind: 'PLATFORM_REPORT', status: 'DRAFT', version: 1, approvedBy: null, createdBy: { email: 'officer@signpost.test' }, group: { id: groupId, status: 'CONTACTING' } });

    // The officer can neither approve nor report an unapproved escalation; nothing changes.
    const before = await dbState(groupId);
    await officer.fails('FORBIDDEN', APPROVE, { input: { id: e.id, version: 1 } });
    const unapproved = await officer.fails('TRANSITION_NOT_ALLOWED', REPORT, { input: { id: e.id, version: 1, externalReference: 'TT-1' } });
    expect(unapproved.extensions).toMatchObject({ from: 'DRAFT', to: 'REPORTED', unmet: 'a lead must approve the escalation before it is reported' });
    const early = await officer.fails('TRANSITION_NOT_ALLOWED', CLOSE, { input: { id: e.id, version: 1, outcome: 'Removed' } });
    expect(early.extensions?.unmet).toContain('cannot go from DRAFT to CLOSED');
    expect(await dbState(groupId)).toEqual(before);

    const { approveEscalation } = await lead.ok(APPROVE, { input: { id: e.id, version: 1 } });
    expect(approveEscalation).toMatchObject({ status: 'APPROVED', version: 2, approvedBy: { email: 'lead@signpost.test' } });
    expect(approveEscalation.approvedAt).not.toBeNull();
    const again = await lead.fails('TRANSITION_NOT_ALLOWED', APPROVE, { input: { id: e.id, version: 2 } });
    expect(again.extensions?.unmet).toContain('from APPROVED it can go to REPORTED');

    const stale = await dbState(groupId);
    await officer.fails('CONFLICT', REPORT, { input: { id: e.id, version: 1 } });
    const future = await officer.fails('BAD_USER_INPUT', REPORT, { input: { id: e.id, version: 2, reportedAt: new Date(Date.now() + 86_400_000).toISOString() } });
    expect(future.extensions?.field).toBe('input.reportedAt');
    expect(await dbState(groupId)).toEqual(stale);

    const reportedAt = new Date(Date.now() - 3_600_000).toISOString();
    const { reportEscalation } = await officer.ok(REPORT, { input: { id: e.id, version: 2, externalReference: 'TT-12345', reportedAt } });
    expect(reportEscalation).toMatchObject({ status: 'REPORTED', version: 3, externalReference: 'TT-12345', reportedAt, group: { status: 'ESCALATED' } });

    const blank = await officer.fails('BAD_USER_INPUT', CLOSE, { input: { id: e.id, version: 3, outcome: '  ' } });
    expect(blank.extensions?.field).toBe('input.outcome');
    const { closeEscalation } = await officer.ok(CLOSE, { input: { id: e.id, version: 3, outcome: 'The platform removed the page.' } });
    expect(closeEscalation).toMatchObject({ status: 'CLOSED', outcome: 'The platform removed the page.', version: 4 });

    const events: { action: string; details: Record<string, unknown> }[] = await sql(`SELECT action, details FROM audit_events WHERE entity_id = $1 ORDER BY id`, [e.id]);
    expect(events.map((ev) => ev.action)).toEqual(['escalation.record', 'escalation.approve', 'escalation.report', 'escalation.close']);
    const details = JSON.stringify(events.map((ev) => ev.details));
    for (const text of ['self-harm', 'TT-12345', 'removed the page']) expect(details).not.toContain(text);
    const groupEvents = await sql(`SELECT details FROM audit_events WHERE entity_id = $1 AND action = 'group.status'`, [groupId]);
    expect(groupEvents).toEqual([{ details: expect.objectContaining({ from: 'CONTACTING', to: 'ESCALATED', automatic: true }) }]);
  });

  it('lets a lead approve and report a draft in one step', async () => {
    const groupId = await group('Threats Page', 'REFUSED');
    const { recordEscalation: e } = await lead.ok(RECORD, { input: { groupId, kind: 'POLICE_REPORT', reason: 'Threats against a named student.' } });
    const { reportEscalation } = await lead.ok(REPORT, { input: { id: e.id, version: 1, externalReference: 'CRIME/2024/001' } });
    expect(reportEscalation).toMatchObject({ status: 'REPORTED', approvedBy: { email: 'lead@signpost.test' }, externalReference: 'CRIME/2024/001', group: { status: 'ESCALATED' } });
    expect(reportEscalation.approvedAt).not.toBeNull();
    expect(reportEscalation.reportedAt).not.toBeNull();
  });

  it('lists a group\'s escalations newest first and refuses a closed group', async () => {
    const groupId = await group('Several Reports');
    const ids: string[] = [];
    for (const k of ['PLATFORM_REPORT', 'POLICE_REPORT', 'PLATFORM_REPORT']) {
      ids.push((await officer.ok(RECORD, { input: { groupId, kind: k, reason: 'Repeated hate speech.' } })).recordEscalation.id);
    }
    const { group: g } = await officer.ok(GROUP_ESCALATIONS, { id: groupId });
    expect(g.escalations.map((x: { id: string }) => x.id)).toEqual([...ids].reverse());

    const closed = await group('Closed Reports', 'CLOSED');
    const before = await dbState(closed);
    const refused = await officer.fails('TRANSITION_NOT_ALLOWED', RECORD, { input: { groupId: closed, kind: 'PLATFORM_REPORT', reason: 'Too late' } });
    expect(refused.extensions?.unmet).toContain('CLOSED');
    expect(await dbState(closed)).toEqual(before);

    await officer.fails('NOT_FOUND', RECORD, { input: { groupId: RANDOM_ID, kind: 'PLATFORM_REPORT', reason: 'Nobody' } });
    await officer.fails('NOT_FOUND', GET, { id: RANDOM_ID });
    await lead.fails('NOT_FOUND', APPROVE, { input: { id: RANDOM_ID, version: 1 } });
    const badId = await officer.fails('BAD_USER_INPUT', REPORT, { input: { id: 'nope', version: 1 } });
    expect(badId.extensions?.field).toBe('input.id');
    const blank = await officer.fails('BAD_USER_INPUT', RECORD, { input: { groupId, kind: 'PLATFORM_REPORT', reason: '' } });
    expect(blank.extensions?.field).toBe('input.reason');
    await officer.fails('BAD_USER_INPUT', RECORD, { input: { groupId, kind: 'CARRIER_PIGEON', reason: 'x' } });
  });

  it('keeps escalations to the social media team', async () => {
    const groupId = await group('Role Check');
    const { recordEscalation: e } = await officer.ok(RECORD, { input: { groupId, kind: 'PLATFORM_REPORT', reason: 'Role check' } });
    const before = await dbState(groupId);
    for (const who of ['discipline', 'hr', 'legal', 'dpo', 'admin'] as DemoAccount[]) {
      const c = await env.as(who);
      await c.fails('FORBIDDEN', GET, { id: e.id });
      await c.fails('FORBIDDEN', RECORD, { input: { groupId, kind: 'PLATFORM_REPORT', reason: 'Not mine' } });
      await c.fails('FORBIDDEN', APPROVE, { input: { id: e.id, version: 1 } });
      await c.fails('FORBIDDEN', REPORT, { input: { id: e.id, version: 1 } });
      await c.fails('FORBIDDEN', CLOSE, { input: { id: e.id, version: 1, outcome: 'x' } });
    }
    const anonymous = env.anonymous();
    await anonymous.fails('UNAUTHENTICATED', GET, { id: e.id });
    await anonymous.fails('UNAUTHENTICATED', RECORD, { input: { groupId, kind: 'PLATFORM_REPORT', reason: 'Anonymous' } });
    await anonymous.fails('UNAUTHENTICATED', APPROVE, { input: { id: e.id, version: 1 } });
    expect(await dbState(groupId)).toEqual(before);
    // Both halves of the social media team read them.
    for (const c of [officer, lead]) expect((await c.ok(GET, { id: e.id })).escalation).toMatchObject({ id: e.id, status: 'DRAFT' });
  });
});
