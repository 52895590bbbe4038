import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addWorkingDays, DEFAULT_POLICY_CONFIG } from '@signpost/policy';
import { createTestEnvironment, databaseKinds, type TestEnvironment } from './testing/test-environment.js';
import {
  WorkflowAcknowledgeDocument, WorkflowAddAdministratorDocument, WorkflowAddNoteDocument, WorkflowCloseDocument, WorkflowCreateGroupDocument,
  WorkflowDraftReferralDocument, WorkflowGroupStatusDocument, WorkflowLogContactDocument, WorkflowProgressDocument, WorkflowReadsOfReferralDocument,
  WorkflowReferralCountDocument, WorkflowReferralDocument, WorkflowRoutingDocument, WorkflowSubmitReferralDocument,
} from './testing/generated/graphql.js';

/**
 * The whole policy, as the people who carry it out would: sighting → contact
 * → refusal → referral routed → the receiving team acknowledges and closes.
 */
describe.each(await databaseKinds())('the policy from sighting to a closed referral on %s', (kind) => {
  let env: TestEnvironment;
  beforeAll(async () => {
    env = await createTestEnvironment(kind);
  });
  afterAll(() => env?.close());

  it('walks every step with the right people, and each receiving team sees only its own', async () => {
    const officer = await env.as('officer');
    const lead = await env.as('lead');
    const discipline = await env.as('discipline');
    const hr = await env.as('hr');

    // 1. Record the group.
    const { createGroup: group } = await officer.ok(WorkflowCreateGroupDocument, {
      input: { name: 'Westgate Confessions', platform: 'INSTAGRAM', kind: 'CONFESSIONS', usesLogo: true, marketsToUniversity: true, riskLevel: 'HIGH', handle: '@westgate.confess' },
    });
    expect(group.status).toBe('DISCOVERED');

    // 2. Contact the administrators and learn their affiliation.
    const { addAdministrator: admin } = await officer.ok(WorkflowAddAdministratorDocument, {
      input: { groupId: group.id, handle: '@wg_admin', name: 'Alex Reed', affiliation: 'STUDENT', affiliationMethod: 'Confirmed in the student record', universityId: 'S1234567' },
    });
    await officer.ok(WorkflowLogContactDocument, {
      input: {
        groupId: group.id, administratorId: admin.id, occurredAt: new Date(Date.now() - 3_600_000).toISOString(), channel: 'PLATFORM_MESSAGE',
        direction: 'OUTBOUND', steps: ['INTRODUCED', 'AFFILIATION_ASCERTAINED', 'POSITION_EXPLAINED', 'WORDING_REQUESTED', 'LOGO_REMOVAL_REQUESTED'],
        outcome: 'NO_RESPONSE', summary: 'Introduced the team and asked for signposting wording.',
      },
    });
    expect((await officer.ok(WorkflowGroupStatusDocument, { id: group.id })).group.status).toBe('CONTACTING');

    // 3. They refuse accountability.
    await officer.ok(WorkflowLogContactDocument, {
      input: {
        groupId: group.id, administratorId: admin.id, occurredAt: new Date().toISOString(), channel: 'PLATFORM_MESSAGE',
        direction: 'INBOUND', steps: [], outcome: 'REFUSED_ACCOUNTABILITY', summary: 'Admin says posts are not their responsibility.',
      },
    });
    expect((await officer.ok(WorkflowGroupStatusDocument, { id: group.id })).group.status).toBe('REFUSED');

    // 4. The officer drafts a referral; routing is shown before submit.
    const { draftReferral: draft } = await officer.ok(WorkflowDraftReferralDocument, {
      input: { groupId: group.id, reason: 'REFUSED_ACCOUNTABILITY', summary: 'Student administrator refuses accountability for the page.' },
    });
    expect(draft).toMatchObject({ status: 'DRAFT', team: null });
    const { referralRouting } = await officer.ok(WorkflowRoutingDocument, { id: group.id });
    expect(referralRouting).toEqual({ teams: ['DISCIPLINE'], needsDecision: false });
    // Drafts are the social media team's own: no receiving team sees them.
    await discipline.fails('NOT_FOUND', WorkflowReferralDocument, { id: draft.id });

    // 5. Only the lead submits (routes) it.
    const refused = await officer.fails('FORBIDDEN', WorkflowSubmitReferralDocument, { input: { id: draft.id, version: draft.version, routing: { mode: 'AUTO' } } });
    expect(refused.extensions.permission).toBe('referral.submit');
    const { submitReferral } = await lead.ok(WorkflowSubmitReferralDocument, { input: { id: draft.id, version: draft.version, routing: { mode: 'AUTO' } } });
    expect(submitReferral.referrals).toHaveLength(1);
    expect(submitReferral.referrals[0]).toMatchObject({ id: draft.id, team: 'DISCIPLINE', status: 'SUBMITTED' });
    expect(submitReferral.group.status).toBe('REFERRED');

    // 6. Discipline sees it with the snapshot and its deadline; HR does not, exactly as if it did not exist.
    const seen = (await discipline.ok(WorkflowReferralDocument, { id: draft.id })).referral;
    expect(seen).toMatchObject({ team: 'DISCIPLINE', status: 'SUBMITTED', group: { id: group.id, name: 'Westgate Confessions' } });
    // Due the configured working days (5 by default) after it was routed, weekends skipped.
    expect(seen.acknowledgeBy).toBe(addWorkingDays(new Date(seen.submittedAt!), DEFAULT_POLICY_CONFIG.acknowledgementWorkingDays).toISOString());
    expect(seen.snapshot!.administrators).toEqual([{ handle: '@wg_admin', affiliation: 'STUDENT', universityId: 'S1234567' }]);
    expect(seen.snapshot!.contacts.map((c) => c.outcome).sort()).toEqual(['NO_RESPONSE', 'REFUSED_ACCOUNTABILITY']);
    const hrView = await hr.fails('NOT_FOUND', WorkflowReferralDocument, { id: draft.id });
    const randomView = await hr.fails('NOT_FOUND', WorkflowReferralDocument, { id: '7d1c1c3e-1b7a-4c59-9a43-2f1e6b0e9a11' });
    expect(hrView.message).toBe(randomView.message);
    expect(hrView.extensions).toEqual(randomView.extensions);
    expect((await hr.ok(WorkflowReferralCountDocument)).referrals.totalCount).toBe(0);

    // 7. Discipline acknowledges, works on it, notes it and closes it with an outcome.
    let version = seen.version;
    const ack = await discipline.ok(WorkflowAcknowledgeDocument, { input: { id: draft.id, version } });
    expect(ack.acknowledgeReferral.status).toBe('ACKNOWLEDGED');
    version = ack.acknowledgeReferral.version;
    const progress = await discipline.ok(WorkflowProgressDocument, { input: { id: draft.id, version, status: 'IN_PROGRESS' } });
    version = progress.updateReferralStatus.version;
    await discipline.ok(WorkflowAddNoteDocument, { input: { referralId: draft.id, body: 'Met the student; page now moderated.' } });
    const closed = await discipline.ok(WorkflowCloseDocument, {
      input: { id: draft.id, version, outcome: 'ACTION_TAKEN', outcomeNote: 'Student agreed to moderate the page.' },
    });
    expect(closed.closeReferral).toEqual({ status: 'CLOSED', outcome: 'ACTION_TAKEN' });

    // 8. The social media team sees the outcome but never the team's notes.
    const leadView = (await lead.ok(WorkflowReferralDocument, { id: draft.id })).referral;
    expect(leadView.status).toBe('CLOSED');
    expect(leadView.notes).toEqual([]);
    expect((await discipline.ok(WorkflowReferralDocument, { id: draft.id })).referral.notes).toEqual([{ body: 'Met the student; page now moderated.' }]);

    // 9. The data protection officer can see who read the referral.
    const dpo = await env.as('dpo');
    const { auditEvents } = await dpo.ok(WorkflowReadsOfReferralDocument, { id: draft.id });
    expect(auditEvents.edges.map((e) => e.node.actorLabel)).toContain('discipline@signpost.test');
  });
});
