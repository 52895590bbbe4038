import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { escalationActionPermission, type ContractError, type ErrorCode } from '@signpost/policy';
import { createTestEnvironment, databaseKinds, type DemoAccount, type TestEnvironment } from '../../testing/test-environment.js';
import { expectContractError, type Document, type TestClient } from '../../testing/test-client.js';
import { groupIn } from '../../testing/builders.js';
import {
  EscalationsActionsDocument, EscalationsApproveDocument, EscalationsCloseDocument, EscalationsGetDocument, EscalationsListDocument,
  EscalationsOfGroupDocument, EscalationsRecordDocument, EscalationsReportDocument,
  type EscalationAction, type EscalationKind, type EscalationStatus, type EscalationsListQuery,
} from '../../testing/generated/graphql.js';

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

  /** A group brought to `status` through the real mutations. */
  async function group(name: string, status: 'CONTACTING' | 'REFUSED' | 'CLOSED' = 'CONTACTING'): Promise<string> {
    return (await groupIn(env, status, { name })).id;
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

  /**
   * A mutation that must fail with `code`: the error is the contract's, and the
   * answer carries no data and says the transaction was rolled back.
   */

  it('records, approves, reports and closes an escalation; the group becomes ESCALATED', async () => {
    const groupId = await group('Harmful Q&A');
    const { recordEscalation: e } = await officer.ok(EscalationsRecordDocument, { input: { groupId, kind: 'PLATFORM_REPORT', reason: 'Posts encourage self-harm.' } });
    expect(e).toMatchObject({ kind: 'PLATFORM_REPORT', status: 'DRAFT', version: 1, approvedBy: null, createdBy: { email: 'officer@signpost.test' }, group: { id: groupId, status: 'CONTACTING' } });

    // The officer can neither approve nor report an unapproved escalation; nothing changes.
    const before = await dbState(groupId);
    const forbidden = await officer.refuses('FORBIDDEN', EscalationsApproveDocument, { input: { id: e.id, version: 1 } });
    expect(forbidden.extensions.permission).toBe('escalation.approve');
    expect(forbidden.message).toBe('Your role does not allow you to approve escalations.');
    const unapproved = await officer.refuses('TRANSITION_NOT_ALLOWED', EscalationsReportDocument, { input: { id: e.id, version: 1, externalReference: 'TT-1' } });
    expect(unapproved.extensions).toMatchObject({ entity: 'Escalation', from: 'DRAFT', to: 'REPORTED', action: 'report', unmet: ['a lead must approve the escalation before it is reported'] });
    const early = await officer.refuses('TRANSITION_NOT_ALLOWED', EscalationsCloseDocument, { input: { id: e.id, version: 1, outcome: 'Removed' } });
    expect(early.extensions).toMatchObject({ from: 'DRAFT', to: 'CLOSED', action: 'close' });
    expect(early.extensions.unmet).toEqual([expect.stringContaining('cannot go from ‘Draft’ to ‘Closed’')]);
    expect(await dbState(groupId)).toEqual(before);

    const { approveEscalation } = await lead.ok(EscalationsApproveDocument, { input: { id: e.id, version: 1 } });
    expect(approveEscalation).toMatchObject({ status: 'APPROVED', version: 2, approvedBy: { email: 'lead@signpost.test' } });
    expect(approveEscalation.approvedAt).not.toBeNull();
    const again = await lead.refuses('TRANSITION_NOT_ALLOWED', EscalationsApproveDocument, { input: { id: e.id, version: 2 } });
    expect(again.extensions.unmet).toEqual([expect.stringContaining('from ‘Approved’ it can go to ‘Reported’')]);

    const stale = await dbState(groupId);
    const conflict = await officer.refuses('CONFLICT', EscalationsReportDocument, { input: { id: e.id, version: 1 } });
    expect(conflict.extensions).toMatchObject({ reason: 'STALE_VERSION', entity: 'Escalation', currentVersion: 2 });
    const future = await officer.refuses('BAD_USER_INPUT', EscalationsReportDocument, { input: { id: e.id, version: 2, reportedAt: new Date(Date.now() + 86_400_000).toISOString() } });
    expect(future.extensions.field).toBe('input.reportedAt');
    expect(await dbState(groupId)).toEqual(stale);

    const reportedAt = new Date(Date.now() - 3_600_000).toISOString();
    const { reportEscalation } = await officer.ok(EscalationsReportDocument, { input: { id: e.id, version: 2, externalReference: 'TT-12345', reportedAt } });
    expect(reportEscalation).toMatchObject({ status: 'REPORTED', version: 3, externalReference: 'TT-12345', reportedAt, group: { status: 'ESCALATED' } });

    const blank = await officer.refuses('BAD_USER_INPUT', EscalationsCloseDocument, { input: { id: e.id, version: 3, outcome: '  ' } });
    expect(blank.extensions.field).toBe('input.outcome');
    const { closeEscalation } = await officer.ok(EscalationsCloseDocument, { input: { id: e.id, version: 3, outcome: 'The platform removed the page.' } });
    expect(closeEscalation).toMatchObject({ status: 'CLOSED', outcome: 'The platform removed the page.', version: 4 });

    const events: { action: string; details: Record<string, unknown> }[] = await sql(`SELECT action, details FROM audit_events WHERE entity_id = $1 ORDER BY id`, [e.id]);
    expect(events.map((ev) => ev.action)).toEqual(['escalation.record', 'escalation.approve', 'escalation.report', 'escalation.close']);
    const details = JSON.stringify(events.map((ev) => ev.details));
    for (const text of ['self-harm', 'TT-12345', 'removed the page']) expect(details).not.toContain(text);
    const groupEvents = await sql(`SELECT details FROM audit_events WHERE entity_id = $1 AND action = 'group.status' AND details->>'to' = 'ESCALATED'`, [groupId]);
    expect(groupEvents).toEqual([{ details: expect.objectContaining({ from: 'CONTACTING', to: 'ESCALATED', automatic: true }) }]);
  });

  it('lets a lead approve and report a draft in one step, as its availableActions say', async () => {
    const groupId = await group('Threats Page', 'REFUSED');
    const { recordEscalation: e } = await lead.ok(EscalationsRecordDocument, { input: { groupId, kind: 'POLICE_REPORT', reason: 'Threats against a named student.' } });
    const { escalation } = await lead.ok(EscalationsActionsDocument, { id: e.id });
    expect(escalation.availableActions.find((a) => a.action === 'report')).toEqual({
      action: 'report', to: 'REPORTED', mutation: 'reportEscalation', allowed: true, unmet: [], refusedBy: null,
    });
    const { reportEscalation } = await lead.ok(EscalationsReportDocument, { input: { id: e.id, version: 1, externalReference: 'CRIME/2024/001' } });
    expect(reportEscalation).toMatchObject({ status: 'REPORTED', approvedBy: { email: 'lead@signpost.test' }, externalReference: 'CRIME/2024/001', group: { status: 'ESCALATED' } });
    expect(reportEscalation.approvedAt).not.toBeNull();
    expect(reportEscalation.reportedAt).not.toBeNull();
    const [event] = await sql(`SELECT details FROM audit_events WHERE entity_id = $1 AND action = 'escalation.report'`, [e.id]);
    expect(event.details).toMatchObject({ from: 'DRAFT', to: 'REPORTED', transition: 'approveAndReport' });
  });

  it("lists a group's escalations newest first and refuses a closed group", async () => {
    const groupId = await group('Several Reports');
    const ids: string[] = [];
    for (const k of ['PLATFORM_REPORT', 'POLICE_REPORT', 'PLATFORM_REPORT'] as const) {
      ids.push((await officer.ok(EscalationsRecordDocument, { input: { groupId, kind: k, reason: 'Repeated hate speech.' } })).recordEscalation.id);
    }
    const { group: g } = await officer.ok(EscalationsOfGroupDocument, { id: groupId });
    expect(g.escalations.map((x) => x.id)).toEqual([...ids].reverse());

    const closed = await group('Closed Reports', 'CLOSED');
    const before = await dbState(closed);
    const refused = await officer.refuses('TRANSITION_NOT_ALLOWED', EscalationsRecordDocument, { input: { groupId: closed, kind: 'PLATFORM_REPORT', reason: 'Too late' } });
    expect(refused.extensions).toMatchObject({ entity: 'Escalation', to: 'DRAFT', unmet: ['the group is closed; reopen it first'] });
    expect(await dbState(closed)).toEqual(before);

    await officer.refuses('NOT_FOUND', EscalationsRecordDocument, { input: { groupId: RANDOM_ID, kind: 'PLATFORM_REPORT', reason: 'Nobody' } });
    expect((await officer.fails('NOT_FOUND', EscalationsGetDocument, { id: RANDOM_ID })).extensions.entity).toBe('Escalation');
    await lead.refuses('NOT_FOUND', EscalationsApproveDocument, { input: { id: RANDOM_ID, version: 1 } });
    const badId = await officer.refuses('BAD_USER_INPUT', EscalationsReportDocument, { input: { id: 'nope', version: 1 } });
    expect(badId.extensions.field).toBe('input.id');
    const blank = await officer.refuses('BAD_USER_INPUT', EscalationsRecordDocument, { input: { groupId, kind: 'PLATFORM_REPORT', reason: '' } });
    expect(blank.extensions.field).toBe('input.reason');
    // A kind the schema does not know, as a hand-made client might send it.
    await officer.fails('BAD_USER_INPUT', EscalationsRecordDocument, { input: { groupId, kind: 'CARRIER_PIGEON' as EscalationKind, reason: 'x' } });
  });

  it('keeps escalations to the social media team', async () => {
    const groupId = await group('Role Check');
    const { recordEscalation: e } = await officer.ok(EscalationsRecordDocument, { input: { groupId, kind: 'PLATFORM_REPORT', reason: 'Role check' } });
    const before = await dbState(groupId);
    for (const who of ['discipline', 'hr', 'legal', 'dpo', 'admin'] as DemoAccount[]) {
      const c = await env.as(who);
      expect((await c.fails('FORBIDDEN', EscalationsGetDocument, { id: e.id })).extensions.permission).toBe('escalation.read');
      expect((await c.fails('FORBIDDEN', EscalationsListDocument, { first: 10 })).extensions.permission).toBe('escalation.read');
      await c.refuses('FORBIDDEN', EscalationsRecordDocument, { input: { groupId, kind: 'PLATFORM_REPORT', reason: 'Not mine' } });
      await c.refuses('FORBIDDEN', EscalationsApproveDocument, { input: { id: e.id, version: 1 } });
      await c.refuses('FORBIDDEN', EscalationsReportDocument, { input: { id: e.id, version: 1 } });
      await c.refuses('FORBIDDEN', EscalationsCloseDocument, { input: { id: e.id, version: 1, outcome: 'x' } });
    }
    const service = await env.asService(['groups:read']);
    await service.fails('FORBIDDEN', EscalationsListDocument, { first: 10 });
    const anonymous = env.anonymous();
    await anonymous.fails('UNAUTHENTICATED', EscalationsGetDocument, { id: e.id });
    await anonymous.fails('UNAUTHENTICATED', EscalationsListDocument, { first: 10 });
    await anonymous.refuses('UNAUTHENTICATED', EscalationsRecordDocument, { input: { groupId, kind: 'PLATFORM_REPORT', reason: 'Anonymous' } });
    await anonymous.refuses('UNAUTHENTICATED', EscalationsApproveDocument, { input: { id: e.id, version: 1 } });
    expect(await dbState(groupId)).toEqual(before);
    // Both halves of the social media team read them.
    for (const c of [officer, lead]) expect((await c.ok(EscalationsGetDocument, { id: e.id })).escalation).toMatchObject({ id: e.id, status: 'DRAFT' });
  });

  it('lists escalations for the lead: the drafts awaiting approval, newest first, page by page', async () => {
    const groupId = await group('Lead List Page');
    const other = await group('Lead List Other Page');
    const made: { id: string; kind: EscalationKind }[] = [];
    for (const k of ['PLATFORM_REPORT', 'POLICE_REPORT', 'PLATFORM_REPORT', 'PLATFORM_REPORT', 'POLICE_REPORT'] as const) {
      const { recordEscalation } = await officer.ok(EscalationsRecordDocument, { input: { groupId, kind: k, reason: 'Awaiting the lead.' } });
      made.push({ id: recordEscalation.id, kind: k });
    }
    // One approved, and one on another group: neither awaits approval here.
    await lead.ok(EscalationsApproveDocument, { input: { id: made[1]!.id, version: 1 } });
    const { recordEscalation: elsewhere } = await officer.ok(EscalationsRecordDocument, { input: { groupId: other, kind: 'PLATFORM_REPORT', reason: 'Elsewhere.' } });
    const drafts = made.filter((_, i) => i !== 1).map((m) => m.id).reverse();

    type Page = EscalationsListQuery['escalations'];
    const pages = async (filter: Record<string, unknown>, first: number): Promise<{ ids: string[]; pages: Page[] }> => {
      const seen: Page[] = [];
      let after: string | null = null;
      do {
        const { escalations }: { escalations: Page } = await lead.ok(EscalationsListDocument, { filter, first, after });
        seen.push(escalations);
        after = escalations.pageInfo.hasNextPage ? escalations.pageInfo.endCursor! : null;
      } while (after);
      return { ids: seen.flatMap((p) => p.edges.map((e) => e.node.id)), pages: seen };
    };

    // The drafts of this group, two at a time: newest first, each once, the count the same on every page.
    const awaiting = await pages({ status: ['DRAFT'], groupId }, 2);
    expect(awaiting.ids).toEqual(drafts);
    expect(awaiting.pages).toHaveLength(2);
    for (const p of awaiting.pages) expect(p.totalCount).toBe(4);
    expect(awaiting.pages.flatMap((p) => p.edges.map((e) => e.node.status))).toEqual(['DRAFT', 'DRAFT', 'DRAFT', 'DRAFT']);

    // Across the register: every DRAFT escalation, and only those, as many as the database holds.
    const [{ n }] = await sql(`SELECT count(*)::int AS n FROM escalations WHERE status = 'DRAFT'`);
    const allDrafts = await pages({ status: ['DRAFT'] }, 3);
    expect(allDrafts.ids).toHaveLength(n);
    expect(new Set(allDrafts.ids).size).toBe(n);
    expect(allDrafts.ids).toEqual(expect.arrayContaining([...drafts, elsewhere.id]));
    expect(allDrafts.ids).not.toContain(made[1]!.id);
    expect(allDrafts.pages.flatMap((p) => p.edges.map((e) => e.node.status)).every((s) => s === 'DRAFT')).toBe(true);

    // Filters combine: kind and group.
    const police = await pages({ groupId, kind: ['POLICE_REPORT'] }, 10);
    expect(police.ids).toEqual(made.filter((m) => m.kind === 'POLICE_REPORT').map((m) => m.id).reverse());
    expect((await pages({ groupId, status: ['APPROVED'] }, 10)).ids).toEqual([made[1]!.id]);

    // Bad paging is the caller's to correct.
    expect((await officer.fails('BAD_USER_INPUT', EscalationsListDocument, { first: 101 })).extensions.field).toBe('first');
    expect((await officer.fails('BAD_USER_INPUT', EscalationsListDocument, { first: 10, after: 'garbage' })).extensions.field).toBe('after');
  });

  describe('availableActions, enforced exactly as reported', () => {
    const STATUSES: EscalationStatus[] = ['DRAFT', 'APPROVED', 'REPORTED', 'CLOSED'];
    let groupId: string;
    beforeAll(async () => {
      groupId = await group('Actions Page');
    });

    /** A fresh escalation brought to `status` the way people do. */
    async function escalationIn(status: EscalationStatus): Promise<{ id: string; version: number }> {
      const { recordEscalation: e } = await officer.ok(EscalationsRecordDocument, { input: { groupId, kind: 'PLATFORM_REPORT', reason: 'Actions check.' } });
      const ref = (x: { id: string; version: number }) => ({ id: x.id, version: x.version });
      let current = ref(e);
      if (status === 'DRAFT') return current;
      current = ref((await lead.ok(EscalationsApproveDocument, { input: current })).approveEscalation);
      if (status === 'APPROVED') return current;
      current = ref((await officer.ok(EscalationsReportDocument, { input: { ...current, externalReference: 'TT-ACT' } })).reportEscalation);
      if (status === 'REPORTED') return current;
      return ref((await officer.ok(EscalationsCloseDocument, { input: { ...current, outcome: 'Page removed.' } })).closeEscalation);
    }

    async function act(c: TestClient, action: EscalationAction, target: { id: string; version: number }, code?: ErrorCode) {
      const input = { id: target.id, version: target.version };
      const run = async <R, V>(doc: Document<R, V>, variables: V) => (code ? c.refuses(code, doc, variables) : c.ok(doc, variables));
      switch (action) {
        case 'approve':
          return run(EscalationsApproveDocument, { input });
        case 'report':
          return run(EscalationsReportDocument, { input: { ...input, externalReference: 'TT-ACT' } });
        case 'close':
          return run(EscalationsCloseDocument, { input: { ...input, outcome: 'Page removed.' } });
      }
    }

    it('officer: drafts are a lead’s to approve (role), and a draft cannot be reported unapproved (lifecycle)', async () => {
      const e = await escalationIn('DRAFT');
      const { escalation } = await officer.ok(EscalationsActionsDocument, { id: e.id });
      expect(escalation.availableActions).toEqual([
        { action: 'approve', to: 'APPROVED', mutation: 'approveEscalation', allowed: false, unmet: ['your role does not allow you to approve escalations'], refusedBy: 'role' },
        { action: 'report', to: 'REPORTED', mutation: 'reportEscalation', allowed: false, unmet: ['a lead must approve the escalation before it is reported'], refusedBy: 'lifecycle' },
        { action: 'close', to: 'CLOSED', mutation: 'closeEscalation', allowed: false, unmet: [expect.stringContaining('cannot go from ‘Draft’ to ‘Closed’')], refusedBy: 'lifecycle' },
      ]);
      const { escalation: forLead } = await lead.ok(EscalationsActionsDocument, { id: e.id });
      expect(forLead.availableActions.map((a) => [a.action, a.allowed])).toEqual([['approve', true], ['report', true], ['close', false]]);
    });

    for (const who of ['officer', 'lead'] as const) {
      it.each(STATUSES)(`${who}: in %s, every action succeeds or is refused exactly as reported`, async (status) => {
        const c = await env.as(who);
        const target = await escalationIn(status);
        const { escalation } = await c.ok(EscalationsActionsDocument, { id: target.id });
        expect(escalation.status).toBe(status);
        expect(escalation.availableActions.map((a) => a.action)).toEqual(['approve', 'report', 'close']);
        for (const answer of escalation.availableActions) {
          const where = `${who} ${answer.action} on ${status}: ${JSON.stringify(answer)}`;
          expect(answer.allowed, where).toBe(answer.unmet.length === 0);
          if (answer.allowed) {
            // On a fresh escalation in the same status, so every allowed action is really taken.
            const fresh = await escalationIn(status);
            const done = (await act(c, answer.action, fresh)) as Record<string, { status: EscalationStatus }>;
            expect(Object.values(done)[0]!.status, where).toBe(answer.to);
            continue;
          }
          const before = await dbState(groupId);
          if (answer.refusedBy === 'role') {
            const err = (await act(c, answer.action, target, 'FORBIDDEN')) as ContractError<'FORBIDDEN'>;
            expect(err.extensions.permission, where).toBe(escalationActionPermission(answer.action));
            expect(err.message.toLowerCase(), where).toContain(answer.unmet[0]!.toLowerCase());
          } else {
            const err = (await act(c, answer.action, target, 'TRANSITION_NOT_ALLOWED')) as ContractError<'TRANSITION_NOT_ALLOWED'>;
            expect(err.extensions, where).toMatchObject({ entity: 'Escalation', from: status, to: answer.to, unmet: answer.unmet });
          }
          expect(await dbState(groupId), where).toEqual(before);
        }
      });
    }
  });
});
