import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  addWorkingDays, DEFAULT_POLICY_CONFIG, isWorkingDay, referralActionPermission,
  type ContractError, type ErrorCode,
} from '@signpost/policy';
import { createTestEnvironment, databaseKinds, type DemoAccount, type TestEnvironment } from '../../testing/test-environment.js';
import { expectContractError, TestClient, type Document, type GraphQLErrorShape } from '../../testing/test-client.js';
import { groupIn } from '../../testing/builders.js';
import { createUser } from '../users/user.service.js';
import {
  ReferralsAcknowledgeDocument, ReferralsAcknowledgeWithGroupNotesDocument, ReferralsAcknowledgeWithRoutingDocument, ReferralsActionsDocument,
  ReferralsAddAdministratorDocument, ReferralsAddNoteDocument, ReferralsBulkLeadPageDocument, ReferralsBulkTeamPageDocument, ReferralsCloseDocument,
  ReferralsCountOnlyDocument, ReferralsCreateGroupDocument, ReferralsDetailDocument, ReferralsDraftDocument, ReferralsGetDocument, ReferralsGroupEvidenceDocument,
  ReferralsGroupNotesDocument, ReferralsGroupReferralsDocument, ReferralsGroupStatusDocument, ReferralsGroupTeamsDocument, ReferralsListDocument,
  ReferralsLogContactDocument, ReferralsNotesAndSnapshotTeamDocument, ReferralsNotesDocument, ReferralsNotesTransfersDocument,
  ReferralsPageWithSnapshotsDocument, ReferralsReadTwiceDocument, ReferralsReadsOfOneDocument, ReferralsRecordConcernDocument, ReferralsRoutingDocument, ReferralsRoutingOfDocument,
  ReferralsSnapshotAdministratorIdsDocument, ReferralsSnapshotAdministratorNamesDocument, ReferralsSubmitDocument, ReferralsTeamSnapshotDocument,
  ReferralsTransferDocument, ReferralsUpdateAdministratorDocument, ReferralsUpdateDraftDocument, ReferralsUpdateStatusDocument,
  type Affiliation, type GroupStatus, type ReferralAction, type ReferralFilter, type ReferralReason, type ReferralSort, type ReferralStatus,
  type ReferralsListQuery,
} from '../../testing/generated/graphql.js';

type Caller = Exclude<DemoAccount, 'admin2'> | 'anonymous';
const ROLES: Caller[] = ['officer', 'lead', 'discipline', 'hr', 'legal', 'dpo', 'admin', 'anonymous'];
const RANDOM_ID = '00000000-0000-4000-8000-000000000000';
const DAY = 24 * 60 * 60 * 1000;
const WORKING_DAYS = DEFAULT_POLICY_CONFIG.acknowledgementWorkingDays;

// Any typed document, for tables of operations whose variables differ.
type AnyDocument = Document<any, any>;

type Ref = { id: string; version: number };
const ref = (r: Ref): Ref => ({ id: r.id, version: r.version });

/** Everything about a test environment the helpers below need. */
function helpers(getEnv: () => TestEnvironment) {
  const sql = (text: string, params: unknown[] = []) => getEnv().server.dataSource.query(text, params);

  /**
   * A mutation that must fail with `code`: the error is the contract's, and the
   * answer carries no data and says the transaction was rolled back.
   */

  /**
   * A group brought to `status` by the real mutations, then its administrators
   * recorded (named, with university ids) and a group-level concern.
   */
  async function seedGroup(name: string, admins: Affiliation[], status: GroupStatus = 'REFUSED') {
    const env = getEnv();
    const officer = await env.as('officer');
    const built = await groupIn(env, status, { name });
    const adminIds: Record<string, string> = {};
    const adminVersions: Record<string, number> = {};
    for (const [i, affiliation] of admins.entries()) {
      const handle = `@${affiliation.toLowerCase()}_${i}`;
      const { addAdministrator } = await officer.ok(ReferralsAddAdministratorDocument, {
        input: { groupId: built.id, handle, name: `Admin ${i}`, affiliation, universityId: `U${i}` },
      });
      adminIds[handle] = addAdministrator.id;
      adminVersions[handle] = addAdministrator.version;
    }
    if (status !== 'CLOSED') {
      await officer.ok(ReferralsRecordConcernDocument, {
        input: { groupId: built.id, category: 'PREJUDICE', severity: 'HIGH', seenAt: new Date(Date.now() - 2 * DAY).toISOString(), actionTaken: 'NONE' },
      });
    }
    const { group } = await officer.ok(ReferralsGroupStatusDocument, { id: built.id });
    expect(group.status).toBe(status);
    return { groupId: built.id, adminIds, adminVersions };
  }

  async function draft(groupId: string, reason: ReferralReason = 'REFUSED_TO_ENGAGE') {
    const { draftReferral } = await (await getEnv().as('officer')).ok(ReferralsDraftDocument, {
      input: { groupId, reason, summary: 'The administrators refused to engage with the team.' },
    });
    return draftReferral;
  }

  async function submit(d: Ref) {
    const { submitReferral } = await (await getEnv().as('lead')).ok(ReferralsSubmitDocument, { input: { ...ref(d), routing: { mode: 'AUTO' } } });
    return submitReferral.referrals[0]!;
  }

  /** A group routed to one team (by its administrators' affiliation) and submitted by the lead. */
  async function submitted(name: string, affiliation: Affiliation) {
    const { groupId } = await seedGroup(name, [affiliation]);
    return { groupId, referral: await submit(await draft(groupId)) };
  }

  /** Everything a refused mutation could have touched, read straight from the database. */
  async function dbState(groupId: string) {
    const [row] = await sql(
      `SELECT (SELECT row_to_json(g) FROM groups g WHERE g.id = $1) AS "group",
              (SELECT json_agg(r ORDER BY r.created_at, r.id) FROM referrals r WHERE r.group_id = $1) AS referrals,
              (SELECT json_agg(s ORDER BY s.referral_id) FROM referral_snapshots s JOIN referrals r ON r.id = s.referral_id WHERE r.group_id = $1) AS snapshots,
              (SELECT count(*)::int FROM referral_notes n JOIN referrals r ON r.id = n.referral_id WHERE r.group_id = $1) AS notes,
              (SELECT count(*)::int FROM referral_transfers t JOIN referrals r ON r.id = t.referral_id WHERE r.group_id = $1) AS transfers,
              (SELECT count(*)::int FROM audit_events WHERE group_id = $1 AND action <> 'referral.read') AS events`,
      [groupId],
    );
    return row;
  }

  return { sql, seedGroup, draft, submit, submitted, dbState };
}

const sameError = (a: GraphQLErrorShape | ContractError, b: GraphQLErrorShape | ContractError) =>
  expect({ message: a.message, extensions: a.extensions }).toEqual({ message: b.message, extensions: b.extensions });

/** Whether `deadline` is `days` working days after some moment between `from` and `to` (the moment the API counted from). */
function countedFromBetween(deadline: Date, from: number, to: number, days = WORKING_DAYS): boolean {
  // Working days keep the time of day, so the start is a whole number of calendar days before the deadline.
  for (let calendarDays = days; calendarDays <= days + 4; calendarDays++) {
    const start = deadline.getTime() - calendarDays * DAY;
    if (start >= from && start <= to) return addWorkingDays(new Date(start), days).getTime() === deadline.getTime();
  }
  return false;
}

type ListPage = ReferralsListQuery['referrals'];

describe.each(await databaseKinds())('referrals on %s', (kind) => {
  let env: TestEnvironment;
  let officer: TestClient;
  let lead: TestClient;
  let discipline: TestClient;
  let hr: TestClient;
  let legal: TestClient;

  beforeAll(async () => {
    env = await createTestEnvironment(kind);
    [officer, lead, discipline, hr, legal] = await Promise.all([env.as('officer'), env.as('lead'), env.as('discipline'), env.as('hr'), env.as('legal')]);
  });
  afterAll(() => env?.close());

  const { sql, seedGroup, draft, submit, submitted, dbState } = helpers(() => env);
  const client = async (who: Caller) => (who === 'anonymous' ? env.anonymous() : env.as(who));

  /** Every page of a list, `first` at a time. */
  async function allPages(c: TestClient, first: number, filter?: ReferralFilter, sort?: ReferralSort): Promise<{ ids: string[]; pages: ListPage[] }> {
    const pages: ListPage[] = [];
    let after: string | null = null;
    do {
      const { referrals }: { referrals: ListPage } = await c.ok(ReferralsListDocument, { first, after, filter, sort });
      pages.push(referrals);
      after = referrals.pageInfo.hasNextPage ? referrals.pageInfo.endCursor! : null;
    } while (after);
    return { ids: pages.flatMap((p) => p.edges.map((e) => e.node.id)), pages };
  }

  it('routes, drafts, submits, and the receiving team takes the referral through to closing', async () => {
    const { groupId, adminIds, adminVersions } = await seedGroup('Flow Confessions', ['STUDENT']);

    const { referralRouting } = await officer.ok(ReferralsRoutingDocument, { groupId });
    expect(referralRouting).toMatchObject({ teams: ['DISCIPLINE'], needsDecision: false });
    expect(referralRouting.explanation).toContain('Student discipline');
    expect(referralRouting.byTeam).toEqual([{ team: 'DISCIPLINE', administrators: [{ id: adminIds['@student_0'], handle: '@student_0', affiliation: 'STUDENT' }] }]);

    const d = await draft(groupId);
    expect(d).toMatchObject({
      status: 'DRAFT', team: null, version: 1, reason: 'REFUSED_TO_ENGAGE', routing: { teams: ['DISCIPLINE'], needsDecision: false }, snapshot: null,
      acknowledgeBy: null, acknowledgementOverdue: false,
    });

    const { updateReferralDraft } = await officer.ok(ReferralsUpdateDraftDocument, { input: { id: d.id, version: 1, summary: 'Refused twice; see the contact log.' } });
    expect(updateReferralDraft).toMatchObject({ version: 2, summary: 'Refused twice; see the contact log.', status: 'DRAFT' });

    // A draft is invisible to the receiving teams, and only the lead submits.
    await discipline.fails('NOT_FOUND', ReferralsGetDocument, { id: d.id });
    const notLead = await officer.refuses('FORBIDDEN', ReferralsSubmitDocument, { input: { id: d.id, version: 2, routing: { mode: 'AUTO' } } });
    expect(notLead.extensions.permission).toBe('referral.submit');
    expect(notLead.message).toBe('Your role does not allow you to submit referrals.');

    const { submitReferral } = await lead.ok(ReferralsSubmitDocument, { input: { id: d.id, version: 2, routing: { mode: 'AUTO' } } });
    expect(submitReferral.group).toEqual({ id: groupId, status: 'REFERRED' });
    expect(submitReferral.referrals).toHaveLength(1);
    const submittedRef = submitReferral.referrals[0]!;
    expect(submittedRef).toMatchObject({ id: d.id, status: 'SUBMITTED', team: 'DISCIPLINE', version: 3, splitKey: null, routingOverrideReason: null, routing: null });
    expect(submittedRef.submittedAt).not.toBeNull();
    // The team must acknowledge it within the configured working days (5 by default), weekends skipped.
    const submittedAt = new Date(submittedRef.submittedAt!);
    const acknowledgeBy = new Date(submittedRef.acknowledgeBy!);
    expect(acknowledgeBy.toISOString()).toBe(addWorkingDays(submittedAt, WORKING_DAYS).toISOString());
    expect(isWorkingDay(acknowledgeBy)).toBe(true);
    expect(acknowledgeBy.getTime() - submittedAt.getTime()).toBeGreaterThanOrEqual(WORKING_DAYS * DAY);
    expect(acknowledgeBy.getTime() - submittedAt.getTime()).toBeLessThanOrEqual((WORKING_DAYS + 2) * DAY);
    expect(submittedRef.acknowledgementOverdue).toBe(false);

    const { referral } = await discipline.ok(ReferralsDetailDocument, { id: d.id });
    expect(referral).toMatchObject({
      status: 'SUBMITTED',
      team: 'DISCIPLINE',
      acknowledgeBy: submittedRef.acknowledgeBy,
      acknowledgementOverdue: false,
      group: { id: groupId, name: 'Flow Confessions', platform: 'INSTAGRAM', url: null, status: 'REFERRED' },
      notes: [],
      transfers: [],
      createdBy: { email: 'officer@signpost.test' },
      submittedBy: { email: 'lead@signpost.test' },
    });
    expect(referral.snapshot).toMatchObject({
      team: 'DISCIPLINE',
      group: { id: groupId, name: 'Flow Confessions', platform: 'INSTAGRAM', handle: referral.group.handle, url: null },
      administrators: [{ id: adminIds['@student_0'], handle: '@student_0', name: 'Admin 0', affiliation: 'STUDENT', universityId: 'U0' }],
      // The contact log as the builder wrote it (first outbound, then the refusal), oldest first.
      contacts: [
        { direction: 'OUTBOUND', outcome: 'NO_RESPONSE', steps: ['INTRODUCED', 'AFFILIATION_ASCERTAINED'] },
        { direction: 'INBOUND', outcome: 'REFUSED_TO_ENGAGE', steps: [] },
      ],
      concerns: [{ category: 'PREJUDICE', severity: 'HIGH', actionTaken: 'NONE' }],
    });

    // The snapshot is frozen: a later change to the administrator does not reach it.
    await officer.ok(ReferralsUpdateAdministratorDocument, { input: { id: adminIds['@student_0']!, version: adminVersions['@student_0']!, name: 'Renamed' } });
    const again = await discipline.ok(ReferralsSnapshotAdministratorNamesDocument, { id: d.id });
    expect(again.referral.snapshot!.administrators).toEqual([{ name: 'Admin 0' }]);

    // The receiving team reaches the group's basic fields, never its internals.
    expect((await discipline.fails('FORBIDDEN', ReferralsGroupNotesDocument, { id: d.id })).extensions.permission).toBe('group.readInternal');
    await discipline.fails('FORBIDDEN', ReferralsGroupReferralsDocument, { id: d.id });

    // Closing before acknowledging is refused and changes nothing.
    const before = await dbState(groupId);
    const early = await discipline.refuses('TRANSITION_NOT_ALLOWED', ReferralsCloseDocument, { input: { id: d.id, version: 3, outcome: 'ACTION_TAKEN' } });
    expect(early.extensions).toMatchObject({ entity: 'Referral', from: 'SUBMITTED', to: 'CLOSED', action: 'close', unmet: ['the receiving team must acknowledge the referral first'] });
    expect(await dbState(groupId)).toEqual(before);

    const { acknowledgeReferral } = await discipline.ok(ReferralsAcknowledgeDocument, { input: { id: d.id, version: 3 } });
    expect(acknowledgeReferral).toMatchObject({ status: 'ACKNOWLEDGED', version: 4, acknowledgementOverdue: false });
    expect(acknowledgeReferral.acknowledgedAt).not.toBeNull();

    const viaStatus = await discipline.refuses('BAD_USER_INPUT', ReferralsUpdateStatusDocument, { input: { id: d.id, version: 4, status: 'CLOSED' } });
    expect(viaStatus.extensions.field).toBe('input.status');
    expect(viaStatus.message).toContain('closeReferral');
    const backwards = await discipline.refuses('TRANSITION_NOT_ALLOWED', ReferralsUpdateStatusDocument, { input: { id: d.id, version: 4, status: 'DRAFT' } });
    expect(backwards.extensions).toMatchObject({ from: 'ACKNOWLEDGED', to: 'DRAFT' });
    expect(backwards.extensions.unmet).toEqual([expect.stringContaining('from ‘Acknowledged’ it can go to ‘In progress’ or ‘Closed’')]);

    const { updateReferralStatus } = await discipline.ok(ReferralsUpdateStatusDocument, { input: { id: d.id, version: 4, status: 'IN_PROGRESS' } });
    expect(updateReferralStatus).toMatchObject({ status: 'IN_PROGRESS', version: 5 });

    const stale = await dbState(groupId);
    const staleStatus = await discipline.refuses('CONFLICT', ReferralsUpdateStatusDocument, { input: { id: d.id, version: 4, status: 'IN_PROGRESS' } });
    expect(staleStatus.extensions).toMatchObject({ reason: 'STALE_VERSION', entity: 'Referral', currentVersion: 5 });
    const staleClose = await discipline.refuses('CONFLICT', ReferralsCloseDocument, { input: { id: d.id, version: 4, outcome: 'ACTION_TAKEN' } });
    expect(staleClose.extensions.currentVersion).toBe(5);
    expect(await dbState(groupId)).toEqual(stale);

    const { addReferralNote } = await discipline.ok(ReferralsAddNoteDocument, { input: { referralId: d.id, body: 'Student record found; meeting booked.' } });
    expect(addReferralNote).toMatchObject({ team: 'DISCIPLINE', body: 'Student record found; meeting booked.' });

    const { closeReferral } = await discipline.ok(ReferralsCloseDocument, { input: { id: d.id, version: 5, outcome: 'ACTION_TAKEN', outcomeNote: 'Warning issued.' } });
    expect(closeReferral).toMatchObject({ status: 'CLOSED', outcome: 'ACTION_TAKEN', outcomeNote: 'Warning issued.', version: 6 });
    expect(closeReferral.closedAt).not.toBeNull();

    // Every step is audited, reads included, with no personal data or free text in the details.
    const events: { action: string; referral_team: string | null; details: unknown }[] = await sql(
      `SELECT action, referral_team, details FROM audit_events WHERE entity_id = $1 ORDER BY id`,
      [d.id],
    );
    const actions = events.map((e) => e.action);
    for (const a of ['referral.draft', 'referral.update', 'referral.submit', 'referral.read', 'referral.acknowledge', 'referral.status', 'referral.note', 'referral.close']) {
      expect(actions).toContain(a);
    }
    expect(events.find((e) => e.action === 'referral.submit')?.referral_team).toBe('DISCIPLINE');
    expect(events.filter((e) => e.action === 'referral.read').every((e) => e.referral_team === 'DISCIPLINE')).toBe(true);
    const details = JSON.stringify(events.map((e) => e.details));
    for (const text of ['refused', 'Student record', 'Warning issued', '@student_0', 'Admin 0', 'Built outbound']) expect(details).not.toContain(text);
  });

  it('records a read once per request per referral, and only when referrals are actually returned', async () => {
    const { referral } = await submitted('Audit Reads Page', 'STUDENT');
    await submitted('Audit Reads Second Page', 'STUDENT');
    // How often the request's read events name the referral: as their entity, or in the list of one event for a page.
    const countReads = async (requestId: string) =>
      (await sql(
        `SELECT count(*)::int AS n FROM audit_events e
           LEFT JOIN LATERAL jsonb_array_elements_text(coalesce(e.details -> 'referralIds', '[]')) AS listed(id) ON true
          WHERE e.request_id = $1 AND e.action = 'referral.read' AND (e.entity_id = $2 OR listed.id = $2::text)`,
        [requestId, referral.id],
      ))[0].n;
    const eventsOf = (requestId: string) => sql(`SELECT entity_id, details FROM audit_events WHERE request_id = $1 AND action = 'referral.read'`, [requestId]);
    const send = async <R, V>(requestId: string, doc: Document<R, V>, variables: V) => {
      const { errors } = await discipline.gql(doc, variables, { 'x-request-id': requestId });
      expect(errors).toBeUndefined();
    };
    await send('reads-1', ReferralsReadTwiceDocument, { id: referral.id });
    expect(await countReads('reads-1')).toBe(1);
    await send('reads-2', ReferralsPageWithSnapshotsDocument, {});
    expect(await countReads('reads-2')).toBe(1);
    // A page is one event naming every referral shown, each once.
    const [page, ...more] = await eventsOf('reads-2');
    expect(more).toEqual([]);
    expect(page.entity_id).toBeNull();
    expect(page.details.referralIds.length).toBeGreaterThanOrEqual(2);
    expect(new Set(page.details.referralIds).size).toBe(page.details.referralIds.length);
    // The data protection officer asking who read this referral finds both reads, the page one included.
    const { auditEvents } = await (await env.as('dpo')).ok(ReferralsReadsOfOneDocument, { entityId: referral.id.toUpperCase() });
    const reads = auditEvents.edges.map((e) => e.node).filter((n) => n.requestId === 'reads-1' || n.requestId === 'reads-2');
    expect(reads.map((n) => [n.requestId, n.entityId]).sort()).toEqual([['reads-1', referral.id], ['reads-2', null]]);
    expect(reads.find((n) => n.requestId === 'reads-2')!.summary).toMatch(/^Referrals to Student discipline read: \d+ shown in a list$/);
    await send('reads-3', ReferralsCountOnlyDocument, {});
    expect(await countReads('reads-3')).toBe(0);
    const [event] = await sql(`SELECT actor_label, entity_type, group_id, referral_team, details FROM audit_events WHERE request_id = 'reads-1' AND action = 'referral.read'`);
    expect(event).toEqual({ actor_label: 'discipline@signpost.test', entity_type: 'Referral', group_id: expect.any(String), referral_team: 'DISCIPLINE', details: {} });
  });

  it('splits a referral when administrators belong to different teams, each snapshot holding only its own administrators', async () => {
    const { groupId, adminIds } = await seedGroup('Split Page', ['STUDENT', 'STAFF']);
    const { referralRouting } = await lead.ok(ReferralsRoutingDocument, { groupId });
    expect(referralRouting).toMatchObject({ teams: ['DISCIPLINE', 'HR'], needsDecision: true });
    const d = await draft(groupId);

    // AUTO cannot decide between two teams: refused, and nothing written.
    const before = await dbState(groupId);
    const auto = await lead.refuses('BAD_USER_INPUT', ReferralsSubmitDocument, { input: { id: d.id, version: 1, routing: { mode: 'AUTO' } } });
    expect(auto.extensions.field).toBe('input.routing.mode');
    expect(auto.message).toContain('Student discipline and HR');
    expect(await dbState(groupId)).toEqual(before);

    const { submitReferral } = await lead.ok(ReferralsSubmitDocument, { input: { id: d.id, version: 1, routing: { mode: 'SPLIT' } } });
    const [first, second] = submitReferral.referrals;
    expect(submitReferral.referrals).toHaveLength(2);
    expect(first).toMatchObject({ id: d.id, team: 'DISCIPLINE', status: 'SUBMITTED' });
    expect(second).toMatchObject({ team: 'HR', status: 'SUBMITTED', reason: 'REFUSED_TO_ENGAGE', summary: d.summary });
    expect(second!.id).not.toBe(d.id);
    expect(first!.splitKey).toMatch(/^[0-9a-f-]{36}$/);
    expect(second!.splitKey).toBe(first!.splitKey);
    // Both teams' deadlines run from the one submission.
    expect(second!.acknowledgeBy).toBe(first!.acknowledgeBy);
    expect(submitReferral.group.status).toBe('REFERRED');

    const forDiscipline = await discipline.ok(ReferralsTeamSnapshotDocument, { id: first!.id });
    expect(forDiscipline.referral.snapshot).toMatchObject({ team: 'DISCIPLINE', administrators: [{ id: adminIds['@student_0'], handle: '@student_0' }] });
    // The builder's contacts and the seeded concern are about the group as a whole: both teams get them.
    expect(forDiscipline.referral.snapshot!.contacts).toHaveLength(2);
    expect(forDiscipline.referral.snapshot!.concerns).toHaveLength(1);
    const forHr = await hr.ok(ReferralsTeamSnapshotDocument, { id: second!.id });
    expect(forHr.referral.snapshot).toMatchObject({ team: 'HR', administrators: [{ id: adminIds['@staff_1'], handle: '@staff_1' }] });
    // And in the database, not only in the API's answer.
    const rows: { team: string; data: { administrators: { handle: string }[] } }[] = await sql(
      `SELECT s.team, s.data FROM referral_snapshots s JOIN referrals r ON r.id = s.referral_id WHERE r.group_id = $1 ORDER BY s.team`,
      [groupId],
    );
    expect(rows.map((r) => [r.team, r.data.administrators.map((a) => a.handle)])).toEqual([['DISCIPLINE', ['@student_0']], ['HR', ['@staff_1']]]);

    sameError(await discipline.fails('NOT_FOUND', ReferralsTeamSnapshotDocument, { id: second!.id }), await discipline.fails('NOT_FOUND', ReferralsTeamSnapshotDocument, { id: RANDOM_ID }));
    await hr.fails('NOT_FOUND', ReferralsTeamSnapshotDocument, { id: first!.id });
    const { group } = await lead.ok(ReferralsGroupTeamsDocument, { id: groupId });
    expect(group.referrals.map((r) => r.team).sort()).toEqual(['DISCIPLINE', 'HR']);
  });

  it("gives each team of a split referral only the contacts and concerns about its own administrators, plus the group's", async () => {
    const built = await groupIn(env, 'REFUSED', { name: 'Split Evidence Page', administrators: ['STUDENT', 'STAFF'] });
    const [studentId, staffId] = built.administratorIds as [string, string];
    const at = (hoursAgo: number) => new Date(Date.now() - hoursAgo * 3_600_000).toISOString();
    const contact = async (administratorId: string | null, summary: string) =>
      (await officer.ok(ReferralsLogContactDocument, {
        input: { groupId: built.id, administratorId, occurredAt: at(5), channel: 'PLATFORM_MESSAGE', direction: 'INBOUND', outcome: 'REFUSED_TO_ENGAGE', summary },
      })).logContact;
    const concern = async (administratorId: string | null, description: string) =>
      (await officer.ok(ReferralsRecordConcernDocument, {
        input: { groupId: built.id, administratorId, category: 'DIGNITY_POLICY', severity: 'MEDIUM', seenAt: at(4), description },
      })).recordConcern.concern;

    const studentContact = await contact(studentId, 'The student administrator refused to talk to us.');
    const staffContact = await contact(staffId, 'The staff administrator refused to talk to us.');
    expect([studentContact.administrator?.id, staffContact.administrator?.id]).toEqual([studentId, staffId]);
    const studentConcern = await concern(studentId, 'Posts by the student administrator.');
    const staffConcern = await concern(staffId, 'Posts by the staff administrator.');
    const groupConcern = await concern(null, 'Posts by anonymous users.');
    expect([studentConcern.administrator?.id, staffConcern.administrator?.id, groupConcern.administrator]).toEqual([studentId, staffId, null]);
    // An administrator of another group is refused, naming the field.
    const otherGroup = await groupIn(env, 'DISCOVERED', { administrators: ['STAFF'] });
    const foreign = await officer.refuses('BAD_USER_INPUT', ReferralsRecordConcernDocument, {
      input: { groupId: built.id, administratorId: otherGroup.administratorIds[0]!, category: 'OTHER', severity: 'LOW', seenAt: at(1) },
    });
    expect(foreign.extensions.fields.map((f) => f.field)).toContain('input.administratorId');
    // Refusals logged again by a refused group leave it where it is.
    expect((await officer.ok(ReferralsGroupStatusDocument, { id: built.id })).group.status).toBe('REFUSED');

    const { group: evidence } = await officer.ok(ReferralsGroupEvidenceDocument, { id: built.id });
    const expected = (own: string) => ({
      contacts: evidence.contactLog.filter((c) => c.administrator === null || c.administrator.id === own).map((c) => c.id).sort(),
      concerns: evidence.concerns.filter((c) => c.administrator === null || c.administrator.id === own).map((c) => c.id).sort(),
    });
    // The builder's contacts are group-level; each team also gets its own administrator's.
    expect(expected(studentId).contacts).toHaveLength(3);
    expect(expected(studentId).concerns).toHaveLength(2);

    const d = await draft(built.id);
    const { submitReferral } = await lead.ok(ReferralsSubmitDocument, { input: { id: d.id, version: d.version, routing: { mode: 'SPLIT' } } });
    const byTeam = Object.fromEntries(submitReferral.referrals.map((r) => [r.team!, r.id]));
    const views = {
      DISCIPLINE: (await discipline.ok(ReferralsTeamSnapshotDocument, { id: byTeam.DISCIPLINE! })).referral.snapshot!,
      HR: (await hr.ok(ReferralsTeamSnapshotDocument, { id: byTeam.HR! })).referral.snapshot!,
    };
    const seen = (s: (typeof views)['HR']) => ({ contacts: s.contacts.map((c) => c.id).sort(), concerns: s.concerns.map((c) => c.id).sort() });
    expect(views.DISCIPLINE.administrators.map((a) => a.id)).toEqual([studentId]);
    expect(seen(views.DISCIPLINE)).toEqual(expected(studentId));
    expect(views.HR.administrators.map((a) => a.id)).toEqual([staffId]);
    expect(seen(views.HR)).toEqual(expected(staffId));
    // Never the other team's administrator's evidence.
    expect(seen(views.DISCIPLINE).contacts).not.toContain(staffContact.id);
    expect(seen(views.DISCIPLINE).concerns).not.toContain(staffConcern.id);
    expect(seen(views.HR).contacts).not.toContain(studentContact.id);
    expect(seen(views.HR).concerns).not.toContain(studentConcern.id);
    expect(JSON.stringify(views.HR)).not.toContain('student administrator');
    expect(JSON.stringify(views.DISCIPLINE)).not.toContain('staff administrator');

    // What is stored is what each team is shown, and the audit counts match it.
    const rows: { team: string; data: { contacts: { id: string }[]; concerns: { id: string }[] } }[] = await sql(
      `SELECT s.team, s.data FROM referral_snapshots s JOIN referrals r ON r.id = s.referral_id WHERE r.group_id = $1 ORDER BY s.team`,
      [built.id],
    );
    expect(rows.map((r) => [r.team, r.data.contacts.map((c) => c.id).sort(), r.data.concerns.map((c) => c.id).sort()])).toEqual([
      ['DISCIPLINE', expected(studentId).contacts, expected(studentId).concerns],
      ['HR', expected(staffId).contacts, expected(staffId).concerns],
    ]);
    const audits: { referral_team: string; details: { contacts: number; concerns: number; administrators: number } }[] = await sql(
      `SELECT referral_team, details FROM audit_events WHERE group_id = $1 AND action = 'referral.submit' ORDER BY referral_team`,
      [built.id],
    );
    expect(audits.map((a) => [a.referral_team, a.details.administrators, a.details.contacts, a.details.concerns])).toEqual([
      ['DISCIPLINE', 1, 3, 2],
      ['HR', 1, 3, 2],
    ]);
  });

  it('lets the lead override routing with a written reason, and refuses a short or missing one', async () => {
    const { groupId, adminIds } = await seedGroup('Override Page', ['STUDENT', 'STAFF']);
    const d = await draft(groupId);
    const before = await dbState(groupId);
    const short = await lead.refuses('BAD_USER_INPUT', ReferralsSubmitDocument, { input: { id: d.id, version: 1, routing: { mode: 'OVERRIDE', team: 'LEGAL', reason: 'too short' } } });
    expect(short.extensions.field).toBe('input.routing.reason');
    expect(short.message).toContain('at least 10 characters');
    const noTeam = await lead.refuses('BAD_USER_INPUT', ReferralsSubmitDocument, { input: { id: d.id, version: 1, routing: { mode: 'OVERRIDE', reason: 'Both are contractors of the students union.' } } });
    expect(noTeam.extensions.field).toBe('input.routing.team');
    const badChars = await lead.refuses('BAD_USER_INPUT', ReferralsSubmitDocument, { input: { id: d.id, version: 1, routing: { mode: 'OVERRIDE', team: 'LEGAL', reason: 'Reason with \u202e override' } } });
    expect(badChars.extensions.field).toBe('input.routing.reason');
    expect(await dbState(groupId)).toEqual(before);

    const reason = 'Both administrators act for an outside company; legal must handle it.';
    const { submitReferral } = await lead.ok(ReferralsSubmitDocument, { input: { id: d.id, version: 1, routing: { mode: 'OVERRIDE', team: 'LEGAL', reason } } });
    expect(submitReferral.referrals).toHaveLength(1);
    expect(submitReferral.referrals[0]).toMatchObject({ id: d.id, team: 'LEGAL', status: 'SUBMITTED', routingOverrideReason: reason, splitKey: null });
    const { referral } = await legal.ok(ReferralsSnapshotAdministratorIdsDocument, { id: d.id });
    expect(referral.snapshot!.administrators.map((a) => a.id).sort()).toEqual([adminIds['@student_0'], adminIds['@staff_1']].sort());
    await discipline.fails('NOT_FOUND', ReferralsGetDocument, { id: d.id });
    await hr.fails('NOT_FOUND', ReferralsGetDocument, { id: d.id });
  });

  it('refuses submissions the policy does not allow, writing nothing', async () => {
    // A refusal referral needs an unresponsive or refused group.
    const { groupId } = await seedGroup('Early Page', ['STUDENT'], 'CONTACTING');
    const d = await draft(groupId);
    const before = await dbState(groupId);
    // The lead is told so before trying, in the same words the refusal uses.
    const { referral: shown } = await lead.ok(ReferralsActionsDocument, { id: d.id });
    const submitAnswer = shown.availableActions.find((a) => a.action === 'submit')!;
    expect(submitAnswer).toMatchObject({ allowed: false, refusedBy: 'lifecycle' });
    const early = await lead.refuses('TRANSITION_NOT_ALLOWED', ReferralsSubmitDocument, { input: { id: d.id, version: 1, routing: { mode: 'AUTO' } } });
    expect(early.extensions).toMatchObject({ entity: 'Referral', from: 'DRAFT', to: 'SUBMITTED', action: 'submit' });
    expect(early.extensions.unmet).toEqual(submitAnswer.unmet);
    expect(early.extensions.unmet).toEqual([expect.stringContaining('mark it unresponsive or refused first')]);
    const conflict = await lead.refuses('CONFLICT', ReferralsSubmitDocument, { input: { id: d.id, version: 7, routing: { mode: 'AUTO' } } });
    expect(conflict.extensions).toMatchObject({ entity: 'Referral', currentVersion: 1 });
    expect((await lead.refuses('NOT_FOUND', ReferralsSubmitDocument, { input: { id: RANDOM_ID, version: 1, routing: { mode: 'AUTO' } } })).extensions.entity).toBe('Referral');
    const badId = await lead.refuses('BAD_USER_INPUT', ReferralsSubmitDocument, { input: { id: 'not-an-id', version: 1, routing: { mode: 'AUTO' } } });
    expect(badId.extensions.field).toBe('input.id');
    expect(await dbState(groupId)).toEqual(before);

    // Content of concern may be referred at any time; the group moves to REFERRED from CONTACTING.
    const { updateReferralDraft } = await officer.ok(ReferralsUpdateDraftDocument, { input: { id: d.id, version: 1, reason: 'CONTENT_OF_CONCERN' } });
    const { submitReferral } = await lead.ok(ReferralsSubmitDocument, { input: { id: d.id, version: updateReferralDraft.version, routing: { mode: 'AUTO' } } });
    expect(submitReferral.group.status).toBe('REFERRED');

    // Once submitted, it can be neither submitted again nor edited as a draft.
    const after = await dbState(groupId);
    const twice = await lead.refuses('TRANSITION_NOT_ALLOWED', ReferralsSubmitDocument, { input: { id: d.id, version: 3, routing: { mode: 'AUTO' } } });
    expect(twice.extensions).toMatchObject({ from: 'SUBMITTED', to: 'SUBMITTED' });
    expect(twice.extensions.unmet).toEqual([expect.stringContaining('from ‘New’ it can go to ‘Acknowledged’')]);
    const edit = await officer.refuses('TRANSITION_NOT_ALLOWED', ReferralsUpdateDraftDocument, { input: { id: d.id, version: 3, summary: 'Changed afterwards' } });
    expect(edit.extensions.unmet).toEqual(['a referral that is submitted cannot be changed this way: only one that is a draft']);
    expect(await dbState(groupId)).toEqual(after);

    // No referral is drafted for a closed group.
    const closed = await seedGroup('Closed Page', [], 'CLOSED');
    const refused = await officer.refuses('TRANSITION_NOT_ALLOWED', ReferralsDraftDocument, { input: { groupId: closed.groupId, reason: 'CONTENT_OF_CONCERN', summary: 'Too late' } });
    expect(refused.extensions).toMatchObject({ entity: 'Referral', to: 'DRAFT', unmet: ['the group is closed; reopen it first'] });
    expect((await dbState(closed.groupId)).referrals).toBeNull();
    const blank = await officer.refuses('BAD_USER_INPUT', ReferralsDraftDocument, { input: { groupId, reason: 'CONTENT_OF_CONCERN', summary: '   ' } });
    expect(blank.extensions.field).toBe('input.summary');
    await officer.refuses('NOT_FOUND', ReferralsDraftDocument, { input: { groupId: RANDOM_ID, reason: 'CONTENT_OF_CONCERN', summary: 'Nobody' } });
  });

  it('sends a group without known administrators to LEGAL', async () => {
    const { groupId } = await seedGroup('Faceless Page', [], 'UNRESPONSIVE');
    const { referralRouting } = await officer.ok(ReferralsRoutingDocument, { groupId });
    expect(referralRouting).toMatchObject({ teams: ['LEGAL'], needsDecision: false, byTeam: [{ team: 'LEGAL', administrators: [] }] });
    const d = await draft(groupId);
    const { submitReferral } = await lead.ok(ReferralsSubmitDocument, { input: { id: d.id, version: 1, routing: { mode: 'AUTO' } } });
    expect(submitReferral.referrals[0]!.team).toBe('LEGAL');
    expect(submitReferral.group.status).toBe('REFERRED');
    const badGroup = await officer.fails('BAD_USER_INPUT', ReferralsRoutingDocument, { groupId: 'x' });
    expect(badGroup.extensions.field).toBe('groupId');
    await officer.fails('NOT_FOUND', ReferralsRoutingDocument, { groupId: RANDOM_ID });
  });

  it('scopes every referral query and mutation by role', async () => {
    const { groupId: dGroup, referral: d } = await submitted('Scope Discipline Page', 'STUDENT');
    await submitted('Scope HR Page', 'STAFF');
    const open = await seedGroup('Scope Draft Page', ['STUDENT']);
    const dr = await draft(open.groupId);
    const closed = await seedGroup('Scope Closed Page', [], 'CLOSED');

    const ops: { name: string; doc: AnyDocument; mutation: boolean; vars: (id: string) => Record<string, unknown>; target: string; expect: Record<string, string> }[] = [
      { name: 'referral', doc: ReferralsGetDocument, mutation: false, vars: (id) => ({ id }), target: d.id,
        expect: { officer: 'ok', lead: 'ok', discipline: 'ok', hr: 'NOT_FOUND', legal: 'NOT_FOUND', dpo: 'FORBIDDEN', admin: 'FORBIDDEN', anonymous: 'UNAUTHENTICATED' } },
      { name: 'referral (draft)', doc: ReferralsGetDocument, mutation: false, vars: (id) => ({ id }), target: dr.id,
        expect: { officer: 'ok', lead: 'ok', discipline: 'NOT_FOUND', hr: 'NOT_FOUND', legal: 'NOT_FOUND', dpo: 'FORBIDDEN', admin: 'FORBIDDEN', anonymous: 'UNAUTHENTICATED' } },
      { name: 'referralRouting', doc: ReferralsRoutingDocument, mutation: false, vars: (groupId) => ({ groupId }), target: open.groupId,
        expect: { officer: 'ok', lead: 'ok', discipline: 'FORBIDDEN', hr: 'FORBIDDEN', legal: 'FORBIDDEN', dpo: 'FORBIDDEN', admin: 'FORBIDDEN', anonymous: 'UNAUTHENTICATED' } },
      { name: 'draftReferral', doc: ReferralsDraftDocument, mutation: true, vars: (groupId) => ({ input: { groupId, reason: 'CONTENT_OF_CONCERN', summary: 'Matrix' } }), target: closed.groupId,
        expect: { officer: 'TRANSITION_NOT_ALLOWED', lead: 'TRANSITION_NOT_ALLOWED', discipline: 'FORBIDDEN', hr: 'FORBIDDEN', legal: 'FORBIDDEN', dpo: 'FORBIDDEN', admin: 'FORBIDDEN', anonymous: 'UNAUTHENTICATED' } },
      // Allowed callers get CONFLICT from a stale version: past every permission and scope check, writing nothing.
      { name: 'updateReferralDraft', doc: ReferralsUpdateDraftDocument, mutation: true, vars: (id) => ({ input: { id, version: 999, summary: 'Matrix' } }), target: dr.id,
        expect: { officer: 'CONFLICT', lead: 'CONFLICT', discipline: 'FORBIDDEN', hr: 'FORBIDDEN', legal: 'FORBIDDEN', dpo: 'FORBIDDEN', admin: 'FORBIDDEN', anonymous: 'UNAUTHENTICATED' } },
      { name: 'submitReferral', doc: ReferralsSubmitDocument, mutation: true, vars: (id) => ({ input: { id, version: 999, routing: { mode: 'AUTO' } } }), target: dr.id,
        expect: { officer: 'FORBIDDEN', lead: 'CONFLICT', discipline: 'FORBIDDEN', hr: 'FORBIDDEN', legal: 'FORBIDDEN', dpo: 'FORBIDDEN', admin: 'FORBIDDEN', anonymous: 'UNAUTHENTICATED' } },
      ...[
        { name: 'acknowledgeReferral', doc: ReferralsAcknowledgeDocument, vars: (id: string) => ({ input: { id, version: 999 } }) },
        { name: 'updateReferralStatus', doc: ReferralsUpdateStatusDocument, vars: (id: string) => ({ input: { id, version: 999, status: 'IN_PROGRESS' } }) },
        { name: 'transferReferral', doc: ReferralsTransferDocument, vars: (id: string) => ({ input: { id, version: 999, toTeam: 'LEGAL', reason: 'Matrix' } }) },
        { name: 'closeReferral', doc: ReferralsCloseDocument, vars: (id: string) => ({ input: { id, version: 999, outcome: 'NO_FURTHER_ACTION' } }) },
      ].map((op) => ({
        ...op,
        mutation: true,
        target: d.id,
        expect: { officer: 'FORBIDDEN', lead: 'FORBIDDEN', discipline: 'CONFLICT', hr: 'NOT_FOUND', legal: 'NOT_FOUND', dpo: 'FORBIDDEN', admin: 'FORBIDDEN', anonymous: 'UNAUTHENTICATED' },
      })),
    ];

    const before = [await dbState(dGroup), await dbState(open.groupId), await dbState(closed.groupId)];
    for (const op of ops) {
      for (const who of ROLES) {
        const c = await client(who);
        const expected = op.expect[who]! as ErrorCode | 'ok';
        if (expected === 'ok') {
          await c.ok(op.doc, op.vars(op.target));
          continue;
        }
        const attempt = (id: string) => (op.mutation ? c.refuses(expected, op.doc, op.vars(id)) : c.fails(expected, op.doc, op.vars(id)));
        const err = await attempt(op.target);
        // Out of scope answers exactly as an id that does not exist.
        if (expected === 'NOT_FOUND') sameError(err, await attempt(RANDOM_ID));
      }
    }
    expect([await dbState(dGroup), await dbState(open.groupId), await dbState(closed.groupId)]).toEqual(before);

    // Notes: the referral's team adds them; anyone else is refused or does not see the referral.
    for (const who of ROLES) {
      const c = await client(who);
      const vars = { input: { referralId: d.id, body: `Note by ${who}` } };
      const expected = ({ officer: 'FORBIDDEN', lead: 'FORBIDDEN', discipline: 'ok', hr: 'NOT_FOUND', legal: 'NOT_FOUND', dpo: 'FORBIDDEN', admin: 'FORBIDDEN', anonymous: 'UNAUTHENTICATED' } as const satisfies Record<Caller, string>)[who];
      if (expected === 'ok') await c.ok(ReferralsAddNoteDocument, vars);
      else {
        const err = await c.refuses(expected, ReferralsAddNoteDocument, vars);
        if (expected === 'NOT_FOUND') sameError(err, await c.refuses('NOT_FOUND', ReferralsAddNoteDocument, { input: { referralId: RANDOM_ID, body: 'x' } }));
      }
    }
    const notes: { team: string; body: string }[] = await sql(`SELECT team, body FROM referral_notes WHERE referral_id = $1`, [d.id]);
    expect(notes).toEqual([{ team: 'DISCIPLINE', body: 'Note by discipline' }]);

    // Lists and totalCount count only what each caller may see, in SQL.
    const [counts] = await sql(
      `SELECT count(*)::int AS "all",
              count(*) FILTER (WHERE status <> 'DRAFT' AND team = 'DISCIPLINE')::int AS discipline,
              count(*) FILTER (WHERE status <> 'DRAFT' AND team = 'HR')::int AS hr,
              count(*) FILTER (WHERE status <> 'DRAFT' AND team = 'LEGAL')::int AS legal,
              count(*) FILTER (WHERE status = 'DRAFT')::int AS drafts
         FROM referrals`,
    );
    expect(counts.drafts).toBeGreaterThan(0);
    for (const [who, team] of [['officer', null], ['lead', null], ['discipline', 'DISCIPLINE'], ['hr', 'HR'], ['legal', 'LEGAL']] as const) {
      const { referrals } = await (await env.as(who)).ok(ReferralsListDocument, { first: 100 });
      expect(referrals.totalCount).toBe(team ? counts[team.toLowerCase()] : counts.all);
      expect(referrals.edges).toHaveLength(Math.min(100, referrals.totalCount));
      if (team) expect(referrals.edges.every((e) => e.node.team === team && e.node.status !== 'DRAFT')).toBe(true);
    }
    const ids = (await discipline.ok(ReferralsListDocument, { first: 100 })).referrals.edges.map((e) => e.node.id);
    expect(ids).toContain(d.id);
    expect(ids).not.toContain(dr.id);
    // Filters cannot widen the scope: another team's or drafts count zero.
    expect((await discipline.ok(ReferralsListDocument, { first: 10, filter: { team: ['HR', 'LEGAL'] } })).referrals.totalCount).toBe(0);
    expect((await discipline.ok(ReferralsListDocument, { first: 10, filter: { status: ['DRAFT'] } })).referrals.totalCount).toBe(0);
    expect((await officer.ok(ReferralsListDocument, { first: 10, filter: { status: ['DRAFT'], groupId: open.groupId } })).referrals).toMatchObject({ totalCount: 1, edges: [{ node: { id: dr.id } }] });
    for (const who of ['dpo', 'admin'] as const) await (await env.as(who)).fails('FORBIDDEN', ReferralsListDocument, { first: 10 });
    await env.anonymous().fails('UNAUTHENTICATED', ReferralsListDocument, { first: 10 });
    const badFirst = await officer.fails('BAD_USER_INPUT', ReferralsListDocument, { first: 101 });
    expect(badFirst.extensions.field).toBe('first');
    expect((await officer.fails('BAD_USER_INPUT', ReferralsListDocument, { first: 10, after: 'garbage' })).extensions.field).toBe('after');
  });

  it('lets a lead who also holds a team role see everything but act only for that team', async () => {
    const { referral: mine } = await submitted('Dual Role Discipline Page', 'STUDENT');
    const { referral: theirs } = await submitted('Dual Role HR Page', 'STAFF');
    const password = 'dual-role-password-1';
    await env.server.dataSource.transaction((m) => createUser(m, { email: 'dual@signpost.test', displayName: 'Dual Role', roles: ['SOCIAL_MEDIA_LEAD', 'DISCIPLINE'], password }));
    const dual = new TestClient(env.url);
    expect((await dual.login('dual@signpost.test', password)).ok).toBe(true);

    await hr.ok(ReferralsAddNoteDocument, { input: { referralId: theirs.id, body: 'HR only' } });
    const { referral: seen } = await dual.ok(ReferralsNotesAndSnapshotTeamDocument, { id: theirs.id });
    expect(seen).toEqual({ team: 'HR', notes: [], snapshot: { team: 'HR' } });

    // What the dual-role lead is told it may do on HR's referral, and on its own team's.
    const { referral: shownTheirs } = await dual.ok(ReferralsActionsDocument, { id: theirs.id });
    const ackTheirs = shownTheirs.availableActions.find((a) => a.action === 'acknowledge')!;
    expect(ackTheirs).toMatchObject({ allowed: false, refusedBy: 'role', unmet: ['only the HR team can acknowledge this referral'] });
    const { referral: shownMine } = await dual.ok(ReferralsActionsDocument, { id: mine.id });
    expect(shownMine.availableActions.find((a) => a.action === 'acknowledge')).toMatchObject({ allowed: true, unmet: [], refusedBy: null });

    const before = await sql(`SELECT status, version FROM referrals WHERE id = $1`, [theirs.id]);
    const refused = await dual.refuses('FORBIDDEN', ReferralsAcknowledgeDocument, { input: { id: theirs.id, version: theirs.version } });
    expect(refused.message).toBe('Only the HR team can acknowledge this referral.');
    expect(refused.extensions.permission).toBeNull();
    expect(await sql(`SELECT status, version FROM referrals WHERE id = $1`, [theirs.id])).toEqual(before);

    const { acknowledgeReferral } = await dual.ok(ReferralsAcknowledgeDocument, { input: { id: mine.id, version: mine.version } });
    expect(acknowledgeReferral.status).toBe('ACKNOWLEDGED');
    await dual.ok(ReferralsAddNoteDocument, { input: { referralId: mine.id, body: 'Dual note' } });
    expect((await dual.ok(ReferralsNotesDocument, { id: mine.id })).referral.notes).toEqual([{ team: 'DISCIPLINE', body: 'Dual note' }]);
  });

  it('scopes a referrals:read:<TEAM> service client to that team in SQL, without notes', async () => {
    const { referral: hrRef } = await submitted('Service HR Page', 'STAFF');
    const { referral: otherRef } = await submitted('Service Discipline Page', 'STUDENT');
    await hr.ok(ReferralsAddNoteDocument, { input: { referralId: hrRef.id, body: 'Not for services' } });
    const service = await env.asService(['referrals:read:HR']);
    const { referrals: page } = await service.ok(ReferralsListDocument, { first: 100 });
    const [{ n }] = await sql(`SELECT count(*)::int AS n FROM referrals WHERE team = 'HR' AND status <> 'DRAFT'`);
    expect(page.totalCount).toBe(n);
    expect(page.edges.map((e) => e.node.id)).toContain(hrRef.id);
    expect(page.edges.every((e) => e.node.team === 'HR' && e.node.status !== 'DRAFT')).toBe(true);
    await service.fails('NOT_FOUND', ReferralsGetDocument, { id: otherRef.id });
    const { referral } = await service.ok(ReferralsNotesAndSnapshotTeamDocument, { id: hrRef.id });
    expect(referral).toEqual({ team: 'HR', notes: [], snapshot: { team: 'HR' } });
    const [event] = await sql(
      `SELECT actor_label, referral_team FROM audit_events WHERE action = 'referral.read' AND actor_label LIKE 'service:%' AND (entity_id = $1 OR details -> 'referralIds' ? $1::text)`,
      [hrRef.id],
    );
    expect(event).toEqual({ actor_label: expect.stringMatching(/^service:/), referral_team: 'HR' });
  });

  it('sorts NEWEST, OLDEST and ACKNOWLEDGE_BY, each stable page after page, with cursors bound to their sort', async () => {
    const built = await groupIn(env, 'CONTACTING', { name: 'Sorting Page', administrators: ['STAFF'] });
    const made: Ref[] = [];
    for (let i = 0; i < 5; i++) made.push(ref(await draft(built.id, 'CONTENT_OF_CONCERN')));
    // Submitted out of creation order, so the deadlines order differently from creation.
    for (const i of [1, 3, 0]) await submit(made[i]!);
    const created = made.map((m) => m.id);
    const filter = { groupId: built.id };

    const { referrals: whole } = await officer.ok(ReferralsListDocument, { first: 100, filter, sort: 'ACKNOWLEDGE_BY' });
    const deadline = new Map(whole.edges.map((e) => [e.node.id, e.node.acknowledgeBy ? new Date(e.node.acknowledgeBy).getTime() : Infinity]));
    expect([...deadline.values()].filter((t) => t !== Infinity)).toHaveLength(3);
    const byDeadline = [...created].sort((a, b) => deadline.get(a)! - deadline.get(b)! || (a < b ? -1 : a > b ? 1 : 0));

    const expected: Record<Exclude<ReferralSort, 'OVERDUE_FIRST'>, string[]> = {
      NEWEST: [...created].reverse(),
      OLDEST: created,
      // Soonest deadline first; drafts (no deadline) last, by id.
      ACKNOWLEDGE_BY: byDeadline,
    };
    for (const [sort, order] of Object.entries(expected) as [ReferralSort, string[]][]) {
      for (const first of [1, 2, 3, 100]) {
        const { ids, pages } = await allPages(officer, first, filter, sort);
        expect(ids, `${sort} by ${first}`).toEqual(order);
        for (const p of pages) expect(p.totalCount).toBe(5);
      }
    }
    // No deadline is overdue here, so the default order is the newest first.
    expect((await allPages(officer, 2, filter)).ids).toEqual(expected.NEWEST);

    // A cursor names its order: one from another sort is refused rather than misread.
    const { referrals: newest } = await officer.ok(ReferralsListDocument, { first: 2, filter, sort: 'NEWEST' });
    const misused = await officer.fails('BAD_USER_INPUT', ReferralsListDocument, { first: 2, filter, sort: 'OLDEST', after: newest.pageInfo.endCursor });
    expect(misused.extensions.field).toBe('after');
  });

  it('keeps notes with their team and moves the referral, snapshot included, on transfer; the new team gets a fresh deadline', async () => {
    const { groupId, referral: r } = await submitted('Transfer Page', 'STUDENT');
    const { acknowledgeReferral } = await discipline.ok(ReferralsAcknowledgeDocument, { input: { id: r.id, version: r.version } });
    await discipline.ok(ReferralsAddNoteDocument, { input: { referralId: r.id, body: 'Not a student of ours after all.' } });
    for (const c of [officer, lead]) expect((await c.ok(ReferralsNotesTransfersDocument, { id: r.id })).referral.notes).toEqual([]);
    expect((await discipline.ok(ReferralsNotesTransfersDocument, { id: r.id })).referral.notes).toEqual([{ team: 'DISCIPLINE', body: 'Not a student of ours after all.' }]);

    // Refused transfers write nothing.
    const before = await dbState(groupId);
    const same = await discipline.refuses('TRANSITION_NOT_ALLOWED', ReferralsTransferDocument, { input: { id: r.id, version: acknowledgeReferral.version, toTeam: 'DISCIPLINE', reason: 'Same team' } });
    expect(same.extensions).toMatchObject({ entity: 'Referral', from: 'ACKNOWLEDGED', to: 'SUBMITTED', action: 'transfer', unmet: ['the referral is already with DISCIPLINE; choose a different team'] });
    const noReason = await discipline.refuses('BAD_USER_INPUT', ReferralsTransferDocument, { input: { id: r.id, version: acknowledgeReferral.version, toTeam: 'HR', reason: ' ' } });
    expect(noReason.extensions.field).toBe('input.reason');
    const stale = await discipline.refuses('CONFLICT', ReferralsTransferDocument, { input: { id: r.id, version: 1, toTeam: 'HR', reason: 'Staff member' } });
    expect(stale.extensions.currentVersion).toBe(acknowledgeReferral.version);
    expect(await dbState(groupId)).toEqual(before);

    const from = Date.now();
    const { transferReferral } = await discipline.ok(ReferralsTransferDocument, { input: { id: r.id, version: acknowledgeReferral.version, toTeam: 'HR', reason: 'The administrator is a member of staff.' } });
    const to = Date.now();
    expect(transferReferral).toMatchObject({ team: 'HR', status: 'SUBMITTED', acknowledgedAt: null, acknowledgementOverdue: false });
    // The deadline starts again: the configured working days from the transfer, not from the submission.
    expect(transferReferral.acknowledgeBy).not.toBe(r.acknowledgeBy);
    expect(countedFromBetween(new Date(transferReferral.acknowledgeBy!), from, to), `${transferReferral.acknowledgeBy} is not ${WORKING_DAYS} working days after the transfer`).toBe(true);

    // Gone for the old team, in the list and by id; there for the new one.
    const gone = await discipline.fails('NOT_FOUND', ReferralsGetDocument, { id: r.id });
    sameError(gone, await discipline.fails('NOT_FOUND', ReferralsGetDocument, { id: RANDOM_ID }));
    const disciplineIds = (await discipline.ok(ReferralsListDocument, { first: 100 })).referrals.edges.map((e) => e.node.id);
    expect(disciplineIds).not.toContain(r.id);
    const hrIds = (await hr.ok(ReferralsListDocument, { first: 100 })).referrals.edges.map((e) => e.node.id);
    expect(hrIds).toContain(r.id);
    await discipline.refuses('NOT_FOUND', ReferralsAcknowledgeDocument, { input: { id: r.id, version: transferReferral.version } });
    // HR reads the same deadline the transfer answered with, as stored.
    expect((await hr.ok(ReferralsGetDocument, { id: r.id })).referral).toMatchObject({ acknowledgeBy: transferReferral.acknowledgeBy, version: transferReferral.version });

    // The new team sees the snapshot and the transfer, never the old team's notes.
    const forHr = await hr.ok(ReferralsNotesTransfersDocument, { id: r.id });
    expect(forHr.referral).toEqual({ notes: [], transfers: [{ fromTeam: 'DISCIPLINE', toTeam: 'HR', reason: 'The administrator is a member of staff.' }], snapshot: { team: 'HR' } });
    await hr.ok(ReferralsAddNoteDocument, { input: { referralId: r.id, body: 'HR is on it.' } });
    expect((await hr.ok(ReferralsNotesTransfersDocument, { id: r.id })).referral.notes).toEqual([{ team: 'HR', body: 'HR is on it.' }]);
    const rows = await sql(`SELECT team, body FROM referral_notes WHERE referral_id = $1 ORDER BY created_at`, [r.id]);
    expect(rows).toEqual([{ team: 'DISCIPLINE', body: 'Not a student of ours after all.' }, { team: 'HR', body: 'HR is on it.' }]);
    expect(await sql(`SELECT team FROM referral_snapshots WHERE referral_id = $1`, [r.id])).toEqual([{ team: 'HR' }]);

    // HR starts again: acknowledge, then close; a closed referral cannot be transferred.
    const { acknowledgeReferral: ack2 } = await hr.ok(ReferralsAcknowledgeDocument, { input: { id: r.id, version: transferReferral.version } });
    const { closeReferral } = await hr.ok(ReferralsCloseDocument, { input: { id: r.id, version: ack2.version, outcome: 'NO_FURTHER_ACTION' } });
    const closedTransfer = await hr.refuses('TRANSITION_NOT_ALLOWED', ReferralsTransferDocument, { input: { id: r.id, version: closeReferral.version, toTeam: 'LEGAL', reason: 'Too late' } });
    expect(closedTransfer.extensions).toMatchObject({ from: 'CLOSED', action: 'transfer' });
    expect(closedTransfer.extensions.unmet).toEqual(['a referral that is closed cannot be changed this way: only one that is submitted, acknowledged or in progress']);
    const lastTransfer = await sql(`SELECT action, referral_team, details FROM audit_events WHERE entity_id = $1 AND action = 'referral.transfer'`, [r.id]);
    expect(lastTransfer).toEqual([{ action: 'referral.transfer', referral_team: 'DISCIPLINE', details: { fromTeam: 'DISCIPLINE', toTeam: 'HR', from: 'ACKNOWLEDGED', to: 'SUBMITTED' } }]);
  });

  it('takes notes while the team works on a referral, and none once it is closed', async () => {
    const { groupId, referral: r } = await submitted('Closed Notes Page', 'STAFF');
    const note = (body: string) => ({ input: { referralId: r.id, body } });
    await hr.ok(ReferralsAddNoteDocument, note('Received.'));
    const { acknowledgeReferral } = await hr.ok(ReferralsAcknowledgeDocument, { input: ref(r) });
    await hr.ok(ReferralsAddNoteDocument, note('Acknowledged; looking into it.'));
    const { updateReferralStatus } = await hr.ok(ReferralsUpdateStatusDocument, { input: { ...ref(acknowledgeReferral), status: 'IN_PROGRESS' } });
    await hr.ok(ReferralsAddNoteDocument, note('Meeting with the member of staff booked.'));
    const { closeReferral } = await hr.ok(ReferralsCloseDocument, { input: { ...ref(updateReferralStatus), outcome: 'ACTION_TAKEN' } });

    // The team is told before trying, and the API refuses in the same words.
    const { referral } = await hr.ok(ReferralsActionsDocument, { id: r.id });
    const answer = referral.availableActions.find((a) => a.action === 'addNote')!;
    expect(answer).toMatchObject({ allowed: false, refusedBy: 'lifecycle', unmet: ['a referral that is closed cannot be changed this way: only one that is submitted, acknowledged or in progress'] });
    const before = await dbState(groupId);
    const refused = await hr.refuses('TRANSITION_NOT_ALLOWED', ReferralsAddNoteDocument, note('Afterthought.'));
    expect(refused.extensions).toMatchObject({ entity: 'Referral', from: 'CLOSED', action: 'addNote', unmet: answer.unmet });
    expect(await dbState(groupId)).toEqual(before);
    expect(closeReferral.status).toBe('CLOSED');
    expect((await hr.ok(ReferralsNotesDocument, { id: r.id })).referral.notes.map((n) => n.body)).toEqual([
      'Received.', 'Acknowledged; looking into it.', 'Meeting with the member of staff booked.',
    ]);
  });

  it("lets HR select routing in its acknowledgement: null, and the acknowledgement is saved; a failing selection undoes the whole mutation", async () => {
    const { groupId, referral: r } = await submitted('HR Routing Page', 'STAFF');
    // Routing is for those who draft; HR reads it as null, with no error, whether it asks in a query or a mutation.
    expect((await hr.ok(ReferralsRoutingOfDocument, { id: r.id })).referral).toEqual({ id: r.id, status: 'SUBMITTED', routing: null });
    const { acknowledgeReferral } = await hr.ok(ReferralsAcknowledgeWithRoutingDocument, { input: ref(r) });
    expect(acknowledgeReferral).toEqual({ id: r.id, status: 'ACKNOWLEDGED', routing: null });
    // Really saved: read back, and in the audit trail.
    expect((await hr.ok(ReferralsGetDocument, { id: r.id })).referral).toMatchObject({ status: 'ACKNOWLEDGED', version: r.version + 1, acknowledgedAt: expect.any(String) });
    const [{ n }] = await sql(`SELECT count(*)::int AS n FROM audit_events WHERE entity_id = $1 AND action = 'referral.acknowledge'`, [r.id]);
    expect(n).toBe(1);
    // The social media team sees routing only on drafts.
    expect((await lead.ok(ReferralsRoutingOfDocument, { id: r.id })).referral.routing).toBeNull();
    const d = await draft(groupId, 'CONTENT_OF_CONCERN');
    expect((await lead.ok(ReferralsRoutingOfDocument, { id: d.id })).referral.routing).toEqual({ teams: ['HR'] });

    // A field HR may not read fails the mutation: no data, rolled back, nothing written.
    const { referral: other } = await submitted('HR Rollback Page', 'STAFF');
    const otherGroup = (await lead.ok(ReferralsGetDocument, { id: other.id })).referral;
    const before = await sql(`SELECT status, version, acknowledged_at FROM referrals WHERE id = $1`, [other.id]);
    const events = await sql(`SELECT count(*)::int AS n FROM audit_events WHERE entity_id = $1 AND action <> 'referral.read'`, [other.id]);
    const failed = await hr.refuses('FORBIDDEN', ReferralsAcknowledgeWithGroupNotesDocument, { input: ref(other) });
    expect(failed.extensions.permission).toBe('group.readInternal');
    expect(failed.path).toEqual(['acknowledgeReferral', 'group', 'notes']);
    expect(await sql(`SELECT status, version, acknowledged_at FROM referrals WHERE id = $1`, [other.id])).toEqual(before);
    expect(await sql(`SELECT count(*)::int AS n FROM audit_events WHERE entity_id = $1 AND action <> 'referral.read'`, [other.id])).toEqual(events);
    expect((await hr.ok(ReferralsGetDocument, { id: other.id })).referral).toMatchObject({ status: 'SUBMITTED', version: otherGroup.version, acknowledgedAt: null });
    // And the same acknowledgement, asked for plainly, then succeeds at the version HR read.
    expect((await hr.ok(ReferralsAcknowledgeDocument, { input: ref(other) })).acknowledgeReferral.status).toBe('ACKNOWLEDGED');
  });

  describe('availableActions, role by role and status by status, enforced exactly as reported', () => {
    const STATUSES: ReferralStatus[] = ['DRAFT', 'SUBMITTED', 'ACKNOWLEDGED', 'IN_PROGRESS', 'CLOSED'];
    type Viewer = 'officer' | 'lead' | 'discipline' | 'hr' | 'service';
    /** What each may do, by status: the policy's table, as a person would read it. */
    const ALLOWED: Record<'officer' | 'lead' | 'discipline' | 'service', Record<ReferralStatus, ReferralAction[]>> = {
      officer: { DRAFT: ['updateDraft'], SUBMITTED: [], ACKNOWLEDGED: [], IN_PROGRESS: [], CLOSED: [] },
      lead: { DRAFT: ['updateDraft', 'submit'], SUBMITTED: [], ACKNOWLEDGED: [], IN_PROGRESS: [], CLOSED: [] },
      discipline: {
        DRAFT: [],
        SUBMITTED: ['acknowledge', 'addNote', 'transfer'],
        ACKNOWLEDGED: ['startProgress', 'addNote', 'transfer', 'close'],
        IN_PROGRESS: ['addNote', 'transfer', 'close'],
        CLOSED: [],
      },
      service: { DRAFT: [], SUBMITTED: [], ACKNOWLEDGED: [], IN_PROGRESS: [], CLOSED: [] },
    };
    let groupId: string;
    beforeAll(async () => {
      groupId = (await seedGroup('Actions Page', ['STUDENT'])).groupId;
    });

    const as = async (who: Viewer): Promise<TestClient> => (who === 'service' ? env.asService(['referrals:read:DISCIPLINE']) : env.as(who));

    /** A fresh referral (routed to DISCIPLINE) brought to `status` the way people do. */
    async function referralIn(status: ReferralStatus): Promise<Ref> {
      let r = ref(await draft(groupId));
      if (status === 'DRAFT') return r;
      r = ref(await submit(r));
      if (status === 'SUBMITTED') return r;
      r = ref((await discipline.ok(ReferralsAcknowledgeDocument, { input: r })).acknowledgeReferral);
      if (status === 'ACKNOWLEDGED') return r;
      r = ref((await discipline.ok(ReferralsUpdateStatusDocument, { input: { ...r, status: 'IN_PROGRESS' } })).updateReferralStatus);
      if (status === 'IN_PROGRESS') return r;
      return ref((await discipline.ok(ReferralsCloseDocument, { input: { ...r, outcome: 'NO_FURTHER_ACTION' } })).closeReferral);
    }

    /** Takes the action through its mutation; with `code`, it must be refused with it (and write nothing). */
    async function act(c: TestClient, action: ReferralAction, r: Ref, code?: ErrorCode): Promise<unknown> {
      const run = <R, V>(doc: Document<R, V>, variables: V) => (code ? c.refuses(code, doc, variables) : c.ok(doc, variables));
      switch (action) {
        case 'updateDraft':
          return run(ReferralsUpdateDraftDocument, { input: { ...ref(r), summary: 'Edited from the actions check.' } });
        case 'submit':
          return run(ReferralsSubmitDocument, { input: { ...ref(r), routing: { mode: 'AUTO' } } });
        case 'acknowledge':
          return run(ReferralsAcknowledgeDocument, { input: ref(r) });
        case 'startProgress':
          return run(ReferralsUpdateStatusDocument, { input: { ...ref(r), status: 'IN_PROGRESS' } });
        case 'addNote':
          return run(ReferralsAddNoteDocument, { input: { referralId: r.id, body: 'A note from the actions check.' } });
        case 'transfer':
          return run(ReferralsTransferDocument, { input: { ...ref(r), toTeam: 'HR', reason: 'The actions check moves it on.' } });
        case 'close':
          return run(ReferralsCloseDocument, { input: { ...ref(r), outcome: 'NO_FURTHER_ACTION' } });
      }
    }

    const TEAM_ACTIONS: ReferralAction[] = ['acknowledge', 'startProgress', 'addNote', 'transfer', 'close'];

    for (const status of STATUSES) {
      it(`another team's member, and any team on a draft, cannot see a ${status} referral: NOT_FOUND, as for no referral at all`, async () => {
        const target = await referralIn(status);
        const before = await dbState(groupId);
        const blind: TestClient[] = status === 'DRAFT' ? [hr, discipline, await as('service')] : [hr];
        for (const c of blind) {
          sameError(await c.fails('NOT_FOUND', ReferralsActionsDocument, { id: target.id }), await c.fails('NOT_FOUND', ReferralsActionsDocument, { id: RANDOM_ID }));
        }
        // Nor act on it: the team's own actions answer as for a referral that does not exist.
        for (const action of TEAM_ACTIONS) {
          for (const c of [hr, ...(status === 'DRAFT' ? [discipline] : [])]) {
            sameError((await act(c, action, target, 'NOT_FOUND')) as ContractError, (await act(c, action, { id: RANDOM_ID, version: target.version }, 'NOT_FOUND')) as ContractError);
          }
        }
        expect(await dbState(groupId)).toEqual(before);
      });

      for (const who of ['officer', 'lead', 'discipline', 'service'] as const) {
        if (status === 'DRAFT' && (who === 'discipline' || who === 'service')) continue;
        it(`${who} on a ${status} referral: every action succeeds or is refused exactly as reported`, async () => {
          const c = await as(who);
          const target = await referralIn(status);
          const { referral } = await c.ok(ReferralsActionsDocument, { id: target.id });
          expect(referral).toMatchObject({ id: target.id, status, version: target.version });
          expect(referral.availableActions.map((a) => a.action)).toEqual(['updateDraft', 'submit', 'acknowledge', 'startProgress', 'addNote', 'transfer', 'close']);
          expect(referral.availableActions.filter((a) => a.allowed).map((a) => a.action)).toEqual(ALLOWED[who][status]);

          for (const answer of referral.availableActions) {
            const where = `${who} ${answer.action} on ${status}: ${JSON.stringify(answer)}`;
            expect(answer.allowed, where).toBe(answer.unmet.length === 0);
            expect(answer.refusedBy === null, where).toBe(answer.allowed);
            if (answer.allowed) {
              // On a fresh referral in the same status, so every allowed action is really taken.
              const fresh = await referralIn(status);
              const done = Object.values((await act(c, answer.action, fresh)) as Record<string, unknown>)[0] as { status?: ReferralStatus; referrals?: { status: ReferralStatus }[] };
              if (answer.to) expect(done.status ?? done.referrals?.[0]?.status, where).toBe(answer.to);
              continue;
            }
            const before = await dbState(groupId);
            if (answer.refusedBy === 'role') {
              const err = (await act(c, answer.action, target, 'FORBIDDEN')) as ContractError<'FORBIDDEN'>;
              expect(err.message.toLowerCase(), where).toContain(answer.unmet[0]!.toLowerCase());
              expect(err.extensions.permission, where).toBe(referralActionPermission(answer.action));
            } else {
              const err = (await act(c, answer.action, target, 'TRANSITION_NOT_ALLOWED')) as ContractError<'TRANSITION_NOT_ALLOWED'>;
              expect(err.extensions, where).toMatchObject({ entity: 'Referral', from: status, to: answer.to, action: answer.action, unmet: answer.unmet });
            }
            expect(await dbState(groupId), where).toEqual(before);
          }
        });
      }
    }
  });

  it('resolves a page of 100 referrals and their fields in as many SQL statements as a page of 1', async () => {
    // 101 groups, each with a referral submitted to LEGAL (no administrator known then), and a draft once a member of staff is found.
    const bulk = async (i: number) => {
      const { createGroup } = await officer.ok(ReferralsCreateGroupDocument, { input: { name: `Bulk ${i}`, platform: 'REDDIT', kind: 'MEMES' } });
      expect((await submit(await draft(createGroup.id, 'CONTENT_OF_CONCERN'))).team).toBe('LEGAL');
      await officer.ok(ReferralsAddAdministratorDocument, { input: { groupId: createGroup.id, handle: '@bulk_admin', affiliation: 'STAFF' } });
      await draft(createGroup.id, 'REFUSED_ACCOUNTABILITY');
    };
    for (let i = 1; i <= 101; i += 10) await Promise.all(Array.from({ length: Math.min(10, 102 - i) }, (_, k) => bulk(i + k)));

    const ds = env.server.dataSource;
    const createQueryRunner = ds.createQueryRunner.bind(ds);
    let statements = 0;
    const spy = vi.spyOn(ds, 'createQueryRunner').mockImplementation((...args) => {
      const runner = createQueryRunner(...args);
      const query = runner.query.bind(runner);
      runner.query = ((...q: Parameters<typeof query>) => {
        // The request's own statements, not background work meanwhile (the audit sealer).
        if ((runner.data as { request?: boolean } | undefined)?.request) statements++;
        return query(...q);
      }) as typeof runner.query;
      return runner;
    });
    const count = async <R extends { referrals: { edges: unknown[] } }>(c: TestClient, doc: Document<R, { first?: number | null }>, first: number, rows: number) => {
      statements = 0;
      const data = await c.ok(doc, { first });
      expect(data.referrals.edges).toHaveLength(rows);
      return { statements, data };
    };
    try {
      // A session's first request learns the settings it is given (one statement more); count from the second.
      await legal.ok(ReferralsBulkTeamPageDocument, { first: 1 });
      await lead.ok(ReferralsBulkLeadPageDocument, { first: 1 });
      const legalOne = await count(legal, ReferralsBulkTeamPageDocument, 1, 1);
      const legalHundred = await count(legal, ReferralsBulkTeamPageDocument, 100, 100);
      expect(legalHundred.statements).toBe(legalOne.statements);
      expect(legalHundred.data.referrals.edges[99]!.node).toMatchObject({
        status: 'SUBMITTED', group: { name: expect.stringMatching(/^Bulk /) }, snapshot: { administrators: [] }, notes: [], transfers: [], submittedBy: { email: 'lead@signpost.test' },
      });
      expect(legalOne.statements).toBeLessThan(15);
      const leadOne = await count(lead, ReferralsBulkLeadPageDocument, 1, 1);
      const leadHundred = await count(lead, ReferralsBulkLeadPageDocument, 100, 100);
      expect(leadHundred.statements).toBe(leadOne.statements);
      expect(leadOne.statements).toBeLessThan(15);
      // The fields really were resolved for every row, not skipped.
      const last = leadHundred.data.referrals.edges[99]!.node;
      expect(last).toMatchObject({ notes: [], snapshot: null, routing: { teams: ['HR'], byTeam: [{ team: 'HR', administrators: [{ handle: '@bulk_admin' }] }] } });
      expect(last.group.referrals).toHaveLength(2);
    } finally {
      spy.mockRestore();
    }
  });
});

/**
 * Deadlines that fall due at once (0 working days: due the moment it is
 * routed, overdue a moment later), so the inbox's overdue filter and its
 * overdue-first order can be seen without waiting a week.
 */
describe.each(await databaseKinds())('overdue acknowledgements on %s', (kind) => {
  let env: TestEnvironment;
  beforeAll(async () => {
    env = await createTestEnvironment(kind, { config: { policy: { ...DEFAULT_POLICY_CONFIG, acknowledgementWorkingDays: 0 } } });
  });
  afterAll(() => env?.close());

  const { seedGroup, draft, submit } = helpers(() => env);

  it('flags overdue acknowledgements, filters them, and lists them first, page after page', async () => {
    const officer = await env.as('officer');
    const discipline = await env.as('discipline');
    const { groupId } = await seedGroup('Overdue Page', ['STUDENT']);
    // Created in this order: x1, x2, d1, x3, d2 (drafts d1 and d2 are never submitted).
    const x1 = ref(await draft(groupId));
    const x2 = ref(await draft(groupId));
    const d1 = ref(await draft(groupId));
    const x3 = ref(await draft(groupId));
    const d2 = ref(await draft(groupId));
    const s1 = await submit(x1);
    const s2 = await submit(x2);
    const s3 = await submit(x3);
    for (const s of [s1, s2, s3]) expect(s.acknowledgeBy).toBe(s.submittedAt);
    // x2 is acknowledged in time: it is no longer awaited, so never overdue.
    await discipline.ok(ReferralsAcknowledgeDocument, { input: ref(s2) });
    await new Promise((resolve) => setTimeout(resolve, 5));

    const flags = async (c: TestClient, filter: ReferralFilter = {}) =>
      Object.fromEntries((await c.ok(ReferralsListDocument, { first: 100, filter: { groupId, ...filter } })).referrals.edges.map((e) => [e.node.id, e.node.acknowledgementOverdue]));
    expect(await flags(officer)).toEqual({ [x1.id]: true, [x2.id]: false, [d1.id]: false, [x3.id]: true, [d2.id]: false });
    expect((await discipline.ok(ReferralsGetDocument, { id: x1.id })).referral.acknowledgementOverdue).toBe(true);

    // The filter, both ways, in SQL (totalCount agrees).
    const overdue = await officer.ok(ReferralsListDocument, { first: 100, filter: { groupId, overdue: true } });
    expect(overdue.referrals.totalCount).toBe(2);
    expect(overdue.referrals.edges.map((e) => e.node.id)).toEqual([x3.id, x1.id]);
    const inTime = await officer.ok(ReferralsListDocument, { first: 100, filter: { groupId, overdue: false } });
    expect(inTime.referrals.totalCount).toBe(3);
    expect(inTime.referrals.edges.map((e) => e.node.id)).toEqual([d2.id, d1.id, x2.id]);
    // A receiving team's inbox: its overdue referrals, and never drafts.
    expect((await discipline.ok(ReferralsListDocument, { first: 100, filter: { groupId, overdue: true } })).referrals.edges.map((e) => e.node.id)).toEqual([x3.id, x1.id]);

    // The default order: overdue first (newest first among them), then the rest, newest first; stable page by page.
    const order = [x3.id, x1.id, d2.id, d1.id, x2.id];
    for (const first of [1, 2, 3, 100]) {
      const ids: string[] = [];
      let after: string | null = null;
      do {
        const { referrals }: { referrals: ListPage } = await officer.ok(ReferralsListDocument, { first, after, filter: { groupId } });
        ids.push(...referrals.edges.map((e) => e.node.id));
        after = referrals.pageInfo.hasNextPage ? referrals.pageInfo.endCursor! : null;
      } while (after);
      expect(ids, `pages of ${first}`).toEqual(order);
    }
    expect((await officer.ok(ReferralsListDocument, { first: 100, filter: { groupId }, sort: 'OVERDUE_FIRST' })).referrals.edges.map((e) => e.node.id)).toEqual(order);
    expect((await officer.ok(ReferralsListDocument, { first: 100, filter: { groupId }, sort: 'NEWEST' })).referrals.edges.map((e) => e.node.id)).toEqual([d2.id, x3.id, d1.id, x2.id, x1.id]);

    // Acknowledging an overdue referral takes it out of the overdue list.
    await discipline.ok(ReferralsAcknowledgeDocument, { input: ref(s1) });
    expect((await officer.ok(ReferralsListDocument, { first: 100, filter: { groupId, overdue: true } })).referrals.edges.map((e) => e.node.id)).toEqual([x3.id]);
    expect((await flags(officer))[x1.id]).toBe(false);
  });
});
