import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GROUP_CLOSED_UNMET, WORDING_EXAMPLE, type ContractError, type ErrorCode } from '@signpost/policy';
import { createTestEnvironment, databaseKinds, type TestEnvironment } from '../../testing/test-environment.js';
import { expectContractError, type Document, type TestClient } from '../../testing/test-client.js';
import { groupIn, type GroupOptions } from '../../testing/builders.js';
import {
  WordingActionsDocument, WordingAgreementOriginDocument, WordingApproveDocument, WordingBareGroupDocument, WordingCheckDocument,
  WordingCloseGroupDocument, WordingCreateGroupDocument, WordingCreateTemplateDocument, WordingGetAgreementDocument,
  WordingGroupAgreementVersionsDocument, WordingGroupDocument, WordingGroupStatusEventsDocument, WordingGroupVersionsDocument,
  WordingLogContactDocument, WordingNestedGroupsDocument, WordingProposeDocument, WordingRecordLogoDocument,
  WordingRecordPlacementDocument, WordingReviseTemplateDocument, WordingTemplatesDocument,
  type CreateGroupInput, type Placement, type PolicyStep, type WordingAction, type WordingActionsQuery,
} from '../../testing/generated/graphql.js';

// The example has one paragraph per element: non-representation, university support, reputable body, data handling.
const [, UNIVERSITY_SUPPORT, REPUTABLE_BODY] = WORDING_EXAMPLE.split('\n\n');
/** Signposts, but says nothing about representing the university or about data. */
const INCOMPLETE = `${UNIVERSITY_SUPPORT}\n\n${REPUTABLE_BODY}`;
const COMPLETE = WORDING_EXAMPLE;
const NOWHERE = '00000000-0000-4000-8000-000000000000';
const OUTSIDERS = ['discipline', 'hr', 'legal', 'dpo', 'admin'] as const;

/** What the policy says stands between a proposal and its approval, in its own words. */
const NEEDS_NON_REPRESENTATION = 'the wording check must pass: it still needs a statement that the page does not represent the university';
const NEEDS_DATA_HANDLING = 'the wording check must pass: it still needs a statement of how user data is handled';
const NEEDS_POSITION_EXPLAINED =
  "a logged contact must first explain the university's position to the administrators (policy step POSITION_EXPLAINED)";
const NEEDS_WORDING_REQUESTED = 'a logged contact must first ask the administrators for signposting wording (policy step WORDING_REQUESTED)';
const STEPS_BEFORE_WORDING = [NEEDS_POSITION_EXPLAINED, NEEDS_WORDING_REQUESTED];
const LEAD_ONLY = 'your role does not allow you to approve signposting wording';

type Action = WordingActionsQuery['wordingAgreement']['availableActions'][number];

describe.each(await databaseKinds())('wording, placements and logo on %s', (kind) => {
  let env: TestEnvironment;
  let officer: TestClient;
  let lead: TestClient;
  let counter = 0;

  beforeAll(async () => {
    env = await createTestEnvironment(kind);
    [officer, lead] = await Promise.all([env.as('officer'), env.as('lead')]);
  });
  afterAll(() => env?.close());

  const nextName = () => `Wording test group ${++counter}`;

  /** A group just recorded (DISCOVERED), through createGroup. */
  async function newGroup(extra: Partial<CreateGroupInput> = {}) {
    const { createGroup } = await officer.ok(WordingCreateGroupDocument, {
      input: { name: nextName(), platform: 'INSTAGRAM', kind: 'CONFESSIONS', riskLevel: 'HIGH', ...extra },
    });
    return createGroup;
  }

  /** ENGAGED the way the team gets there (introduced, affiliation ascertained, a reply); the steps before wording not yet covered. */
  async function engagedGroup(options: GroupOptions = {}) {
    return groupIn(env, 'ENGAGED', { name: nextName(), ...options });
  }

  /** A logged outbound contact covering these policy steps. */
  async function logSteps(groupId: string, steps: PolicyStep[]) {
    await officer.ok(WordingLogContactDocument, {
      input: {
        groupId, direction: 'OUTBOUND', outcome: 'NO_RESPONSE', channel: 'PLATFORM_MESSAGE', steps,
        summary: `Covered ${steps.join(', ')}`, occurredAt: new Date(Date.now() - 60_000).toISOString(),
      },
    });
  }

  const readGroup = async (id: string) => (await officer.ok(WordingGroupDocument, { id })).group;
  const readAgreement = async (id: string) => (await officer.ok(WordingGetAgreementDocument, { id })).wordingAgreement;

  async function actionsFor(client: TestClient, agreementId: string): Promise<Record<WordingAction, Action>> {
    const { wordingAgreement } = await client.ok(WordingActionsDocument, { id: agreementId });
    expect(wordingAgreement.availableActions.map((a) => a.action)).toEqual(['proposeVersion', 'approve']);
    return Object.fromEntries(wordingAgreement.availableActions.map((a) => [a.action, a])) as Record<WordingAction, Action>;
  }

  /** The group's status moves, oldest first, from its timeline. */
  async function statusMoves(groupId: string) {
    const { group } = await officer.ok(WordingGroupStatusEventsDocument, { id: groupId });
    return group.timeline.filter((e) => e.action === 'group.status').map((e) => e.details).reverse();
  }

  /** A WORDING_AGREED group (brought there through the real mutations) and its agreed wording. */
  async function agreedGroup(options: GroupOptions = {}) {
    const built = await groupIn(env, 'WORDING_AGREED', { name: nextName(), ...options });
    const { currentWording } = await readGroup(built.id);
    expect(currentWording?.status).toBe('AGREED');
    return { groupId: built.id, agreement: await readAgreement(currentWording!.id) };
  }

  /**
   * A mutation that must fail with `code`: the error is the contract's, and the
   * answer carries no data and says the transaction was rolled back.
   */

  it('runs the wording check as you type, naming what is missing', async () => {
    const { checkWording: fails } = await officer.ok(WordingCheckDocument, { text: INCOMPLETE });
    expect(fails.passes).toBe(false);
    expect(fails.missing).toEqual(['NON_REPRESENTATION', 'DATA_HANDLING']);
    expect(fails.elements.map((e) => [e.element, e.present])).toEqual([
      ['UNIVERSITY_SUPPORT', true], ['REPUTABLE_BODY', true], ['NON_REPRESENTATION', false], ['DATA_HANDLING', false],
    ]);
    expect(fails.elements[2]!.explanation).toMatch(/does not represent/);
    const { checkWording: passes } = await lead.ok(WordingCheckDocument, { text: COMPLETE });
    expect(passes).toMatchObject({ passes: true, missing: [] });
    const tooLong = await officer.fails('BAD_USER_INPUT', WordingCheckDocument, { text: 'x'.repeat(10_001) });
    expect(tooLong.extensions.field).toBe('text');
    expect(tooLong.extensions.fields).toEqual([{ field: 'text', message: expect.stringMatching(/at most 10000/) }]);
    for (const who of OUTSIDERS) {
      const refused = await (await env.as(who)).fails('FORBIDDEN', WordingCheckDocument, { text: COMPLETE });
      expect(refused.extensions.permission).toBe('wording.read');
    }
    await env.anonymous().fails('UNAUTHENTICATED', WordingCheckDocument, { text: COMPLETE });
  });

  it('keeps versioned templates that only the lead may change', async () => {
    const { createWordingTemplate: v1 } = await lead.ok(WordingCreateTemplateDocument, {
      input: { name: 'Standard signposting', body: INCOMPLETE, supportLinks: ['https://www.example.ac.uk/wellbeing'] },
    });
    expect(v1).toMatchObject({ name: 'Standard signposting', version: 1, current: true, supportLinks: ['https://www.example.ac.uk/wellbeing'] });
    expect(v1.check).toEqual({ passes: false, missing: ['NON_REPRESENTATION', 'DATA_HANDLING'] });

    const { reviseWordingTemplate: v2 } = await lead.ok(WordingReviseTemplateDocument, { input: { id: v1.id, body: COMPLETE } });
    expect(v2).toMatchObject({ name: 'Standard signposting', version: 2, current: true, body: COMPLETE, supportLinks: v1.supportLinks });
    expect(v2.id).not.toBe(v1.id);

    const current = (await officer.ok(WordingTemplatesDocument, {})).wordingTemplates.filter((t) => t.name === 'Standard signposting');
    expect(current).toEqual([{ id: v2.id, name: 'Standard signposting', version: 2, current: true, supportLinks: v1.supportLinks }]);
    const all = (await officer.ok(WordingTemplatesDocument, { includeOld: true })).wordingTemplates.filter((t) => t.name === 'Standard signposting');
    expect(all.map((t) => [t.version, t.current])).toEqual([[2, true], [1, false]]);

    // Revising a version that is no longer current: someone revised it since.
    const stale = await lead.refuses('CONFLICT', WordingReviseTemplateDocument, { input: { id: v1.id, body: 'Another text' } });
    expect(stale.extensions).toMatchObject({ reason: 'STALE_VERSION', entity: 'Wording template', currentVersion: 2 });
    const unknown = await lead.refuses('NOT_FOUND', WordingReviseTemplateDocument, { input: { id: NOWHERE, body: 'Another text' } });
    expect(unknown.extensions.entity).toBe('Wording template');
    const dup = await lead.refuses('BAD_USER_INPUT', WordingCreateTemplateDocument, { input: { name: 'standard SIGNPOSTING', body: COMPLETE } });
    expect(dup.extensions.field).toBe('input.name');
    const badLink = await lead.refuses('BAD_USER_INPUT', WordingCreateTemplateDocument, {
      input: { name: 'Bad links', body: COMPLETE, supportLinks: ['https://www.example.ac.uk/ok', 'javascript:alert(1)'] },
    });
    expect(badLink.extensions.field).toBe('input.supportLinks');
    const blank = await lead.refuses('BAD_USER_INPUT', WordingReviseTemplateDocument, { input: { id: v2.id, body: '  ' } });
    expect(blank.extensions.field).toBe('input.body');

    // The officer reads templates but cannot change them; other roles cannot even read them.
    const officerCreate = await officer.refuses('FORBIDDEN', WordingCreateTemplateDocument, { input: { name: 'Officer template', body: COMPLETE } });
    expect(officerCreate.extensions.permission).toBe('wordingTemplate.manage');
    await officer.refuses('FORBIDDEN', WordingReviseTemplateDocument, { input: { id: v2.id, body: 'Officer edit' } });
    for (const who of OUTSIDERS) {
      const client = await env.as(who);
      await client.fails('FORBIDDEN', WordingTemplatesDocument, {});
      await client.refuses('FORBIDDEN', WordingCreateTemplateDocument, { input: { name: `${who} template`, body: COMPLETE } });
      await client.refuses('FORBIDDEN', WordingReviseTemplateDocument, { input: { id: v2.id, body: 'Edit' } });
    }
    // None of the refusals wrote anything.
    const after = (await lead.ok(WordingTemplatesDocument, { includeOld: true })).wordingTemplates;
    expect(after.map((t) => [t.name, t.version])).toEqual([['Standard signposting', 2], ['Standard signposting', 1]]);
  });

  it('refuses approval naming every unmet condition at once, until the check passes and contacts covered the steps; then ENGAGED → WORDING_AGREED → COMPLIANT', async () => {
    const { createWordingTemplate: template } = await lead.ok(WordingCreateTemplateDocument, { input: { name: `Base ${kind}`, body: COMPLETE } });
    const g = await engagedGroup();

    const { proposeWording: draft } = await officer.ok(WordingProposeDocument, {
      input: { groupId: g.id, text: INCOMPLETE, asDraft: true, templateId: template.id },
    });
    expect(draft).toMatchObject({ status: 'DRAFT', version: 1, approvedAt: null, approvedBy: null, placements: [] });
    expect(draft.versions).toEqual([{ number: 1, text: INCOMPLETE, proposedBy: 'UNIVERSITY' }]);
    expect(draft.latestVersion?.check).toMatchObject({ passes: false, missing: ['NON_REPRESENTATION', 'DATA_HANDLING'] });

    // Approval is refused, naming the missing elements and the missing steps together, and changes nothing.
    const refused = await lead.refuses('TRANSITION_NOT_ALLOWED', WordingApproveDocument, { input: { agreementId: draft.id, version: 1 } });
    expect(refused.extensions).toEqual({
      code: 'TRANSITION_NOT_ALLOWED', entity: 'Wording agreement', from: 'DRAFT', to: 'AGREED', action: 'approve',
      unmet: [NEEDS_NON_REPRESENTATION, NEEDS_DATA_HANDLING, ...STEPS_BEFORE_WORDING],
    });
    expect(refused.message).toMatch(/cannot move from DRAFT to AGREED/);
    expect(await readAgreement(draft.id)).toEqual(draft);
    expect(await readGroup(g.id)).toMatchObject({ status: 'ENGAGED', placements: [], currentWording: { id: draft.id, status: 'DRAFT' } });
    // The lead's approve button says the same.
    expect((await actionsFor(lead, draft.id)).approve).toEqual({
      action: 'approve', to: 'AGREED', mutation: 'approveWording', allowed: false, refusedBy: 'lifecycle', unmet: refused.extensions.unmet,
    });

    const { wordingAgreement: origin } = await officer.ok(WordingAgreementOriginDocument, { id: draft.id });
    expect(origin).toEqual({ template: { id: template.id, version: 1 }, group: { id: g.id } });

    // Only the lead approves.
    const officerApproves = await officer.refuses('FORBIDDEN', WordingApproveDocument, { input: { agreementId: draft.id, version: 1 } });
    expect(officerApproves.extensions.permission).toBe('wording.approve');
    expect(officerApproves.message).toBe('Your role does not allow you to approve signposting wording.');

    // The administrators' counter-proposal is the next version of the same agreement, and proposes it.
    const { proposeWording: proposed } = await officer.ok(WordingProposeDocument, {
      input: { groupId: g.id, text: COMPLETE, proposedBy: 'ADMINISTRATORS', agreementVersion: 1 },
    });
    expect(proposed).toMatchObject({ id: draft.id, status: 'PROPOSED', version: 2 });
    expect(proposed.versions.map((v) => [v.number, v.proposedBy])).toEqual([[1, 'UNIVERSITY'], [2, 'ADMINISTRATORS']]);
    expect(proposed.latestVersion).toMatchObject({ number: 2, check: { passes: true, missing: [] } });

    // A stale agreement version: CONFLICT naming the current version, and no third version.
    const staleProposal = await officer.refuses('CONFLICT', WordingProposeDocument, { input: { groupId: g.id, text: `${COMPLETE}\n\nThanks!`, agreementVersion: 1 } });
    expect(staleProposal.extensions).toMatchObject({ reason: 'STALE_VERSION', entity: 'Wording agreement', currentVersion: 2 });
    const staleApproval = await lead.refuses('CONFLICT', WordingApproveDocument, { input: { agreementId: draft.id, version: 1 } });
    expect(staleApproval.extensions.currentVersion).toBe(2);
    // Back to a draft once proposed: the policy has no such move.
    const backToDraft = await officer.refuses('TRANSITION_NOT_ALLOWED', WordingProposeDocument, { input: { groupId: g.id, text: COMPLETE, asDraft: true } });
    expect(backToDraft.extensions).toMatchObject({ from: 'PROPOSED', to: 'DRAFT', action: 'proposeVersion' });
    expect(backToDraft.extensions.unmet).toEqual([expect.stringMatching(/cannot go from ‘Awaiting approval’ to ‘Draft’/)]);
    expect(await readAgreement(draft.id)).toEqual(proposed);

    // The check passes now; the steps before wording still stand in the way, one at a time.
    const noSteps = await lead.refuses('TRANSITION_NOT_ALLOWED', WordingApproveDocument, { input: { agreementId: draft.id, version: 2 } });
    expect(noSteps.extensions).toMatchObject({ from: 'PROPOSED', to: 'AGREED', unmet: STEPS_BEFORE_WORDING });
    await logSteps(g.id, ['POSITION_EXPLAINED']);
    const oneStep = await lead.refuses('TRANSITION_NOT_ALLOWED', WordingApproveDocument, { input: { agreementId: draft.id, version: 2 } });
    expect(oneStep.extensions.unmet).toEqual([NEEDS_WORDING_REQUESTED]);
    expect(await readAgreement(draft.id)).toEqual(proposed);
    await logSteps(g.id, ['WORDING_REQUESTED']);
    expect((await actionsFor(lead, draft.id)).approve).toMatchObject({ allowed: true, unmet: [], refusedBy: null });

    const { approveWording: agreed } = await lead.ok(WordingApproveDocument, { input: { agreementId: draft.id, version: 2 } });
    expect(agreed).toMatchObject({ id: draft.id, status: 'AGREED', version: 3, approvedBy: { email: 'lead@signpost.test' }, supersededAt: null });
    expect(agreed.approvedAt).not.toBeNull();
    expect(agreed.placements.map((p) => [p.placement, p.state, p.version])).toEqual([
      ['PINNED_MESSAGE', 'NOT_PUBLISHED', 1], ['AUTO_RESPONSE', 'NOT_PUBLISHED', 1],
    ]);
    let group = await readGroup(g.id);
    expect(group).toMatchObject({ status: 'WORDING_AGREED', currentWording: { id: draft.id, status: 'AGREED' }, firstCompliantAt: null });
    expect(group.placements.map((p) => p.state)).toEqual(['NOT_PUBLISHED', 'NOT_PUBLISHED']);
    // Approving twice: an agreed wording is only ever superseded.
    const twice = await lead.refuses('TRANSITION_NOT_ALLOWED', WordingApproveDocument, { input: { agreementId: draft.id, version: 3 } });
    expect(twice.extensions.unmet).toEqual([expect.stringMatching(/cannot go from ‘Agreed’ to ‘Agreed’; from ‘Agreed’ it can go to ‘Superseded’/)]);

    // Publishing needs evidence; refused, nothing changes.
    const noEvidence = await officer.refuses('TRANSITION_NOT_ALLOWED', WordingRecordPlacementDocument, {
      input: { groupId: g.id, placement: 'PINNED_MESSAGE', state: 'PUBLISHED', version: 1 },
    });
    expect(noEvidence.extensions).toMatchObject({ entity: 'Placement', from: 'NOT_PUBLISHED', to: 'PUBLISHED' });
    expect(noEvidence.extensions.unmet).toEqual([expect.stringMatching(/^Pinned message: evidence must be given/)]);
    const skip = await officer.refuses('TRANSITION_NOT_ALLOWED', WordingRecordPlacementDocument, {
      input: { groupId: g.id, placement: 'PINNED_MESSAGE', state: 'VERIFIED', version: 1, evidenceNote: 'Seen' },
    });
    expect(skip.extensions.unmet).toEqual([expect.stringMatching(/cannot go from ‘Not published’ to ‘Verified’/)]);
    expect((await readGroup(g.id)).placements).toEqual(group.placements);

    const { recordPlacement: pinned } = await officer.ok(WordingRecordPlacementDocument, {
      input: { groupId: g.id, placement: 'PINNED_MESSAGE', state: 'PUBLISHED', version: 1, evidenceUrl: 'https://instagram.com/p/abc' },
    });
    expect(pinned).toMatchObject({ state: 'PUBLISHED', version: 2, evidenceUrl: 'https://instagram.com/p/abc', verifiedAt: null });
    expect(pinned.publishedAt).not.toBeNull();
    const stalePlacement = await officer.refuses('CONFLICT', WordingRecordPlacementDocument, {
      input: { groupId: g.id, placement: 'PINNED_MESSAGE', state: 'VERIFIED', version: 1, evidenceNote: 'Seen' },
    });
    expect(stalePlacement.extensions).toMatchObject({ entity: 'Placement', currentVersion: 2 });
    await officer.ok(WordingRecordPlacementDocument, {
      input: { groupId: g.id, placement: 'PINNED_MESSAGE', state: 'VERIFIED', version: 2, evidenceNote: 'Pinned at the top of the page' },
    });
    await officer.ok(WordingRecordPlacementDocument, {
      input: { groupId: g.id, placement: 'AUTO_RESPONSE', state: 'PUBLISHED', version: 1, evidenceNote: 'Auto-reply received to a test message' },
    });
    expect((await readGroup(g.id)).status).toBe('WORDING_AGREED');
    const { recordPlacement: auto } = await officer.ok(WordingRecordPlacementDocument, {
      input: { groupId: g.id, placement: 'AUTO_RESPONSE', state: 'VERIFIED', version: 2, evidenceNote: 'Checked again a day later' },
    });
    expect(auto).toMatchObject({ state: 'VERIFIED', version: 3, evidenceNote: 'Checked again a day later' });

    // Both placements verified and no logo: COMPLIANT.
    group = await readGroup(g.id);
    expect(group.status).toBe('COMPLIANT');
    expect(group.firstCompliantAt).not.toBeNull();
    expect(group.placements.map((p) => [p.placement, p.state])).toEqual([['PINNED_MESSAGE', 'VERIFIED'], ['AUTO_RESPONSE', 'VERIFIED']]);

    // A removal recorded by hand sends the group back to ENGAGED; verifying it again brings it back.
    await officer.ok(WordingRecordPlacementDocument, { input: { groupId: g.id, placement: 'AUTO_RESPONSE', state: 'REMOVED', version: 3 } });
    expect((await readGroup(g.id)).status).toBe('ENGAGED');
    await officer.ok(WordingRecordPlacementDocument, {
      input: { groupId: g.id, placement: 'AUTO_RESPONSE', state: 'VERIFIED', version: 4, evidenceNote: 'Turned back on' },
    });
    expect(await readGroup(g.id)).toMatchObject({ status: 'COMPLIANT', firstCompliantAt: group.firstCompliantAt });
  });

  it("shows the officer and the lead what they may do with an agreement, and enforces exactly that", async () => {
    const g = await engagedGroup();
    const { proposeWording: p } = await officer.ok(WordingProposeDocument, { input: { groupId: g.id, text: COMPLETE } });

    // Officer: may add a version; approving is the lead's, and the steps are missing too.
    let officerActions = await actionsFor(officer, p.id);
    expect(officerActions.proposeVersion).toEqual({
      action: 'proposeVersion', to: null, mutation: 'proposeWording', allowed: true, unmet: [], refusedBy: null,
    });
    expect(officerActions.approve).toEqual({
      action: 'approve', to: 'AGREED', mutation: 'approveWording', allowed: false, refusedBy: 'role', unmet: [LEAD_ONLY, ...STEPS_BEFORE_WORDING],
    });
    // Lead: the same agreement, disabled by the lifecycle only.
    let leadActions = await actionsFor(lead, p.id);
    expect(leadActions.proposeVersion).toMatchObject({ allowed: true, unmet: [] });
    expect(leadActions.approve).toEqual({
      action: 'approve', to: 'AGREED', mutation: 'approveWording', allowed: false, refusedBy: 'lifecycle', unmet: STEPS_BEFORE_WORDING,
    });

    // The API does what it said: the role reason is FORBIDDEN, the lifecycle reasons TRANSITION_NOT_ALLOWED with the same unmet.
    const forbidden = await officer.refuses('FORBIDDEN', WordingApproveDocument, { input: { agreementId: p.id, version: p.version } });
    expect(forbidden.extensions.permission).toBe('wording.approve');
    expect(forbidden.message.toLowerCase()).toBe(`${LEAD_ONLY}.`);
    const notYet = await lead.refuses('TRANSITION_NOT_ALLOWED', WordingApproveDocument, { input: { agreementId: p.id, version: p.version } });
    expect(notYet.extensions.unmet).toEqual(leadActions.approve.unmet);
    // And what it allows succeeds: the officer adds a version.
    const { proposeWording: p2 } = await officer.ok(WordingProposeDocument, {
      input: { groupId: g.id, text: `${COMPLETE}\n\nWith thanks.`, agreementVersion: p.version },
    });
    expect(p2).toMatchObject({ id: p.id, status: 'PROPOSED', version: p.version + 1 });

    // The steps covered by logged contacts: approve is enabled for the lead, still the lead's alone.
    await logSteps(g.id, ['POSITION_EXPLAINED', 'WORDING_REQUESTED']);
    officerActions = await actionsFor(officer, p.id);
    expect(officerActions.approve).toMatchObject({ allowed: false, refusedBy: 'role', unmet: [LEAD_ONLY] });
    await officer.refuses('FORBIDDEN', WordingApproveDocument, { input: { agreementId: p.id, version: p2.version } });
    leadActions = await actionsFor(lead, p.id);
    expect(leadActions.approve).toEqual({ action: 'approve', to: 'AGREED', mutation: 'approveWording', allowed: true, unmet: [], refusedBy: null });
    const { approveWording } = await lead.ok(WordingApproveDocument, { input: { agreementId: p.id, version: p2.version } });
    expect(approveWording.status).toBe('AGREED');
    expect((await readGroup(g.id)).status).toBe('WORDING_AGREED');

    // An AGREED agreement offers nothing to anyone; approving it again is refused with the reason shown.
    for (const client of [officer, lead]) {
      const actions = await actionsFor(client, p.id);
      expect(Object.values(actions).map((a) => a.allowed)).toEqual([false, false]);
    }
    leadActions = await actionsFor(lead, p.id);
    expect(leadActions.proposeVersion).toMatchObject({ refusedBy: 'lifecycle', unmet: [expect.stringMatching(/agreed takes no new versions/)] });
    expect(leadActions.approve).toMatchObject({ refusedBy: 'lifecycle', unmet: [expect.stringMatching(/cannot go from ‘Agreed’ to ‘Agreed’/)] });
    const again = await lead.refuses('TRANSITION_NOT_ALLOWED', WordingApproveDocument, { input: { agreementId: p.id, version: approveWording.version } });
    expect(again.extensions.unmet).toEqual(leadActions.approve.unmet);
  });

  it('refuses placements before wording is agreed, and all wording changes on a closed group, saying so in availableActions', async () => {
    const g = await newGroup();
    const early = await officer.refuses('TRANSITION_NOT_ALLOWED', WordingRecordPlacementDocument, {
      input: { groupId: g.id, placement: 'PINNED_MESSAGE', state: 'PUBLISHED', version: 1, evidenceNote: 'Seen' },
    });
    expect(early.extensions.unmet).toEqual(['wording must be agreed first']);

    const { proposeWording: open } = await officer.ok(WordingProposeDocument, { input: { groupId: g.id, text: COMPLETE } });
    const { closeGroup } = await officer.ok(WordingCloseGroupDocument, { input: { id: g.id, version: g.version, reason: 'Page deleted' } });

    // Closed: every action is disabled, the group's closure named first.
    const leadActions = await actionsFor(lead, open.id);
    expect(leadActions.proposeVersion).toMatchObject({ allowed: false, refusedBy: 'lifecycle', unmet: [GROUP_CLOSED_UNMET] });
    expect(leadActions.approve).toMatchObject({ allowed: false, refusedBy: 'lifecycle', unmet: [GROUP_CLOSED_UNMET, ...STEPS_BEFORE_WORDING] });
    const officerActions = await actionsFor(officer, open.id);
    expect(officerActions.proposeVersion.unmet).toEqual([GROUP_CLOSED_UNMET]);
    expect(officerActions.approve).toMatchObject({ allowed: false, refusedBy: 'role', unmet: [LEAD_ONLY, GROUP_CLOSED_UNMET, ...STEPS_BEFORE_WORDING] });

    const propose = await officer.refuses('TRANSITION_NOT_ALLOWED', WordingProposeDocument, { input: { groupId: g.id, text: COMPLETE } });
    expect(propose.extensions.unmet).toEqual(leadActions.proposeVersion.unmet);
    const approve = await lead.refuses('TRANSITION_NOT_ALLOWED', WordingApproveDocument, { input: { agreementId: open.id, version: open.version } });
    expect(approve.extensions.unmet).toEqual(leadActions.approve.unmet);
    const logo = await officer.refuses('TRANSITION_NOT_ALLOWED', WordingRecordLogoDocument, { input: { groupId: g.id, groupVersion: closeGroup.version, status: 'IN_USE' } });
    expect(logo.extensions.unmet).toEqual([GROUP_CLOSED_UNMET]);
    expect(await readAgreement(open.id)).toEqual(open);
    expect(await readGroup(g.id)).toMatchObject({
      status: 'CLOSED', logoStatus: 'NOT_USED', logoStatusChangedAt: null, version: closeGroup.version, wordingAgreements: [{ id: open.id, status: 'PROPOSED' }],
    });
  });

  it('keeps a group with the logo in use out of COMPLIANT until its removal is verified with evidence', async () => {
    const { groupId } = await agreedGroup({ usesLogo: true });
    for (const placement of ['PINNED_MESSAGE', 'AUTO_RESPONSE'] as const) {
      await officer.ok(WordingRecordPlacementDocument, { input: { groupId, placement, state: 'PUBLISHED', version: 1, evidenceNote: 'Published' } });
      await officer.ok(WordingRecordPlacementDocument, { input: { groupId, placement, state: 'VERIFIED', version: 2, evidenceNote: 'Verified' } });
    }
    let group = await readGroup(groupId);
    expect(group).toMatchObject({ status: 'WORDING_AGREED', logoStatus: 'IN_USE', firstCompliantAt: null });

    const { recordLogoStatus: requested } = await officer.ok(WordingRecordLogoDocument, {
      input: { groupId, groupVersion: group.version, status: 'REMOVAL_REQUESTED', note: 'Asked by DM to use their own image' },
    });
    expect(requested).toMatchObject({ status: 'WORDING_AGREED', logoStatus: 'REMOVAL_REQUESTED', usesLogo: true, version: group.version + 1 });
    expect(requested.notes).toMatch(/^\d{4}-\d{2}-\d{2} University logo: removal requested: Asked by DM to use their own image$/);
    expect(requested.logoStatusChangedAt).not.toBeNull();
    if (group.logoStatusChangedAt) expect(Date.parse(requested.logoStatusChangedAt!)).toBeGreaterThan(Date.parse(group.logoStatusChangedAt));

    // Stale group version, a move the logo table lacks: refused, nothing written.
    const stale = await officer.refuses('CONFLICT', WordingRecordLogoDocument, { input: { groupId, groupVersion: group.version, status: 'REMOVAL_VERIFIED', note: 'Gone' } });
    expect(stale.extensions).toMatchObject({ reason: 'STALE_VERSION', entity: 'Group', currentVersion: requested.version });
    const notUsed = await officer.refuses('TRANSITION_NOT_ALLOWED', WordingRecordLogoDocument, {
      input: { groupId, groupVersion: requested.version, status: 'NOT_USED' },
    });
    expect(notUsed.extensions).toMatchObject({ entity: 'Logo', from: 'REMOVAL_REQUESTED', to: 'NOT_USED' });
    expect(notUsed.extensions.unmet).toEqual([expect.stringMatching(/cannot go from ‘Removal requested’ to ‘Not used’/)]);

    // Verifying the removal needs evidence: a bare claim is refused, naming it; a blank note is no evidence either.
    const noEvidence = await officer.refuses('TRANSITION_NOT_ALLOWED', WordingRecordLogoDocument, {
      input: { groupId, groupVersion: requested.version, status: 'REMOVAL_VERIFIED' },
    });
    expect(noEvidence.extensions).toMatchObject({ entity: 'Logo', from: 'REMOVAL_REQUESTED', to: 'REMOVAL_VERIFIED' });
    expect(noEvidence.extensions.unmet).toEqual([expect.stringMatching(/^evidence must be given that the logo was removed/)]);
    for (const blank of [{ note: '   ' }, { evidenceUrl: ' ' }]) {
      const refused = await officer.refuses('BAD_USER_INPUT', WordingRecordLogoDocument, {
        input: { groupId, groupVersion: requested.version, status: 'REMOVAL_VERIFIED', ...blank },
      });
      expect(refused.extensions.field).toBe(`input.${Object.keys(blank)[0]}`);
    }
    expect(await readGroup(groupId)).toMatchObject({ logoStatus: 'REMOVAL_REQUESTED', version: requested.version, logoStatusChangedAt: requested.logoStatusChangedAt });

    // With a link to the page: verified, and nothing else stands between the group and compliance.
    const { recordLogoStatus: removed } = await officer.ok(WordingRecordLogoDocument, {
      input: { groupId, groupVersion: requested.version, status: 'REMOVAL_VERIFIED', evidenceUrl: 'https://instagram.com/wording_page' },
    });
    expect(removed).toMatchObject({ logoStatus: 'REMOVAL_VERIFIED', usesLogo: false, status: 'COMPLIANT' });
    expect(removed.notes).toMatch(/\n\d{4}-\d{2}-\d{2} University logo: removal verified: https:\/\/instagram\.com\/wording_page$/);
    expect(Date.parse(removed.logoStatusChangedAt!)).toBeGreaterThanOrEqual(Date.parse(requested.logoStatusChangedAt!));
    expect(removed.firstCompliantAt).not.toBeNull();

    // Seen in use again: the group is no longer compliant, by itself; a note of what was checked verifies the removal again.
    const { recordLogoStatus: back } = await officer.ok(WordingRecordLogoDocument, { input: { groupId, groupVersion: removed.version, status: 'IN_USE' } });
    expect(back).toMatchObject({ logoStatus: 'IN_USE', usesLogo: true, status: 'WORDING_AGREED' });
    const { recordLogoStatus: again } = await officer.ok(WordingRecordLogoDocument, {
      input: { groupId, groupVersion: back.version, status: 'REMOVAL_VERIFIED', note: 'Checked the profile picture: their own image' },
    });
    expect(again).toMatchObject({ logoStatus: 'REMOVAL_VERIFIED', status: 'COMPLIANT', firstCompliantAt: removed.firstCompliantAt });
    group = await readGroup(groupId);
    expect(group).toMatchObject({ status: 'COMPLIANT', logoStatusChangedAt: again.logoStatusChangedAt });

    const moves = await statusMoves(groupId);
    expect(moves.slice(-3)).toEqual([
      { from: 'WORDING_AGREED', to: 'COMPLIANT', transition: 'comply', automatic: true },
      { from: 'COMPLIANT', to: 'WORDING_AGREED', transition: 'complianceLapsed', automatic: true },
      { from: 'WORDING_AGREED', to: 'COMPLIANT', transition: 'comply', automatic: true },
    ]);
  });

  it('moves a group between ENGAGED, WORDING_AGREED and COMPLIANT by itself as placements change, recording each move as automatic', async () => {
    const built = await groupIn(env, 'COMPLIANT', { name: nextName() });
    const compliant = await readGroup(built.id);
    expect(compliant.firstCompliantAt).not.toBeNull();
    const [pinned, auto] = compliant.placements;
    expect([pinned!.state, auto!.state]).toEqual(['VERIFIED', 'VERIFIED']);

    // The pinned message taken down: COMPLIANT → ENGAGED.
    await officer.ok(WordingRecordPlacementDocument, { input: { groupId: built.id, placement: 'PINNED_MESSAGE', state: 'REMOVED', version: pinned!.version } });
    expect(await readGroup(built.id)).toMatchObject({ status: 'ENGAGED', firstCompliantAt: compliant.firstCompliantAt });
    // Published again: back to WORDING_AGREED; verified: COMPLIANT.
    await officer.ok(WordingRecordPlacementDocument, {
      input: { groupId: built.id, placement: 'PINNED_MESSAGE', state: 'PUBLISHED', version: pinned!.version + 1, evidenceNote: 'Pinned again' },
    });
    expect((await readGroup(built.id)).status).toBe('WORDING_AGREED');
    await officer.ok(WordingRecordPlacementDocument, {
      input: { groupId: built.id, placement: 'PINNED_MESSAGE', state: 'VERIFIED', version: pinned!.version + 2, evidenceNote: 'Seen pinned' },
    });
    expect(await readGroup(built.id)).toMatchObject({ status: 'COMPLIANT', firstCompliantAt: compliant.firstCompliantAt });

    // The auto-response removed, then verified straight away: both moves back in one request.
    await officer.ok(WordingRecordPlacementDocument, { input: { groupId: built.id, placement: 'AUTO_RESPONSE', state: 'REMOVED', version: auto!.version } });
    expect((await readGroup(built.id)).status).toBe('ENGAGED');
    await officer.ok(WordingRecordPlacementDocument, {
      input: { groupId: built.id, placement: 'AUTO_RESPONSE', state: 'VERIFIED', version: auto!.version + 1, evidenceUrl: 'https://instagram.com/p/auto_reply' },
    });
    const after = await readGroup(built.id);
    expect(after).toMatchObject({ status: 'COMPLIANT', firstCompliantAt: compliant.firstCompliantAt });

    // Every status change was the policy's own, each with its transition's name.
    expect(await statusMoves(built.id)).toEqual([
      { from: 'DISCOVERED', to: 'CONTACTING', transition: 'startContact', automatic: true },
      { from: 'CONTACTING', to: 'ENGAGED', transition: 'engage', automatic: true },
      { from: 'ENGAGED', to: 'WORDING_AGREED', transition: 'agreeWording', automatic: true },
      { from: 'WORDING_AGREED', to: 'COMPLIANT', transition: 'comply', automatic: true },
      { from: 'COMPLIANT', to: 'ENGAGED', transition: 'placementRemoved', automatic: true },
      { from: 'ENGAGED', to: 'WORDING_AGREED', transition: 'agreeWording', automatic: true },
      { from: 'WORDING_AGREED', to: 'COMPLIANT', transition: 'comply', automatic: true },
      { from: 'COMPLIANT', to: 'ENGAGED', transition: 'placementRemoved', automatic: true },
      { from: 'ENGAGED', to: 'WORDING_AGREED', transition: 'agreeWording', automatic: true },
      { from: 'WORDING_AGREED', to: 'COMPLIANT', transition: 'comply', automatic: true },
    ]);
  });

  it('supersedes the agreed wording when a new version is approved', async () => {
    const { groupId, agreement: first } = await agreedGroup();
    await officer.ok(WordingRecordPlacementDocument, { input: { groupId, placement: 'PINNED_MESSAGE', state: 'PUBLISHED', version: 1, evidenceNote: 'Up' } });

    const newText = `${COMPLETE}\n\nUpdated for the new term.`;
    const { proposeWording: second } = await officer.ok(WordingProposeDocument, { input: { groupId, text: newText } });
    expect(second.id).not.toBe(first.id);
    expect(second).toMatchObject({ status: 'PROPOSED', version: 1, versions: [{ number: 1, text: newText, proposedBy: 'UNIVERSITY' }] });
    // While the new one is negotiated, the agreed one stays current and its placements stand.
    let group = await readGroup(groupId);
    expect(group.currentWording).toEqual({ id: first.id, status: 'AGREED' });
    expect(group.wordingAgreements).toEqual([{ id: second.id, status: 'PROPOSED' }, { id: first.id, status: 'AGREED' }]);
    expect(group.placements.map((p) => p.state)).toEqual(['PUBLISHED', 'NOT_PUBLISHED']);

    const { approveWording: agreed } = await lead.ok(WordingApproveDocument, { input: { agreementId: second.id, version: 1 } });
    expect(agreed.status).toBe('AGREED');
    const old = await readAgreement(first.id);
    expect(old.status).toBe('SUPERSEDED');
    expect(old.supersededAt).not.toBeNull();
    expect(old.placements.map((p) => p.state)).toEqual(['PUBLISHED', 'NOT_PUBLISHED']);
    group = await readGroup(groupId);
    expect(group.currentWording).toEqual({ id: second.id, status: 'AGREED' });
    expect(group.wordingAgreements).toEqual([{ id: second.id, status: 'AGREED' }, { id: first.id, status: 'SUPERSEDED' }]);
    // The new wording has to be published afresh.
    expect(group.placements.map((p) => [p.state, p.version])).toEqual([['NOT_PUBLISHED', 1], ['NOT_PUBLISHED', 1]]);
    const superseded = await lead.refuses('TRANSITION_NOT_ALLOWED', WordingApproveDocument, { input: { agreementId: first.id, version: old.version } });
    expect(superseded.extensions).toMatchObject({ from: 'SUPERSEDED', to: 'AGREED' });
    expect(superseded.extensions.unmet).toEqual([expect.stringMatching(/‘Superseded’ is a final status/)]);
  });

  it("lists every version of a group's wording across its agreements, oldest first, with who proposed and recorded each", async () => {
    const g = await engagedGroup();
    await logSteps(g.id, ['POSITION_EXPLAINED', 'WORDING_REQUESTED']);
    const texts = [`${COMPLETE}\n\nDraft one.`, `${COMPLETE}\n\nTheir edit.`, `${COMPLETE}\n\nNew term.`];
    const { proposeWording: a1 } = await officer.ok(WordingProposeDocument, { input: { groupId: g.id, text: texts[0]! } });
    const { proposeWording: a1v2 } = await officer.ok(WordingProposeDocument, {
      input: { groupId: g.id, text: texts[1]!, proposedBy: 'ADMINISTRATORS', agreementVersion: a1.version },
    });
    await lead.ok(WordingApproveDocument, { input: { agreementId: a1.id, version: a1v2.version } });
    const { proposeWording: a2 } = await lead.ok(WordingProposeDocument, { input: { groupId: g.id, text: texts[2]! } });
    expect(a2.id).not.toBe(a1.id);

    let { group } = await officer.ok(WordingGroupVersionsDocument, { id: g.id });
    expect(group.wordingVersions.map(({ number, text, proposedBy, createdBy, agreement }) => ({ number, text, proposedBy, createdBy, agreement }))).toEqual([
      { number: 1, text: texts[0], proposedBy: 'UNIVERSITY', createdBy: { email: 'officer@signpost.test' }, agreement: { id: a1.id, status: 'AGREED', group: { id: g.id } } },
      { number: 2, text: texts[1], proposedBy: 'ADMINISTRATORS', createdBy: { email: 'officer@signpost.test' }, agreement: { id: a1.id, status: 'AGREED', group: { id: g.id } } },
      { number: 1, text: texts[2], proposedBy: 'UNIVERSITY', createdBy: { email: 'lead@signpost.test' }, agreement: { id: a2.id, status: 'PROPOSED', group: { id: g.id } } },
    ]);
    const times = group.wordingVersions.map((v) => Date.parse(v.createdAt));
    expect([...times].sort((x, y) => x - y)).toEqual(times);
    expect(new Set(group.wordingVersions.map((v) => v.id)).size).toBe(3);

    // Approving the second agreement supersedes the first; its versions stay, in place.
    await lead.ok(WordingApproveDocument, { input: { agreementId: a2.id, version: a2.version } });
    ({ group } = await lead.ok(WordingGroupVersionsDocument, { id: g.id }));
    expect(group.wordingVersions.map((v) => [v.text, v.agreement.status])).toEqual([
      [texts[0], 'SUPERSEDED'], [texts[1], 'SUPERSEDED'], [texts[2], 'AGREED'],
    ]);
    // The same versions as each agreement's own list.
    const own = await Promise.all([a1.id, a2.id].map(readAgreement));
    expect(own.flatMap((a) => a.versions.map((v) => v.text))).toEqual(texts);

    const bare = await newGroup();
    expect((await officer.ok(WordingBareGroupDocument, { id: bare.id })).group.wordingVersions).toEqual([]);
    for (const who of OUTSIDERS) await (await env.as(who)).fails('FORBIDDEN', WordingGroupVersionsDocument, { id: g.id });
  });

  it('re-runs the check on read and at approval, so a change of settings shows at once', async () => {
    const g = await newGroup();
    const { proposeWording } = await officer.ok(WordingProposeDocument, { input: { groupId: g.id, text: COMPLETE } });
    expect(proposeWording.latestVersion?.check.passes).toBe(true);
    const original = env.server.config.wording;
    // The university drops Samaritans and Shout from its list of reputable bodies.
    env.server.config.wording = { ...original, reputableBodies: [{ name: 'Nightline', url: 'https://www.nightline.ac.uk' }] };
    try {
      const wordingAgreement = await readAgreement(proposeWording.id);
      expect(wordingAgreement.latestVersion?.check).toMatchObject({ passes: false, missing: ['REPUTABLE_BODY'] });
      expect(wordingAgreement.latestVersion?.check.elements[1]!.explanation).toMatch(/Nightline/);
      const refused = await lead.refuses('TRANSITION_NOT_ALLOWED', WordingApproveDocument, { input: { agreementId: proposeWording.id, version: 1 } });
      expect(refused.extensions.unmet).toEqual(['the wording check must pass: it still needs an external reputable body', ...STEPS_BEFORE_WORDING]);
      expect((await actionsFor(lead, proposeWording.id)).approve.unmet).toEqual(refused.extensions.unmet);
    } finally {
      env.server.config.wording = original;
    }
    expect(await readAgreement(proposeWording.id)).toEqual(proposeWording);
  });

  it('takes concurrent proposals and revisions in turn: one agreement, one next template version', async () => {
    const g = await newGroup();
    const texts = [`${COMPLETE}\n\nFirst`, `${COMPLETE}\n\nSecond`];
    const results = await Promise.all(texts.map((text) => officer.gql(WordingProposeDocument, { input: { groupId: g.id, text } })));
    expect(results.map((r) => r.errors)).toEqual([undefined, undefined]);
    const { group } = await officer.ok(WordingGroupAgreementVersionsDocument, { id: g.id });
    expect(group.wordingAgreements).toHaveLength(1);
    expect(group.wordingAgreements[0]!.versions.map((v) => v.number)).toEqual([1, 2]);
    expect(group.wordingAgreements[0]!.versions.map((v) => v.text).sort()).toEqual([...texts].sort());

    const { createWordingTemplate: t } = await lead.ok(WordingCreateTemplateDocument, { input: { name: `Race ${kind}`, body: COMPLETE } });
    const revisions = await Promise.all(['A', 'B'].map((body) => lead.gql(WordingReviseTemplateDocument, { input: { id: t.id, body } })));
    expect(revisions.map((r) => r.errors?.[0]?.extensions?.code ?? 'OK').sort()).toEqual(['CONFLICT', 'OK']);
    const loser = revisions.find((r) => r.errors)!;
    expect(loser.data).toBeNull();
    expect(loser.errors?.[0]?.extensions).toMatchObject({ reason: 'STALE_VERSION', entity: 'Wording template', currentVersion: 2 });
    const versions = (await lead.ok(WordingTemplatesDocument, { includeOld: true })).wordingTemplates.filter((x) => x.name === `Race ${kind}`);
    expect(versions.map((x) => [x.version, x.current])).toEqual([[2, true], [1, false]]);
  });

  it('answers bad input with the field, and unknown records with NOT_FOUND', async () => {
    const g = await newGroup();
    const cases: [() => Promise<ContractError<'BAD_USER_INPUT'>>, string][] = [
      [() => officer.refuses('BAD_USER_INPUT', WordingProposeDocument, { input: { groupId: g.id, text: '   ' } }), 'input.text'],
      [() => officer.refuses('BAD_USER_INPUT', WordingProposeDocument, { input: { groupId: 'not-a-uuid', text: COMPLETE } }), 'input.groupId'],
      [() => officer.refuses('BAD_USER_INPUT', WordingProposeDocument, { input: { groupId: g.id, text: `bidi \u202e override` } }), 'input.text'],
      [() => officer.refuses('BAD_USER_INPUT', WordingProposeDocument, { input: { groupId: g.id, text: 'x'.repeat(10_001) } }), 'input.text'],
      [() => officer.refuses('BAD_USER_INPUT', WordingProposeDocument, { input: { groupId: g.id, text: COMPLETE, agreementVersion: 0 } }), 'input.agreementVersion'],
      [
        () => officer.refuses('BAD_USER_INPUT', WordingRecordPlacementDocument, {
          input: { groupId: g.id, placement: 'PINNED_MESSAGE', state: 'PUBLISHED', version: 1, evidenceUrl: 'javascript:alert(1)' },
        }),
        'input.evidenceUrl',
      ],
      [() => officer.refuses('BAD_USER_INPUT', WordingRecordLogoDocument, { input: { groupId: g.id, groupVersion: 1, status: 'IN_USE', note: 'x'.repeat(501) } }), 'input.note'],
      [
        () => officer.refuses('BAD_USER_INPUT', WordingRecordLogoDocument, { input: { groupId: g.id, groupVersion: 1, status: 'IN_USE', evidenceUrl: 'javascript:alert(1)' } }),
        'input.evidenceUrl',
      ],
      [() => lead.refuses('BAD_USER_INPUT', WordingApproveDocument, { input: { agreementId: g.id, version: 0 } }), 'input.version'],
    ];
    for (const [attempt, field] of cases) {
      const err = await attempt();
      expect(err.extensions.field, field).toBe(field);
      expect(err.extensions.fields.map((f) => f.field)).toContain(field);
    }
    // Not a value of the enum: refused before any resolver runs.
    const badEnum = await officer.fails('BAD_USER_INPUT', WordingRecordPlacementDocument, {
      input: { groupId: g.id, placement: 'BANNER' as Placement, state: 'PUBLISHED', version: 1 },
    });
    expect(badEnum.extensions.field).toMatch(/^input/);

    const notFound: [() => Promise<ContractError<'NOT_FOUND'>>, string][] = [
      [() => officer.refuses('NOT_FOUND', WordingProposeDocument, { input: { groupId: NOWHERE, text: COMPLETE } }), 'Group'],
      [() => officer.refuses('NOT_FOUND', WordingProposeDocument, { input: { groupId: g.id, text: COMPLETE, templateId: NOWHERE } }), 'Wording template'],
      [() => lead.refuses('NOT_FOUND', WordingApproveDocument, { input: { agreementId: NOWHERE, version: 1 } }), 'Wording agreement'],
      [
        () => officer.refuses('NOT_FOUND', WordingRecordPlacementDocument, {
          input: { groupId: NOWHERE, placement: 'PINNED_MESSAGE', state: 'PUBLISHED', version: 1, evidenceNote: 'x' },
        }),
        'Group',
      ],
      [() => officer.refuses('NOT_FOUND', WordingRecordLogoDocument, { input: { groupId: NOWHERE, groupVersion: 1, status: 'IN_USE' } }), 'Group'],
      [() => officer.fails('NOT_FOUND', WordingGetAgreementDocument, { id: NOWHERE }), 'Wording agreement'],
    ];
    for (const [attempt, entity] of notFound) expect((await attempt()).extensions.entity).toBe(entity);
    // Nothing was written for the group by any of these.
    expect(await readGroup(g.id)).toMatchObject({ version: g.version, logoStatus: 'NOT_USED', wordingAgreements: [] });
  });

  it('lets only the social media team see or change wording, placements and the logo', async () => {
    const { groupId, agreement } = await agreedGroup();
    const before = await readGroup(groupId);
    for (const who of OUTSIDERS) {
      const client = await env.as(who);
      const propose = await client.refuses('FORBIDDEN', WordingProposeDocument, { input: { groupId, text: COMPLETE } });
      expect(propose.extensions.permission).toBe('wording.propose');
      const approve = await client.refuses('FORBIDDEN', WordingApproveDocument, { input: { agreementId: agreement.id, version: agreement.version } });
      expect(approve.extensions.permission).toBe('wording.approve');
      const placement = await client.refuses('FORBIDDEN', WordingRecordPlacementDocument, {
        input: { groupId, placement: 'PINNED_MESSAGE', state: 'PUBLISHED', version: 1, evidenceNote: 'Seen' },
      });
      expect(placement.extensions.permission).toBe('placement.record');
      const logo = await client.refuses('FORBIDDEN', WordingRecordLogoDocument, { input: { groupId, groupVersion: before.version, status: 'IN_USE' } });
      expect(logo.extensions.permission).toBe('logo.record');
      await client.fails('FORBIDDEN', WordingGetAgreementDocument, { id: agreement.id });
      await client.fails('FORBIDDEN', WordingActionsDocument, { id: agreement.id });
    }
    const anonymous = env.anonymous();
    await anonymous.refuses('UNAUTHENTICATED', WordingProposeDocument, { input: { groupId, text: COMPLETE } });
    await anonymous.fails('UNAUTHENTICATED', WordingGetAgreementDocument, { id: agreement.id });
    expect(await readGroup(groupId)).toEqual(before);
    // The lead may do all the officer does.
    const { recordLogoStatus } = await lead.ok(WordingRecordLogoDocument, { input: { groupId, groupVersion: before.version, status: 'IN_USE' } });
    expect(recordLogoStatus.logoStatus).toBe('IN_USE');
  });

  it('reads nested wording for many groups in one request', async () => {
    const a = await agreedGroup();
    const b = await agreedGroup();
    const { groups } = await officer.ok(WordingNestedGroupsDocument, { search: 'Wording test group' });
    const byId = new Map(groups.edges.map((e) => [e.node.id, e.node]));
    for (const { groupId, agreement } of [a, b]) {
      const node = byId.get(groupId);
      expect(node?.currentWording).toEqual({ id: agreement.id, approvedBy: { displayName: 'Leo Lead' }, latestVersion: { number: 1, check: { passes: true } } });
      expect(node?.wordingAgreements).toEqual([{ versions: [{ number: 1 }], placements: [{ placement: 'PINNED_MESSAGE' }, { placement: 'AUTO_RESPONSE' }] }]);
      expect(node?.placements).toEqual([{ placement: 'PINNED_MESSAGE', state: 'NOT_PUBLISHED' }, { placement: 'AUTO_RESPONSE', state: 'NOT_PUBLISHED' }]);
    }
    // A group with no wording at all.
    const bare = await newGroup();
    const { group } = await officer.ok(WordingBareGroupDocument, { id: bare.id });
    expect(group).toEqual({ currentWording: null, wordingAgreements: [], placements: [], wordingVersions: [] });
  });
});
