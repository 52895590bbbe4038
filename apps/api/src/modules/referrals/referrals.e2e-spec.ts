import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createTestEnvironment, databaseKinds, type DemoAccount, type TestEnvironment } from '../../testing/test-environment.js';
import { TestClient, type GraphQLErrorShape } from '../../testing/test-client.js';
import { createUser } from '../users/user.service.js';

const CREATE_GROUP = `mutation($input: CreateGroupInput!) { createGroup(input: $input) { id version status } }`;
const FIELDS = `id status team reason summary version splitKey routingOverrideReason submittedAt acknowledgedAt closedAt outcome outcomeNote`;
const DRAFT = `mutation($input: DraftReferralInput!) { draftReferral(input: $input) { ${FIELDS} routing { teams needsDecision } snapshot { takenAt } } }`;
const UPDATE_DRAFT = `mutation($input: UpdateReferralDraftInput!) { updateReferralDraft(input: $input) { ${FIELDS} } }`;
const SUBMIT = `mutation($input: SubmitReferralInput!) { submitReferral(input: $input) { referrals { ${FIELDS} routing { teams } } group { id status } } }`;
const ACK = `mutation($input: AcknowledgeReferralInput!) { acknowledgeReferral(input: $input) { ${FIELDS} } }`;
const STATUS = `mutation($input: UpdateReferralStatusInput!) { updateReferralStatus(input: $input) { ${FIELDS} } }`;
const NOTE = `mutation($input: AddReferralNoteInput!) { addReferralNote(input: $input) { id team body createdAt } }`;
const TRANSFER = `mutation($input: TransferReferralInput!) { transferReferral(input: $input) { ${FIELDS} } }`;
const CLOSE = `mutation($input: CloseReferralInput!) { closeReferral(input: $input) { ${FIELDS} } }`;
const GET = `query($id: ID!) { referral(id: $id) { ${FIELDS} } }`;
const GET_DETAIL = `query($id: ID!) { referral(id: $id) {
  ${FIELDS}
  group { id name platform handle url status }
  snapshot { takenAt team group { id name platform handle url } administrators { id handle name affiliation universityId }
             contacts { id summary direction outcome steps occurredAt } concerns { id category severity seenAt actionTaken } }
  notes { id team body }
  transfers { fromTeam toTeam reason createdAt }
  createdBy { email } submittedBy { email }
} }`;
const LIST = `query($filter: ReferralFilter, $first: Int, $after: String) {
  referrals(filter: $filter, first: $first, after: $after) { totalCount edges { node { id team status } } pageInfo { hasNextPage endCursor } } }`;
const ROUTING = `query($groupId: ID!) { referralRouting(groupId: $groupId) { teams needsDecision explanation byTeam { team administrators { id handle affiliation } } } }`;

const ROLES: (DemoAccount | 'anonymous')[] = ['officer', 'lead', 'discipline', 'hr', 'legal', 'dpo', 'admin', 'anonymous'];
const RANDOM_ID = '00000000-0000-4000-8000-000000000000';

type Affiliation = 'STUDENT' | 'STAFF' | 'ALUMNI' | 'UNAFFILIATED' | 'UNKNOWN';

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

  const sql = (text: string, params: unknown[] = []) => env.server.dataSource.query(text, params);
  const client = async (who: DemoAccount | 'anonymous') => (who === 'anonymous' ? env.anonymous() : env.as(who));

  /**
   * A group with administrators, a contact and a concern, put straight into
   * `status` (the contacts module is built elsewhere).
   */
  async function seedGroup(name: string, admins: Affiliation[], status = 'REFUSED') {
    const { createGroup } = await officer.ok(CREATE_GROUP, { input: { name, platform: 'INSTAGRAM', kind: 'CONFESSIONS', handle: `@${name.replace(/\W/g, '').toLowerCase()}` } });
    const groupId: string = createGroup.id;
    const adminIds: Record<string, string> = {};
    for (const [i, affiliation] of admins.entries()) {
      const handle = `@${affiliation.toLowerCase()}_${i}`;
      const [row] = await sql(
        `INSERT INTO administrators (group_id, handle, name, affiliation, university_id) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
        [groupId, handle, `Admin ${i}`, affiliation, `U${i}`],
      );
      adminIds[handle] = row.id;
    }
    await sql(
      `INSERT INTO contact_log_entries (group_id, occurred_at, channel, direction, summary, steps, outcome)
       VALUES ($1, now() - interval '3 days', 'PLATFORM_MESSAGE', 'OUTBOUND', 'Introduced the team and asked for the wording', '{INTRODUCED,WORDING_REQUESTED}', 'REFUSED_TO_ENGAGE')`,
      [groupId],
    );
    await sql(`INSERT INTO concerns (group_id, category, severity, seen_at, action_taken) VALUES ($1, 'PREJUDICE', 'HIGH', now() - interval '2 days', 'NONE')`, [groupId]);
    await sql(`UPDATE groups SET status = $2 WHERE id = $1`, [groupId, status]);
    return { groupId, adminIds };
  }

  async function draft(groupId: string, reason = 'REFUSED_TO_ENGAGE') {
    const { draftReferral } = await officer.ok(DRAFT, { input: { groupId, reason, summary: 'The administrators refused to engage with the team.' } });
    return draftReferral;
  }

  /** A group routed to one team (by its administrators' affiliation) and submitted by the lead. */
  async function submitted(name: string, affiliation: Affiliation) {
    const { groupId } = await seedGroup(name, [affiliation]);
    const d = await draft(groupId);
    const { submitReferral } = await lead.ok(SUBMIT, { input: { id: d.id, version: d.version, routing: { mode: 'AUTO' } } });
    return { groupId, referral: submitReferral.referrals[0] };
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

  const sameError = (a: GraphQLErrorShape, b: GraphQLErrorShape) => expect({ message: a.message, extensions: a.extensions }).toEqual({ message: b.message, extensions: b.extensions });

  it('routes, drafts, submits, and the receiving team takes the referral through to closing', async () => {
    const { groupId, adminIds } = await seedGroup('Flow Confessions', ['STUDENT']);

    const { referralRouting } = await officer.ok(ROUTING, { groupId });
    expect(referralRouting).toMatchObject({ teams: ['DISCIPLINE'], needsDecision: false });
    expect(referralRouting.explanation).toContain('DISCIPLINE');
    expect(referralRouting.byTeam).toEqual([{ team: 'DISCIPLINE', administrators: [{ id: adminIds['@student_0'], handle: '@student_0', affiliation: 'STUDENT' }] }]);

    const d = await draft(groupId);
    expect(d).toMatchObject({ status: 'DRAFT', team: null, version: 1, reason: 'REFUSED_TO_ENGAGE', routing: { teams: ['DISCIPLINE'], needsDecision: false }, snapshot: null });

    const { updateReferralDraft } = await officer.ok(UPDATE_DRAFT, { input: { id: d.id, version: 1, summary: 'Refused twice; see the contact log.' } });
    expect(updateReferralDraft).toMatchObject({ version: 2, summary: 'Refused twice; see the contact log.', status: 'DRAFT' });

    // A draft is invisible to the receiving teams, and only the lead submits.
    await discipline.fails('NOT_FOUND', GET, { id: d.id });
    await officer.fails('FORBIDDEN', SUBMIT, { input: { id: d.id, version: 2, routing: { mode: 'AUTO' } } });

    const { submitReferral } = await lead.ok(SUBMIT, { input: { id: d.id, version: 2, routing: { mode: 'AUTO' } } });
    expect(submitReferral.group).toEqual({ id: groupId, status: 'REFERRED' });
    expect(submitReferral.referrals).toHaveLength(1);
    const submittedRef = submitReferral.referrals[0];
    expect(submittedRef).toMatchObject({ id: d.id, status: 'SUBMITTED', team: 'DISCIPLINE', version: 3, splitKey: null, routingOverrideReason: null, routing: null });
    expect(submittedRef.submittedAt).not.toBeNull();

    const { referral } = await discipline.ok(GET_DETAIL, { id: d.id });
    expect(referral).toMatchObject({
      status: 'SUBMITTED',
      team: 'DISCIPLINE',
      group: { id: groupId, name: 'Flow Confessions', platform: 'INSTAGRAM', handle: '@flowconfessions', url: null, status: 'REFERRED' },
      notes: [],
      transfers: [],
      createdBy: { email: 'officer@signpost.test' },
      submittedBy: { email: 'lead@signpost.test' },
    });
    expect(referral.snapshot).toMatchObject({
      team: 'DISCIPLINE',
      group: { id: groupId, name: 'Flow Confessions', platform: 'INSTAGRAM', handle: '@flowconfessions', url: null },
      administrators: [{ id: adminIds['@student_0'], handle: '@student_0', name: 'Admin 0', affiliation: 'STUDENT', universityId: 'U0' }],
      contacts: [{ summary: 'Introduced the team and asked for the wording', direction: 'OUTBOUND', outcome: 'REFUSED_TO_ENGAGE', steps: ['INTRODUCED', 'WORDING_REQUESTED'] }],
      concerns: [{ category: 'PREJUDICE', severity: 'HIGH', actionTaken: 'NONE' }],
    });

    // The snapshot is frozen: a later change to the administrator does not reach it.
    await sql(`UPDATE administrators SET name = 'Renamed' WHERE id = $1`, [adminIds['@student_0']]);
    const again = await discipline.ok(`query($id: ID!) { referral(id: $id) { snapshot { administrators { name } } } }`, { id: d.id });
    expect(again.referral.snapshot.administrators).toEqual([{ name: 'Admin 0' }]);

    // The receiving team reaches the group's basic fields, never its internals.
    await discipline.fails('FORBIDDEN', `query($id: ID!) { referral(id: $id) { group { notes } } }`, { id: d.id });
    await discipline.fails('FORBIDDEN', `query($id: ID!) { referral(id: $id) { group { referrals { id } } } }`, { id: d.id });

    // Closing before acknowledging is refused and changes nothing.
    const before = await dbState(groupId);
    const early = await discipline.fails('TRANSITION_NOT_ALLOWED', CLOSE, { input: { id: d.id, version: 3, outcome: 'ACTION_TAKEN' } });
    expect(early.extensions?.unmet).toBe('the receiving team must acknowledge the referral first');
    expect(await dbState(groupId)).toEqual(before);

    const { acknowledgeReferral } = await discipline.ok(ACK, { input: { id: d.id, version: 3 } });
    expect(acknowledgeReferral).toMatchObject({ status: 'ACKNOWLEDGED', version: 4 });
    expect(acknowledgeReferral.acknowledgedAt).not.toBeNull();

    const viaStatus = await discipline.fails('BAD_USER_INPUT', STATUS, { input: { id: d.id, version: 4, status: 'CLOSED' } });
    expect(viaStatus.extensions?.field).toBe('input.status');
    expect(viaStatus.message).toContain('closeReferral');
    const backwards = await discipline.fails('TRANSITION_NOT_ALLOWED', STATUS, { input: { id: d.id, version: 4, status: 'DRAFT' } });
    expect(backwards.extensions?.unmet).toContain('from ACKNOWLEDGED it can go to IN_PROGRESS or CLOSED');

    const { updateReferralStatus } = await discipline.ok(STATUS, { input: { id: d.id, version: 4, status: 'IN_PROGRESS' } });
    expect(updateReferralStatus).toMatchObject({ status: 'IN_PROGRESS', version: 5 });

    const stale = await dbState(groupId);
    await discipline.fails('CONFLICT', STATUS, { input: { id: d.id, version: 4, status: 'IN_PROGRESS' } });
    await discipline.fails('CONFLICT', CLOSE, { input: { id: d.id, version: 4, outcome: 'ACTION_TAKEN' } });
    expect(await dbState(groupId)).toEqual(stale);

    const { addReferralNote } = await discipline.ok(NOTE, { input: { referralId: d.id, body: 'Student record found; meeting booked.' } });
    expect(addReferralNote).toMatchObject({ team: 'DISCIPLINE', body: 'Student record found; meeting booked.' });

    const { closeReferral } = await discipline.ok(CLOSE, { input: { id: d.id, version: 5, outcome: 'ACTION_TAKEN', outcomeNote: 'Warning issued.' } });
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
    for (const text of ['refused', 'Student record', 'Warning issued', '@student_0', 'Admin 0', 'Introduced']) expect(details).not.toContain(text);
  });

  it('records a read once per request per referral, and only when referrals are actually returned', async () => {
    const { referral } = await submitted('Audit Reads Page', 'STUDENT');
    const countReads = async (requestId: string) =>
      (await sql(`SELECT count(*)::int AS n FROM audit_events WHERE request_id = $1 AND action = 'referral.read' AND entity_id = $2`, [requestId, referral.id]))[0].n;
    const send = async (requestId: string, query: string, variables: Record<string, unknown>) => {
      const res = await fetch(`${env.url}/graphql`, { method: 'POST', headers: discipline.headers({ 'x-request-id': requestId }), body: JSON.stringify({ query, variables }) });
      const body = (await res.json()) as { errors?: unknown };
      expect(body.errors).toBeUndefined();
    };
    await send('reads-1', `query($id: ID!) { a: referral(id: $id) { id } b: referral(id: $id) { id snapshot { takenAt } } }`, { id: referral.id });
    expect(await countReads('reads-1')).toBe(1);
    await send('reads-2', `query { referrals(first: 100) { edges { node { id snapshot { takenAt } } } } }`, {});
    expect(await countReads('reads-2')).toBe(1);
    await send('reads-3', `query { referrals(first: 100) { totalCount } }`, {});
    expect(await countReads('reads-3')).toBe(0);
    const [event] = await sql(`SELECT actor_label, entity_type, group_id, referral_team, details FROM audit_events WHERE request_id = 'reads-1' AND action = 'referral.read'`);
    expect(event).toEqual({ actor_label: 'discipline@signpost.test', entity_type: 'Referral', group_id: expect.any(String), referral_team: 'DISCIPLINE', details: {} });
  });

  it('splits a referral when administrators belong to different teams, each snapshot holding only its own administrators', async () => {
    const { groupId, adminIds } = await seedGroup('Split Page', ['STUDENT', 'STAFF']);
    const { referralRouting } = await lead.ok(ROUTING, { groupId });
    expect(referralRouting).toMatchObject({ teams: ['DISCIPLINE', 'HR'], needsDecision: true });
    const d = await draft(groupId);

    // AUTO cannot decide between two teams: refused, and nothing written.
    const before = await dbState(groupId);
    const auto = await lead.fails('BAD_USER_INPUT', SUBMIT, { input: { id: d.id, version: 1, routing: { mode: 'AUTO' } } });
    expect(auto.extensions?.field).toBe('input.routing.mode');
    expect(auto.message).toContain('DISCIPLINE and HR');
    expect(await dbState(groupId)).toEqual(before);

    const { submitReferral } = await lead.ok(SUBMIT, { input: { id: d.id, version: 1, routing: { mode: 'SPLIT' } } });
    const [first, second] = submitReferral.referrals;
    expect(submitReferral.referrals).toHaveLength(2);
    expect(first).toMatchObject({ id: d.id, team: 'DISCIPLINE', status: 'SUBMITTED' });
    expect(second).toMatchObject({ team: 'HR', status: 'SUBMITTED', reason: 'REFUSED_TO_ENGAGE', summary: d.summary });
    expect(second.id).not.toBe(d.id);
    expect(first.splitKey).toMatch(/^[0-9a-f-]{36}$/);
    expect(second.splitKey).toBe(first.splitKey);
    expect(submitReferral.group.status).toBe('REFERRED');

    const snap = `query($id: ID!) { referral(id: $id) { team snapshot { team administrators { id handle } contacts { id } concerns { id } } } }`;
    const forDiscipline = await discipline.ok(snap, { id: first.id });
    expect(forDiscipline.referral.snapshot).toMatchObject({ team: 'DISCIPLINE', administrators: [{ id: adminIds['@student_0'], handle: '@student_0' }] });
    expect(forDiscipline.referral.snapshot.contacts).toHaveLength(1);
    expect(forDiscipline.referral.snapshot.concerns).toHaveLength(1);
    const forHr = await hr.ok(snap, { id: second.id });
    expect(forHr.referral.snapshot).toMatchObject({ team: 'HR', administrators: [{ id: adminIds['@staff_1'], handle: '@staff_1' }] });
    // And in the database, not only in the API's answer.
    const rows: { team: string; data: { administrators: { handle: string }[] } }[] = await sql(
      `SELECT s.team, s.data FROM referral_snapshots s JOIN referrals r ON r.id = s.referral_id WHERE r.group_id = $1 ORDER BY s.team`,
      [groupId],
    );
    expect(rows.map((r) => [r.team, r.data.administrators.map((a) => a.handle)])).toEqual([['DISCIPLINE', ['@student_0']], ['HR', ['@staff_1']]]);

    await discipline.fails('NOT_FOUND', snap, { id: second.id });
    await hr.fails('NOT_FOUND', snap, { id: first.id });
    const { group } = await lead.ok(`query($id: ID!) { group(id: $id) { referrals { id team } } }`, { id: groupId });
    expect(group.referrals.map((r: { team: string }) => r.team).sort()).toEqual(['DISCIPLINE', 'HR']);
  });

  it('lets the lead override routing with a written reason, and refuses a short or missing one', async () => {
    const { groupId, adminIds } = await seedGroup('Override Page', ['STUDENT', 'STAFF']);
    const d = await draft(groupId);
    const before = await dbState(groupId);
    const short = await lead.fails('BAD_USER_INPUT', SUBMIT, { input: { id: d.id, version: 1, routing: { mode: 'OVERRIDE', team: 'LEGAL', reason: 'too short' } } });
    expect(short.extensions?.field).toBe('input.routing.reason');
    expect(short.message).toContain('at least 10 characters');
    const noTeam = await lead.fails('BAD_USER_INPUT', SUBMIT, { input: { id: d.id, version: 1, routing: { mode: 'OVERRIDE', reason: 'Both are contractors of the students union.' } } });
    expect(noTeam.extensions?.field).toBe('input.routing.team');
    const badChars = await lead.fails('BAD_USER_INPUT', SUBMIT, { input: { id: d.id, version: 1, routing: { mode: 'OVERRIDE', team: 'LEGAL', reason: 'Reason with \u202e override' } } });
    expect(badChars.extensions?.field).toBe('input.routing.reason');
    expect(await dbState(groupId)).toEqual(before);

    const reason = 'Both administrators act for an outside company; legal must handle it.';
    const { submitReferral } = await lead.ok(SUBMIT, { input: { id: d.id, version: 1, routing: { mode: 'OVERRIDE', team: 'LEGAL', reason } } });
    expect(submitReferral.referrals).toHaveLength(1);
    expect(submitReferral.referrals[0]).toMatchObject({ id: d.id, team: 'LEGAL', status: 'SUBMITTED', routingOverrideReason: reason, splitKey: null });
    const { referral } = await legal.ok(`query($id: ID!) { referral(id: $id) { snapshot { administrators { id } } } }`, { id: d.id });
    expect(referral.snapshot.administrators.map((a: { id: string }) => a.id).sort()).toEqual([adminIds['@student_0'], adminIds['@staff_1']].sort());
    await discipline.fails('NOT_FOUND', GET, { id: d.id });
    await hr.fails('NOT_FOUND', GET, { id: d.id });
  });

  it('refuses submissions the policy does not allow, writing nothing', async () => {
    // A refusal referral needs an unresponsive or refused group.
    const { groupId } = await seedGroup('Early Page', ['STUDENT'], 'CONTACTING');
    const d = await draft(groupId);
    const before = await dbState(groupId);
    const early = await lead.fails('TRANSITION_NOT_ALLOWED', SUBMIT, { input: { id: d.id, version: 1, routing: { mode: 'AUTO' } } });
    expect(early.extensions).toMatchObject({ from: 'DRAFT', to: 'SUBMITTED' });
    expect(early.extensions?.unmet).toContain('UNRESPONSIVE or REFUSED');
    await lead.fails('CONFLICT', SUBMIT, { input: { id: d.id, version: 7, routing: { mode: 'AUTO' } } });
    await lead.fails('NOT_FOUND', SUBMIT, { input: { id: RANDOM_ID, version: 1, routing: { mode: 'AUTO' } } });
    const badMode = await lead.fails('BAD_USER_INPUT', SUBMIT, { input: { id: 'not-an-id', version: 1, routing: { mode: 'AUTO' } } });
    expect(badMode.extensions?.field).toBe('input.id');
    expect(await dbState(groupId)).toEqual(before);

    // Content of concern may be referred at any time; the group moves to REFERRED from CONTACTING.
    const { updateReferralDraft } = await officer.ok(UPDATE_DRAFT, { input: { id: d.id, version: 1, reason: 'CONTENT_OF_CONCERN' } });
    const { submitReferral } = await lead.ok(SUBMIT, { input: { id: d.id, version: updateReferralDraft.version, routing: { mode: 'AUTO' } } });
    expect(submitReferral.group.status).toBe('REFERRED');

    // Once submitted, it can be neither submitted again nor edited as a draft.
    const after = await dbState(groupId);
    const twice = await lead.fails('TRANSITION_NOT_ALLOWED', SUBMIT, { input: { id: d.id, version: 3, routing: { mode: 'AUTO' } } });
    expect(twice.extensions?.unmet).toContain('only a DRAFT referral can be submitted');
    const edit = await officer.fails('TRANSITION_NOT_ALLOWED', UPDATE_DRAFT, { input: { id: d.id, version: 3, summary: 'Changed afterwards' } });
    expect(edit.extensions?.unmet).toContain('only a DRAFT referral can be edited');
    expect(await dbState(groupId)).toEqual(after);

    // No referral is drafted for a closed group.
    const closed = await seedGroup('Closed Page', [], 'CLOSED');
    const refused = await officer.fails('TRANSITION_NOT_ALLOWED', DRAFT, { input: { groupId: closed.groupId, reason: 'CONTENT_OF_CONCERN', summary: 'Too late' } });
    expect(refused.extensions?.unmet).toContain('CLOSED');
    expect((await dbState(closed.groupId)).referrals).toBeNull();
    const blank = await officer.fails('BAD_USER_INPUT', DRAFT, { input: { groupId, reason: 'CONTENT_OF_CONCERN', summary: '   ' } });
    expect(blank.extensions?.field).toBe('input.summary');
    await officer.fails('NOT_FOUND', DRAFT, { input: { groupId: RANDOM_ID, reason: 'CONTENT_OF_CONCERN', summary: 'Nobody' } });
  });

  it('sends a group without known administrators to LEGAL', async () => {
    const { groupId } = await seedGroup('Faceless Page', [], 'UNRESPONSIVE');
    const { referralRouting } = await officer.ok(ROUTING, { groupId });
    expect(referralRouting).toMatchObject({ teams: ['LEGAL'], needsDecision: false, byTeam: [{ team: 'LEGAL', administrators: [] }] });
    const d = await draft(groupId);
    const { submitReferral } = await lead.ok(SUBMIT, { input: { id: d.id, version: 1, routing: { mode: 'AUTO' } } });
    expect(submitReferral.referrals[0].team).toBe('LEGAL');
    expect(submitReferral.group.status).toBe('REFERRED');
    const badGroup = await officer.fails('BAD_USER_INPUT', ROUTING, { groupId: 'x' });
    expect(badGroup.extensions?.field).toBe('groupId');
    await officer.fails('NOT_FOUND', ROUTING, { groupId: RANDOM_ID });
  });

  it('scopes every referral query and mutation by role', async () => {
    const { groupId: dGroup, referral: d } = await submitted('Scope Discipline Page', 'STUDENT');
    await submitted('Scope HR Page', 'STAFF');
    const open = await seedGroup('Scope Draft Page', ['STUDENT']);
    const dr = await draft(open.groupId);
    const closed = await seedGroup('Scope Closed Page', [], 'CLOSED');

    const ops: { name: string; query: string; vars: (id: string) => Record<string, unknown>; target: string; expect: Record<string, string> }[] = [
      { name: 'referral', query: GET, vars: (id) => ({ id }), target: d.id,
        expect: { officer: 'ok', lead: 'ok', discipline: 'ok', hr: 'NOT_FOUND', legal: 'NOT_FOUND', dpo: 'FORBIDDEN', admin: 'FORBIDDEN', anonymous: 'UNAUTHENTICATED' } },
      { name: 'referral (draft)', query: GET, vars: (id) => ({ id }), target: dr.id,
        expect: { officer: 'ok', lead: 'ok', discipline: 'NOT_FOUND', hr: 'NOT_FOUND', legal: 'NOT_FOUND', dpo: 'FORBIDDEN', admin: 'FORBIDDEN', anonymous: 'UNAUTHENTICATED' } },
      { name: 'referralRouting', query: ROUTING, vars: (groupId) => ({ groupId }), target: open.groupId,
        expect: { officer: 'ok', lead: 'ok', discipline: 'FORBIDDEN', hr: 'FORBIDDEN', legal: 'FORBIDDEN', dpo: 'FORBIDDEN', admin: 'FORBIDDEN', anonymous: 'UNAUTHENTICATED' } },
      { name: 'draftReferral', query: DRAFT, vars: (groupId) => ({ input: { groupId, reason: 'CONTENT_OF_CONCERN', summary: 'Matrix' } }), target: closed.groupId,
        expect: { officer: 'TRANSITION_NOT_ALLOWED', lead: 'TRANSITION_NOT_ALLOWED', discipline: 'FORBIDDEN', hr: 'FORBIDDEN', legal: 'FORBIDDEN', dpo: 'FORBIDDEN', admin: 'FORBIDDEN', anonymous: 'UNAUTHENTICATED' } },
      // Allowed callers get CONFLICT from a stale version: past every permission and scope check, writing nothing.
      { name: 'updateReferralDraft', query: UPDATE_DRAFT, vars: (id) => ({ input: { id, version: 999, summary: 'Matrix' } }), target: dr.id,
        expect: { officer: 'CONFLICT', lead: 'CONFLICT', discipline: 'FORBIDDEN', hr: 'FORBIDDEN', legal: 'FORBIDDEN', dpo: 'FORBIDDEN', admin: 'FORBIDDEN', anonymous: 'UNAUTHENTICATED' } },
      { name: 'submitReferral', query: SUBMIT, vars: (id) => ({ input: { id, version: 999, routing: { mode: 'AUTO' } } }), target: dr.id,
        expect: { officer: 'FORBIDDEN', lead: 'CONFLICT', discipline: 'FORBIDDEN', hr: 'FORBIDDEN', legal: 'FORBIDDEN', dpo: 'FORBIDDEN', admin: 'FORBIDDEN', anonymous: 'UNAUTHENTICATED' } },
      ...[
        { name: 'acknowledgeReferral', query: ACK, vars: (id: string) => ({ input: { id, version: 999 } }) },
        { name: 'updateReferralStatus', query: STATUS, vars: (id: string) => ({ input: { id, version: 999, status: 'IN_PROGRESS' } }) },
        { name: 'transferReferral', query: TRANSFER, vars: (id: string) => ({ input: { id, version: 999, toTeam: 'LEGAL', reason: 'Matrix' } }) },
        { name: 'closeReferral', query: CLOSE, vars: (id: string) => ({ input: { id, version: 999, outcome: 'NO_FURTHER_ACTION' } }) },
      ].map((op) => ({
        ...op,
        target: d.id,
        expect: { officer: 'FORBIDDEN', lead: 'FORBIDDEN', discipline: 'CONFLICT', hr: 'NOT_FOUND', legal: 'NOT_FOUND', dpo: 'FORBIDDEN', admin: 'FORBIDDEN', anonymous: 'UNAUTHENTICATED' },
      })),
    ];

    const before = [await dbState(dGroup), await dbState(open.groupId), await dbState(closed.groupId)];
    for (const op of ops) {
      for (const who of ROLES) {
        const c = await client(who);
        const expected = op.expect[who]!;
        if (expected === 'ok') {
          await c.ok(op.query, op.vars(op.target));
          continue;
        }
        const err = await c.fails(expected, op.query, op.vars(op.target));
        if (expected === 'NOT_FOUND') {
          // Out of scope answers exactly as an id that does not exist.
          sameError(err, await c.fails('NOT_FOUND', op.query, op.vars(RANDOM_ID)));
        }
      }
    }
    expect([await dbState(dGroup), await dbState(open.groupId), await dbState(closed.groupId)]).toEqual(before);

    // Notes: the referral's team adds them; anyone else is refused or does not see the referral.
    for (const who of ROLES) {
      const c = await client(who);
      const vars = { input: { referralId: d.id, body: `Note by ${who}` } };
      const expected = { officer: 'FORBIDDEN', lead: 'FORBIDDEN', discipline: 'ok', hr: 'NOT_FOUND', legal: 'NOT_FOUND', dpo: 'FORBIDDEN', admin: 'FORBIDDEN', anonymous: 'UNAUTHENTICATED' }[who];
      if (expected === 'ok') await c.ok(NOTE, vars);
      else {
        const err = await c.fails(expected, NOTE, vars);
        if (expected === 'NOT_FOUND') sameError(err, await c.fails('NOT_FOUND', NOTE, { input: { referralId: RANDOM_ID, body: 'x' } }));
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
      const { referrals } = await (await env.as(who)).ok(LIST, { first: 100 });
      expect(referrals.totalCount).toBe(team ? counts[team.toLowerCase()] : counts.all);
      expect(referrals.edges).toHaveLength(Math.min(100, referrals.totalCount));
      if (team) expect(referrals.edges.every((e: { node: { team: string; status: string } }) => e.node.team === team && e.node.status !== 'DRAFT')).toBe(true);
    }
    const ids = (await discipline.ok(LIST, { first: 100 })).referrals.edges.map((e: { node: { id: string } }) => e.node.id);
    expect(ids).toContain(d.id);
    expect(ids).not.toContain(dr.id);
    // Filters cannot widen the scope: another team's or drafts count zero.
    expect((await discipline.ok(LIST, { first: 10, filter: { team: ['HR', 'LEGAL'] } })).referrals.totalCount).toBe(0);
    expect((await discipline.ok(LIST, { first: 10, filter: { status: ['DRAFT'] } })).referrals.totalCount).toBe(0);
    expect((await officer.ok(LIST, { first: 10, filter: { status: ['DRAFT'], groupId: open.groupId } })).referrals).toMatchObject({ totalCount: 1, edges: [{ node: { id: dr.id } }] });
    for (const who of ['dpo', 'admin'] as const) await (await env.as(who)).fails('FORBIDDEN', LIST, { first: 10 });
    await env.anonymous().fails('UNAUTHENTICATED', LIST, { first: 10 });
    const badFirst = await officer.fails('BAD_USER_INPUT', LIST, { first: 101 });
    expect(badFirst.extensions?.field).toBe('first');
    await officer.fails('BAD_USER_INPUT', LIST, { first: 10, after: 'garbage' });
  });

  it('lets a lead who also holds a team role see everything but act only for that team', async () => {
    const { referral: mine } = await submitted('Dual Role Discipline Page', 'STUDENT');
    const { referral: theirs } = await submitted('Dual Role HR Page', 'STAFF');
    const password = 'dual-role-password-1';
    await env.server.dataSource.transaction((m) => createUser(m, { email: 'dual@signpost.test', displayName: 'Dual Role', roles: ['SOCIAL_MEDIA_LEAD', 'DISCIPLINE'], password }));
    const dual = new TestClient(env.url);
    expect((await dual.login('dual@signpost.test', password)).ok).toBe(true);

    await hr.ok(NOTE, { input: { referralId: theirs.id, body: 'HR only' } });
    const { referral: seen } = await dual.ok(`query($id: ID!) { referral(id: $id) { team notes { body } snapshot { team } } }`, { id: theirs.id });
    expect(seen).toEqual({ team: 'HR', notes: [], snapshot: { team: 'HR' } });

    const before = await sql(`SELECT status, version FROM referrals WHERE id = $1`, [theirs.id]);
    const refused = await dual.fails('FORBIDDEN', ACK, { input: { id: theirs.id, version: theirs.version } });
    expect(refused.message).toContain('only the HR team');
    expect(await sql(`SELECT status, version FROM referrals WHERE id = $1`, [theirs.id])).toEqual(before);

    const { acknowledgeReferral } = await dual.ok(ACK, { input: { id: mine.id, version: mine.version } });
    expect(acknowledgeReferral.status).toBe('ACKNOWLEDGED');
    await dual.ok(NOTE, { input: { referralId: mine.id, body: 'Dual note' } });
    expect((await dual.ok(`query($id: ID!) { referral(id: $id) { notes { team body } } }`, { id: mine.id })).referral.notes).toEqual([{ team: 'DISCIPLINE', body: 'Dual note' }]);
  });

  it('scopes a referrals:read:<TEAM> service client to that team in SQL, without notes', async () => {
    const { referral: hrRef } = await submitted('Service HR Page', 'STAFF');
    const { referral: otherRef } = await submitted('Service Discipline Page', 'STUDENT');
    await hr.ok(NOTE, { input: { referralId: hrRef.id, body: 'Not for services' } });
    const service = await env.asService(['referrals:read:HR']);
    const { referrals: page } = await service.ok(`{ referrals(first: 100) { totalCount edges { node { id team status } } } }`);
    const [{ n }] = await sql(`SELECT count(*)::int AS n FROM referrals WHERE team = 'HR' AND status <> 'DRAFT'`);
    expect(page.totalCount).toBe(n);
    expect(page.edges.map((e: { node: { id: string } }) => e.node.id)).toContain(hrRef.id);
    expect(page.edges.every((e: { node: { team: string; status: string } }) => e.node.team === 'HR' && e.node.status !== 'DRAFT')).toBe(true);
    await service.fails('NOT_FOUND', `query($id: ID!) { referral(id: $id) { id } }`, { id: otherRef.id });
    const { referral } = await service.ok(`query($id: ID!) { referral(id: $id) { notes { body } snapshot { team } } }`, { id: hrRef.id });
    expect(referral).toEqual({ notes: [], snapshot: { team: 'HR' } });
    const [event] = await sql(
      `SELECT actor_label, referral_team FROM audit_events WHERE action = 'referral.read' AND actor_label LIKE 'service:%' AND entity_id = $1`,
      [hrRef.id],
    );
    expect(event).toEqual({ actor_label: expect.stringMatching(/^service:/), referral_team: 'HR' });
  });

  it('pages referrals newest first with keyset cursors, never repeating a row', async () => {
    const { groupId } = await seedGroup('Paging Page', []);
    const made: string[] = [];
    for (let i = 0; i < 5; i++) made.push((await draft(groupId, 'CONTENT_OF_CONCERN')).id);
    const seen: string[] = [];
    let after: string | null = null;
    do {
      const { referrals }: any = await officer.ok(LIST, { first: 2, after, filter: { groupId } });
      expect(referrals.totalCount).toBe(5);
      seen.push(...referrals.edges.map((e: { node: { id: string } }) => e.node.id));
      after = referrals.pageInfo.hasNextPage ? referrals.pageInfo.endCursor : null;
    } while (after);
    expect(seen).toEqual([...made].reverse());
  });

  it('keeps notes with their team and moves the referral, snapshot included, on transfer', async () => {
    const { groupId, referral: r } = await submitted('Transfer Page', 'STUDENT');
    const { acknowledgeReferral } = await discipline.ok(ACK, { input: { id: r.id, version: r.version } });
    await discipline.ok(NOTE, { input: { referralId: r.id, body: 'Not a student of ours after all.' } });
    const NOTES = `query($id: ID!) { referral(id: $id) { notes { team body } transfers { fromTeam toTeam reason } snapshot { team } } }`;
    for (const c of [officer, lead]) expect((await c.ok(NOTES, { id: r.id })).referral.notes).toEqual([]);
    expect((await discipline.ok(NOTES, { id: r.id })).referral.notes).toEqual([{ team: 'DISCIPLINE', body: 'Not a student of ours after all.' }]);

    // Refused transfers write nothing.
    const before = await dbState(groupId);
    const same = await discipline.fails('TRANSITION_NOT_ALLOWED', TRANSFER, { input: { id: r.id, version: acknowledgeReferral.version, toTeam: 'DISCIPLINE', reason: 'Same team' } });
    expect(same.extensions?.unmet).toContain('already with DISCIPLINE');
    const noReason = await discipline.fails('BAD_USER_INPUT', TRANSFER, { input: { id: r.id, version: acknowledgeReferral.version, toTeam: 'HR', reason: ' ' } });
    expect(noReason.extensions?.field).toBe('input.reason');
    await discipline.fails('CONFLICT', TRANSFER, { input: { id: r.id, version: 1, toTeam: 'HR', reason: 'Staff member' } });
    expect(await dbState(groupId)).toEqual(before);

    const { transferReferral } = await discipline.ok(TRANSFER, { input: { id: r.id, version: acknowledgeReferral.version, toTeam: 'HR', reason: 'The administrator is a member of staff.' } });
    expect(transferReferral).toMatchObject({ team: 'HR', status: 'SUBMITTED', acknowledgedAt: null });

    // Gone for the old team, in the list and by id; there for the new one.
    const gone = await discipline.fails('NOT_FOUND', GET, { id: r.id });
    sameError(gone, await discipline.fails('NOT_FOUND', GET, { id: RANDOM_ID }));
    const disciplineIds = (await discipline.ok(LIST, { first: 100 })).referrals.edges.map((e: { node: { id: string } }) => e.node.id);
    expect(disciplineIds).not.toContain(r.id);
    const hrIds = (await hr.ok(LIST, { first: 100 })).referrals.edges.map((e: { node: { id: string } }) => e.node.id);
    expect(hrIds).toContain(r.id);
    await discipline.fails('NOT_FOUND', ACK, { input: { id: r.id, version: transferReferral.version } });

    // The new team sees the snapshot and the transfer, never the old team's notes.
    const forHr = await hr.ok(NOTES, { id: r.id });
    expect(forHr.referral).toEqual({ notes: [], transfers: [{ fromTeam: 'DISCIPLINE', toTeam: 'HR', reason: 'The administrator is a member of staff.' }], snapshot: { team: 'HR' } });
    await hr.ok(NOTE, { input: { referralId: r.id, body: 'HR is on it.' } });
    expect((await hr.ok(NOTES, { id: r.id })).referral.notes).toEqual([{ team: 'HR', body: 'HR is on it.' }]);
    const rows = await sql(`SELECT team, body FROM referral_notes WHERE referral_id = $1 ORDER BY created_at`, [r.id]);
    expect(rows).toEqual([{ team: 'DISCIPLINE', body: 'Not a student of ours after all.' }, { team: 'HR', body: 'HR is on it.' }]);
    expect(await sql(`SELECT team FROM referral_snapshots WHERE referral_id = $1`, [r.id])).toEqual([{ team: 'HR' }]);

    // HR starts again: acknowledge, then close; a closed referral cannot be transferred.
    const { acknowledgeReferral: ack2 } = await hr.ok(ACK, { input: { id: r.id, version: transferReferral.version } });
    const { closeReferral } = await hr.ok(CLOSE, { input: { id: r.id, version: ack2.version, outcome: 'NO_FURTHER_ACTION' } });
    const closedTransfer = await hr.fails('TRANSITION_NOT_ALLOWED', TRANSFER, { input: { id: r.id, version: closeReferral.version, toTeam: 'LEGAL', reason: 'Too late' } });
    expect(closedTransfer.extensions?.unmet).toContain('this one is CLOSED');
    const lastTransfer = await sql(`SELECT action, referral_team, details FROM audit_events WHERE entity_id = $1 AND action = 'referral.transfer'`, [r.id]);
    expect(lastTransfer).toEqual([{ action: 'referral.transfer', referral_team: 'DISCIPLINE', details: { fromTeam: 'DISCIPLINE', toTeam: 'HR', from: 'ACKNOWLEDGED', to: 'SUBMITTED' } }]);
  });

  it('resolves a page of 100 referrals and their fields in as many SQL statements as a page of 1', async () => {
    await sql(
      `WITH g AS (
         INSERT INTO groups (name, platform, kind) SELECT 'Bulk ' || i, 'REDDIT', 'MEMES' FROM generate_series(1, 101) AS i RETURNING id, name
       ), r AS (
         INSERT INTO referrals (group_id, team, status, reason, summary, submitted_at, created_by_id, submitted_by_id)
         SELECT g.id, 'LEGAL', 'SUBMITTED', 'CONTENT_OF_CONCERN', 'Bulk', now(),
                (SELECT id FROM users WHERE email = 'officer@signpost.test'), (SELECT id FROM users WHERE email = 'lead@signpost.test')
           FROM g RETURNING id, group_id
       )
       , s AS (
         INSERT INTO referral_snapshots (referral_id, team, data)
         SELECT r.id, 'LEGAL', jsonb_build_object('takenAt', now(), 'group', jsonb_build_object('id', g.id, 'name', g.name, 'platform', 'REDDIT', 'handle', null, 'url', null),
                                                'administrators', '[]'::jsonb, 'contacts', '[]'::jsonb, 'concerns', '[]'::jsonb)
           FROM r JOIN g ON g.id = r.group_id
       ), a AS (
         INSERT INTO administrators (group_id, handle, affiliation) SELECT g.id, '@bulk_admin', 'STAFF' FROM g
       )
       INSERT INTO referrals (group_id, status, reason, summary) SELECT g.id, 'DRAFT', 'REFUSED_ACCOUNTABILITY', 'Bulk draft' FROM g`,
    );
    const pageQuery = `query($first: Int) { referrals(first: $first, filter: { reason: [CONTENT_OF_CONCERN], team: [LEGAL] }) { totalCount edges { node {
      id status group { id name status } snapshot { takenAt group { name } administrators { id } } notes { id } transfers { toTeam }
      createdBy { email } submittedBy { email } } } } }`;
    const leadQuery = `query($first: Int) { referrals(first: $first, filter: { status: [DRAFT], reason: [REFUSED_ACCOUNTABILITY] }) { edges { node {
      id notes { id } snapshot { takenAt } routing { teams byTeam { team administrators { id handle } } }
      group { id referrals { id } escalations { id } } } } } }`;

    const ds = env.server.dataSource;
    const createQueryRunner = ds.createQueryRunner.bind(ds);
    let statements = 0;
    const spy = vi.spyOn(ds, 'createQueryRunner').mockImplementation((...args) => {
      const runner = createQueryRunner(...args);
      const query = runner.query.bind(runner);
      runner.query = ((...q: Parameters<typeof query>) => {
        statements++;
        return query(...q);
      }) as typeof runner.query;
      return runner;
    });
    let last: any;
    const count = async (c: TestClient, query: string, first: number, rows: number) => {
      statements = 0;
      last = await c.ok(query, { first });
      expect(last.referrals.edges).toHaveLength(rows);
      return statements;
    };
    try {
      const legalOne = await count(legal, pageQuery, 1, 1);
      const legalHundred = await count(legal, pageQuery, 100, 100);
      expect(legalHundred).toBe(legalOne);
      expect(last.referrals.edges[99].node).toMatchObject({ status: 'SUBMITTED', group: { name: expect.stringMatching(/^Bulk /) }, snapshot: { administrators: [] }, notes: [], transfers: [], submittedBy: { email: 'lead@signpost.test' } });
      expect(legalOne).toBeLessThan(15);
      const leadOne = await count(lead, leadQuery, 1, 1);
      const leadHundred = await count(lead, leadQuery, 100, 100);
      expect(leadHundred).toBe(leadOne);
      expect(leadOne).toBeLessThan(15);
      // The fields really were resolved for every row, not skipped.
      expect(last.referrals.edges[99].node).toMatchObject({ notes: [], snapshot: null, routing: { teams: ['HR'], byTeam: [{ team: 'HR', administrators: [{ handle: '@bulk_admin' }] }] } });
      expect(last.referrals.edges[99].node.group.referrals).toHaveLength(2);
    } finally {
      spy.mockRestore();
    }
  });
});
