import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WORDING_EXAMPLE } from '@signpost/policy';
import { createTestEnvironment, databaseKinds, type TestEnvironment } from '../../testing/test-environment.js';
import type { TestClient } from '../../testing/test-client.js';

// The example has one paragraph per element: non-representation, university support, reputable body, data handling.
const [, UNIVERSITY_SUPPORT, REPUTABLE_BODY] = WORDING_EXAMPLE.split('\n\n');
/** Signposts, but says nothing about representing the university or about data. */
const INCOMPLETE = `${UNIVERSITY_SUPPORT}\n\n${REPUTABLE_BODY}`;
const COMPLETE = WORDING_EXAMPLE;
const NOWHERE = '00000000-0000-4000-8000-000000000000';
const OUTSIDERS = ['discipline', 'hr', 'legal', 'dpo', 'admin'] as const;

const CREATE_GROUP = `mutation($input: CreateGroupInput!) { createGroup(input: $input) { id version status logoStatus } }`;
const AGREEMENT = `id status version approvedAt supersededAt approvedBy { email }
  versions { number text proposedBy }
  latestVersion { number check { passes missing elements { element present explanation matched } } }
  placements { id placement state version }`;
const PROPOSE = `mutation($input: ProposeWordingInput!) { proposeWording(input: $input) { ${AGREEMENT} } }`;
const APPROVE = `mutation($input: ApproveWordingInput!) { approveWording(input: $input) { ${AGREEMENT} } }`;
const READ_AGREEMENT = `query($id: ID!) { wordingAgreement(id: $id) { ${AGREEMENT} } }`;
const RECORD_PLACEMENT = `mutation($input: RecordPlacementInput!) {
  recordPlacement(input: $input) { id placement state version evidenceUrl evidenceNote publishedAt verifiedAt removedAt } }`;
const RECORD_LOGO = `mutation($input: RecordLogoStatusInput!) { recordLogoStatus(input: $input) { id status logoStatus usesLogo version notes } }`;
const GROUP = `query($id: ID!) { group(id: $id) {
  id status version logoStatus
  currentWording { id status }
  wordingAgreements { id status }
  placements { placement state version evidenceUrl evidenceNote }
} }`;
const CREATE_TEMPLATE = `mutation($input: CreateWordingTemplateInput!) {
  createWordingTemplate(input: $input) { id name version body supportLinks current check { passes missing } } }`;
const REVISE_TEMPLATE = `mutation($input: ReviseWordingTemplateInput!) {
  reviseWordingTemplate(input: $input) { id name version body supportLinks current } }`;
const TEMPLATES = `query($includeOld: Boolean) { wordingTemplates(includeOld: $includeOld) { id name version current supportLinks } }`;
const CHECK = `query($text: String!) { checkWording(text: $text) { passes missing elements { element present explanation } } }`;

describe.each(await databaseKinds())('wording, placements and logo on %s', (kind) => {
  let env: TestEnvironment;
  let officer: TestClient;
  let lead: TestClient;
  let counter = 0;

  beforeAll(async () => {
    env = await createTestEnvironment(kind);
    officer = await env.as('officer');
    lead = await env.as('lead');
  });
  afterAll(() => env?.close());

  async function newGroup(extra: Record<string, unknown> = {}) {
    const { createGroup } = await officer.ok(CREATE_GROUP, {
      input: { name: `Wording test group ${++counter}`, platform: 'INSTAGRAM', kind: 'CONFESSIONS', riskLevel: 'HIGH', ...extra },
    });
    return createGroup as { id: string; version: number; status: string };
  }

  /** ENGAGED the way the team gets there: an outbound contact and the administrators' reply. */
  async function engage(groupId: string) {
    const { __type } = await officer.ok(`{ __type(name: "Mutation") { fields { name } } }`);
    if (__type.fields.some((f: { name: string }) => f.name === 'logContact')) {
      for (const [direction, outcome, minutesAgo] of [['OUTBOUND', 'NO_RESPONSE', 120], ['INBOUND', 'ENGAGED', 60]] as const) {
        await officer.ok(`mutation($input: LogContactInput!) { logContact(input: $input) { id } }`, {
          input: {
            groupId, direction, outcome, channel: 'PLATFORM_MESSAGE', summary: `${direction} contact`,
            occurredAt: new Date(Date.now() - minutesAgo * 60_000).toISOString(), steps: ['INTRODUCED'],
          },
        });
      }
    } else {
      // The contacts module is not there yet: the same facts, written directly.
      await env.server.dataSource.query(
        `INSERT INTO contact_log_entries (group_id, occurred_at, channel, direction, summary, outcome)
         VALUES ($1, now() - interval '2 hours', 'PLATFORM_MESSAGE', 'OUTBOUND', 'Introduced the team', 'NO_RESPONSE'),
                ($1, now() - interval '1 hour', 'PLATFORM_MESSAGE', 'INBOUND', 'They replied', 'ENGAGED')`,
        [groupId],
      );
      await env.server.dataSource.query(`UPDATE groups SET status = 'ENGAGED', version = version + 1 WHERE id = $1`, [groupId]);
    }
    const { group } = await officer.ok(GROUP, { id: groupId });
    expect(group.status).toBe('ENGAGED');
    return group;
  }

  async function readGroup(id: string) {
    return (await officer.ok(GROUP, { id })).group;
  }

  /** An ENGAGED group with approved wording, so WORDING_AGREED. */
  async function agreedGroup(extra: Record<string, unknown> = {}) {
    const g = await newGroup(extra);
    await engage(g.id);
    const { proposeWording } = await officer.ok(PROPOSE, { input: { groupId: g.id, text: COMPLETE } });
    const { approveWording } = await lead.ok(APPROVE, { input: { agreementId: proposeWording.id, version: proposeWording.version } });
    return { groupId: g.id, agreement: approveWording };
  }

  it('runs the wording check as you type, naming what is missing', async () => {
    const { checkWording: fails } = await officer.ok(CHECK, { text: INCOMPLETE });
    expect(fails.passes).toBe(false);
    expect(fails.missing).toEqual(['NON_REPRESENTATION', 'DATA_HANDLING']);
    expect(fails.elements.map((e: any) => [e.element, e.present])).toEqual([
      ['UNIVERSITY_SUPPORT', true], ['REPUTABLE_BODY', true], ['NON_REPRESENTATION', false], ['DATA_HANDLING', false],
    ]);
    expect(fails.elements[2].explanation).toMatch(/does not represent/);
    const { checkWording: passes } = await lead.ok(CHECK, { text: COMPLETE });
    expect(passes).toMatchObject({ passes: true, missing: [] });
    const tooLong = await officer.fails('BAD_USER_INPUT', CHECK, { text: 'x'.repeat(10_001) });
    expect(tooLong.extensions?.field).toBe('text');
    for (const who of OUTSIDERS) await (await env.as(who)).fails('FORBIDDEN', CHECK, { text: COMPLETE });
    await env.anonymous().fails('UNAUTHENTICATED', CHECK, { text: COMPLETE });
  });

  it('keeps versioned templates that only the lead may change', async () => {
    const { createWordingTemplate: v1 } = await lead.ok(CREATE_TEMPLATE, {
      input: { name: 'Standard signposting', body: INCOMPLETE, supportLinks: ['https://www.example.ac.uk/wellbeing'] },
    });
    expect(v1).toMatchObject({ name: 'Standard signposting', version: 1, current: true, supportLinks: ['https://www.example.ac.uk/wellbeing'] });
    expect(v1.check).toEqual({ passes: false, missing: ['NON_REPRESENTATION', 'DATA_HANDLING'] });

    const { reviseWordingTemplate: v2 } = await lead.ok(REVISE_TEMPLATE, { input: { id: v1.id, body: COMPLETE } });
    expect(v2).toMatchObject({ name: 'Standard signposting', version: 2, current: true, body: COMPLETE, supportLinks: v1.supportLinks });
    expect(v2.id).not.toBe(v1.id);

    const current = (await officer.ok(TEMPLATES, {})).wordingTemplates.filter((t: any) => t.name === 'Standard signposting');
    expect(current).toEqual([{ id: v2.id, name: 'Standard signposting', version: 2, current: true, supportLinks: v1.supportLinks }]);
    const all = (await officer.ok(TEMPLATES, { includeOld: true })).wordingTemplates.filter((t: any) => t.name === 'Standard signposting');
    expect(all.map((t: any) => [t.version, t.current])).toEqual([[2, true], [1, false]]);

    // Revising a version that is no longer current: someone revised it since.
    await lead.fails('CONFLICT', REVISE_TEMPLATE, { input: { id: v1.id, body: 'Another text' } });
    await lead.fails('NOT_FOUND', REVISE_TEMPLATE, { input: { id: NOWHERE, body: 'Another text' } });
    const dup = await lead.fails('BAD_USER_INPUT', CREATE_TEMPLATE, { input: { name: 'standard SIGNPOSTING', body: COMPLETE } });
    expect(dup.extensions?.field).toBe('input.name');
    const badLink = await lead.fails('BAD_USER_INPUT', CREATE_TEMPLATE, {
      input: { name: 'Bad links', body: COMPLETE, supportLinks: ['https://www.example.ac.uk/ok', 'javascript:alert(1)'] },
    });
    expect(badLink.extensions?.field).toBe('input.supportLinks');
    const blank = await lead.fails('BAD_USER_INPUT', REVISE_TEMPLATE, { input: { id: v2.id, body: '  ' } });
    expect(blank.extensions?.field).toBe('input.body');

    // The officer reads templates but cannot change them; other roles cannot even read them.
    await officer.fails('FORBIDDEN', CREATE_TEMPLATE, { input: { name: 'Officer template', body: COMPLETE } });
    await officer.fails('FORBIDDEN', REVISE_TEMPLATE, { input: { id: v2.id, body: 'Officer edit' } });
    for (const who of OUTSIDERS) {
      const client = await env.as(who);
      await client.fails('FORBIDDEN', TEMPLATES, {});
      await client.fails('FORBIDDEN', CREATE_TEMPLATE, { input: { name: `${who} template`, body: COMPLETE } });
      await client.fails('FORBIDDEN', REVISE_TEMPLATE, { input: { id: v2.id, body: 'Edit' } });
    }
    // None of the refusals wrote anything.
    const after = (await lead.ok(TEMPLATES, { includeOld: true })).wordingTemplates;
    expect(after.map((t: any) => [t.name, t.version])).toEqual([['Standard signposting', 2], ['Standard signposting', 1]]);
  });

  it('refuses to approve wording that fails the check, then takes it through ENGAGED → WORDING_AGREED → COMPLIANT', async () => {
    const { createWordingTemplate: template } = await lead.ok(CREATE_TEMPLATE, { input: { name: `Base ${kind}`, body: COMPLETE } });
    const g = await newGroup();
    await engage(g.id);

    const { proposeWording: draft } = await officer.ok(PROPOSE, {
      input: { groupId: g.id, text: INCOMPLETE, asDraft: true, templateId: template.id },
    });
    expect(draft).toMatchObject({ status: 'DRAFT', version: 1, approvedAt: null, approvedBy: null, placements: [] });
    expect(draft.versions).toEqual([{ number: 1, text: INCOMPLETE, proposedBy: 'UNIVERSITY' }]);
    expect(draft.latestVersion.check).toMatchObject({ passes: false, missing: ['NON_REPRESENTATION', 'DATA_HANDLING'] });

    // Approval is refused, naming the missing elements, and changes nothing.
    const refused = await lead.fails('TRANSITION_NOT_ALLOWED', APPROVE, { input: { agreementId: draft.id, version: 1 } });
    expect(refused.extensions?.unmet).toBe(
      'the wording check must pass: it still needs a statement that the page does not represent the university and a statement of how user data is handled',
    );
    expect(refused.message).toMatch(/cannot move from DRAFT to AGREED/);
    expect((await officer.ok(READ_AGREEMENT, { id: draft.id })).wordingAgreement).toEqual(draft);
    expect(await readGroup(g.id)).toMatchObject({ status: 'ENGAGED', placements: [], currentWording: { id: draft.id, status: 'DRAFT' } });

    const { wordingAgreement: withTemplate } = await officer.ok(`query($id: ID!) { wordingAgreement(id: $id) { template { id version } group { id } } }`, { id: draft.id });
    expect(withTemplate).toEqual({ template: { id: template.id, version: 1 }, group: { id: g.id } });

    // Only the lead approves.
    await officer.fails('FORBIDDEN', APPROVE, { input: { agreementId: draft.id, version: 1 } });

    // The administrators' counter-proposal is the next version of the same agreement, and proposes it.
    const { proposeWording: proposed } = await officer.ok(PROPOSE, {
      input: { groupId: g.id, text: COMPLETE, proposedBy: 'ADMINISTRATORS', agreementVersion: 1 },
    });
    expect(proposed).toMatchObject({ id: draft.id, status: 'PROPOSED', version: 2 });
    expect(proposed.versions.map((v: any) => [v.number, v.proposedBy])).toEqual([[1, 'UNIVERSITY'], [2, 'ADMINISTRATORS']]);
    expect(proposed.latestVersion).toMatchObject({ number: 2, check: { passes: true, missing: [] } });

    // A stale agreement version: CONFLICT, and no third version.
    await officer.fails('CONFLICT', PROPOSE, { input: { groupId: g.id, text: `${COMPLETE}\n\nThanks!`, agreementVersion: 1 } });
    await lead.fails('CONFLICT', APPROVE, { input: { agreementId: draft.id, version: 1 } });
    // Back to a draft once proposed: the policy has no such move.
    const backToDraft = await officer.fails('TRANSITION_NOT_ALLOWED', PROPOSE, { input: { groupId: g.id, text: COMPLETE, asDraft: true } });
    expect(backToDraft.extensions?.unmet).toMatch(/cannot go from PROPOSED to DRAFT/);
    expect((await officer.ok(READ_AGREEMENT, { id: draft.id })).wordingAgreement).toEqual(proposed);

    const { approveWording: agreed } = await lead.ok(APPROVE, { input: { agreementId: draft.id, version: 2 } });
    expect(agreed).toMatchObject({ id: draft.id, status: 'AGREED', version: 3, approvedBy: { email: 'lead@signpost.test' }, supersededAt: null });
    expect(agreed.approvedAt).not.toBeNull();
    expect(agreed.placements.map((p: any) => [p.placement, p.state, p.version])).toEqual([
      ['PINNED_MESSAGE', 'NOT_PUBLISHED', 1], ['AUTO_RESPONSE', 'NOT_PUBLISHED', 1],
    ]);
    let group = await readGroup(g.id);
    expect(group).toMatchObject({ status: 'WORDING_AGREED', currentWording: { id: draft.id, status: 'AGREED' } });
    expect(group.placements.map((p: any) => p.state)).toEqual(['NOT_PUBLISHED', 'NOT_PUBLISHED']);
    // Approving twice: an agreed wording is only ever superseded.
    await lead.fails('TRANSITION_NOT_ALLOWED', APPROVE, { input: { agreementId: draft.id, version: 3 } });

    // Publishing needs evidence; refused, nothing changes.
    const noEvidence = await officer.fails('TRANSITION_NOT_ALLOWED', RECORD_PLACEMENT, {
      input: { groupId: g.id, placement: 'PINNED_MESSAGE', state: 'PUBLISHED', version: 1 },
    });
    expect(noEvidence.extensions?.unmet).toMatch(/evidence must be given/);
    const skip = await officer.fails('TRANSITION_NOT_ALLOWED', RECORD_PLACEMENT, {
      input: { groupId: g.id, placement: 'PINNED_MESSAGE', state: 'VERIFIED', version: 1, evidenceNote: 'Seen' },
    });
    expect(skip.extensions?.unmet).toMatch(/cannot go from NOT_PUBLISHED to VERIFIED/);
    expect((await readGroup(g.id)).placements).toEqual(group.placements);

    const { recordPlacement: pinned } = await officer.ok(RECORD_PLACEMENT, {
      input: { groupId: g.id, placement: 'PINNED_MESSAGE', state: 'PUBLISHED', version: 1, evidenceUrl: 'https://instagram.com/p/abc' },
    });
    expect(pinned).toMatchObject({ state: 'PUBLISHED', version: 2, evidenceUrl: 'https://instagram.com/p/abc', verifiedAt: null });
    expect(pinned.publishedAt).not.toBeNull();
    await officer.fails('CONFLICT', RECORD_PLACEMENT, {
      input: { groupId: g.id, placement: 'PINNED_MESSAGE', state: 'VERIFIED', version: 1, evidenceNote: 'Seen' },
    });
    await officer.ok(RECORD_PLACEMENT, {
      input: { groupId: g.id, placement: 'PINNED_MESSAGE', state: 'VERIFIED', version: 2, evidenceNote: 'Pinned at the top of the page' },
    });
    await officer.ok(RECORD_PLACEMENT, {
      input: { groupId: g.id, placement: 'AUTO_RESPONSE', state: 'PUBLISHED', version: 1, evidenceNote: 'Auto-reply received to a test message' },
    });
    expect((await readGroup(g.id)).status).toBe('WORDING_AGREED');
    const { recordPlacement: auto } = await officer.ok(RECORD_PLACEMENT, {
      input: { groupId: g.id, placement: 'AUTO_RESPONSE', state: 'VERIFIED', version: 2, evidenceNote: 'Checked again a day later' },
    });
    expect(auto).toMatchObject({ state: 'VERIFIED', version: 3, evidenceNote: 'Checked again a day later' });

    // Both placements verified and no logo: COMPLIANT.
    group = await readGroup(g.id);
    expect(group.status).toBe('COMPLIANT');
    expect(group.placements.map((p: any) => [p.placement, p.state])).toEqual([['PINNED_MESSAGE', 'VERIFIED'], ['AUTO_RESPONSE', 'VERIFIED']]);

    // A removal recorded by hand sends the group back to ENGAGED; republishing brings it back.
    await officer.ok(RECORD_PLACEMENT, { input: { groupId: g.id, placement: 'AUTO_RESPONSE', state: 'REMOVED', version: 3 } });
    expect((await readGroup(g.id)).status).toBe('ENGAGED');
    await officer.ok(RECORD_PLACEMENT, {
      input: { groupId: g.id, placement: 'AUTO_RESPONSE', state: 'VERIFIED', version: 4, evidenceNote: 'Turned back on' },
    });
    expect((await readGroup(g.id)).status).toBe('COMPLIANT');
  });

  it('keeps a group with the logo in use out of COMPLIANT until its removal is verified', async () => {
    const { groupId } = await agreedGroup({ usesLogo: true });
    for (const placement of ['PINNED_MESSAGE', 'AUTO_RESPONSE']) {
      await officer.ok(RECORD_PLACEMENT, { input: { groupId, placement, state: 'PUBLISHED', version: 1, evidenceNote: 'Published' } });
      await officer.ok(RECORD_PLACEMENT, { input: { groupId, placement, state: 'VERIFIED', version: 2, evidenceNote: 'Verified' } });
    }
    let group = await readGroup(groupId);
    expect(group).toMatchObject({ status: 'WORDING_AGREED', logoStatus: 'IN_USE' });

    const { recordLogoStatus: requested } = await officer.ok(RECORD_LOGO, {
      input: { groupId, groupVersion: group.version, status: 'REMOVAL_REQUESTED', note: 'Asked by DM to use their own image' },
    });
    expect(requested).toMatchObject({ status: 'WORDING_AGREED', logoStatus: 'REMOVAL_REQUESTED', usesLogo: true, version: group.version + 1 });
    expect(requested.notes).toMatch(/^\d{4}-\d{2}-\d{2} logo REMOVAL_REQUESTED: Asked by DM to use their own image$/);

    // Stale group version, a move the logo table lacks: refused, nothing written.
    await officer.fails('CONFLICT', RECORD_LOGO, { input: { groupId, groupVersion: group.version, status: 'REMOVAL_VERIFIED' } });
    const notUsed = await officer.fails('TRANSITION_NOT_ALLOWED', RECORD_LOGO, {
      input: { groupId, groupVersion: requested.version, status: 'NOT_USED' },
    });
    expect(notUsed.extensions?.unmet).toMatch(/cannot go from REMOVAL_REQUESTED to NOT_USED/);
    expect(await readGroup(groupId)).toMatchObject({ logoStatus: 'REMOVAL_REQUESTED', version: requested.version });

    const { recordLogoStatus: removed } = await officer.ok(RECORD_LOGO, {
      input: { groupId, groupVersion: requested.version, status: 'REMOVAL_VERIFIED' },
    });
    expect(removed).toMatchObject({ logoStatus: 'REMOVAL_VERIFIED', usesLogo: false, status: 'COMPLIANT' });
    group = await readGroup(groupId);
    expect(group.status).toBe('COMPLIANT');
  });

  it('supersedes the agreed wording when a new version is approved', async () => {
    const { groupId, agreement: first } = await agreedGroup();
    await officer.ok(RECORD_PLACEMENT, { input: { groupId, placement: 'PINNED_MESSAGE', state: 'PUBLISHED', version: 1, evidenceNote: 'Up' } });

    const newText = `${COMPLETE}\n\nUpdated for the new term.`;
    const { proposeWording: second } = await officer.ok(PROPOSE, { input: { groupId, text: newText } });
    expect(second.id).not.toBe(first.id);
    expect(second).toMatchObject({ status: 'PROPOSED', version: 1, versions: [{ number: 1, text: newText, proposedBy: 'UNIVERSITY' }] });
    // While the new one is negotiated, the agreed one stays current and its placements stand.
    let group = await readGroup(groupId);
    expect(group.currentWording).toEqual({ id: first.id, status: 'AGREED' });
    expect(group.wordingAgreements).toEqual([{ id: second.id, status: 'PROPOSED' }, { id: first.id, status: 'AGREED' }]);
    expect(group.placements.map((p: any) => p.state)).toEqual(['PUBLISHED', 'NOT_PUBLISHED']);

    const { approveWording: agreed } = await lead.ok(APPROVE, { input: { agreementId: second.id, version: 1 } });
    expect(agreed.status).toBe('AGREED');
    const old = (await officer.ok(READ_AGREEMENT, { id: first.id })).wordingAgreement;
    expect(old.status).toBe('SUPERSEDED');
    expect(old.supersededAt).not.toBeNull();
    expect(old.placements.map((p: any) => p.state)).toEqual(['PUBLISHED', 'NOT_PUBLISHED']);
    group = await readGroup(groupId);
    expect(group.currentWording).toEqual({ id: second.id, status: 'AGREED' });
    expect(group.wordingAgreements).toEqual([{ id: second.id, status: 'AGREED' }, { id: first.id, status: 'SUPERSEDED' }]);
    // The new wording has to be published afresh.
    expect(group.placements.map((p: any) => [p.state, p.version])).toEqual([['NOT_PUBLISHED', 1], ['NOT_PUBLISHED', 1]]);
    await lead.fails('TRANSITION_NOT_ALLOWED', APPROVE, { input: { agreementId: first.id, version: old.version } });
  });

  it('refuses placements before wording is agreed, and all wording changes on a closed group', async () => {
    const g = await newGroup();
    const early = await officer.fails('TRANSITION_NOT_ALLOWED', RECORD_PLACEMENT, {
      input: { groupId: g.id, placement: 'PINNED_MESSAGE', state: 'PUBLISHED', version: 1, evidenceNote: 'Seen' },
    });
    expect(early.extensions?.unmet).toBe('wording must be agreed first');

    const { proposeWording: open } = await officer.ok(PROPOSE, { input: { groupId: g.id, text: COMPLETE } });
    const { closeGroup } = await officer.ok(`mutation($input: CloseGroupInput!) { closeGroup(input: $input) { version status } }`, {
      input: { id: g.id, version: g.version, reason: 'Page deleted' },
    });
    const propose = await officer.fails('TRANSITION_NOT_ALLOWED', PROPOSE, { input: { groupId: g.id, text: COMPLETE } });
    expect(propose.extensions?.unmet).toBe('the group is closed; reopen it first');
    const approve = await lead.fails('TRANSITION_NOT_ALLOWED', APPROVE, { input: { agreementId: open.id, version: open.version } });
    expect(approve.extensions?.unmet).toBe('the group is closed; reopen it first');
    const logo = await officer.fails('TRANSITION_NOT_ALLOWED', RECORD_LOGO, { input: { groupId: g.id, groupVersion: closeGroup.version, status: 'IN_USE' } });
    expect(logo.extensions?.unmet).toBe('the group is closed; reopen it first');
    expect((await officer.ok(READ_AGREEMENT, { id: open.id })).wordingAgreement).toEqual(open);
    expect(await readGroup(g.id)).toMatchObject({ status: 'CLOSED', logoStatus: 'NOT_USED', version: closeGroup.version, wordingAgreements: [{ id: open.id, status: 'PROPOSED' }] });
  });

  it('re-runs the check on read and at approval, so a change of settings shows at once', async () => {
    const g = await newGroup();
    const { proposeWording } = await officer.ok(PROPOSE, { input: { groupId: g.id, text: COMPLETE } });
    expect(proposeWording.latestVersion.check.passes).toBe(true);
    const original = env.server.config.wording;
    // The university drops Samaritans and Shout from its list of reputable bodies.
    env.server.config.wording = { ...original, reputableBodies: [{ name: 'Nightline', url: 'https://www.nightline.ac.uk' }] };
    try {
      const { wordingAgreement } = await officer.ok(READ_AGREEMENT, { id: proposeWording.id });
      expect(wordingAgreement.latestVersion.check).toMatchObject({ passes: false, missing: ['REPUTABLE_BODY'] });
      expect(wordingAgreement.latestVersion.check.elements[1].explanation).toMatch(/Nightline/);
      const refused = await lead.fails('TRANSITION_NOT_ALLOWED', APPROVE, { input: { agreementId: proposeWording.id, version: 1 } });
      expect(refused.extensions?.unmet).toBe('the wording check must pass: it still needs an external reputable body');
    } finally {
      env.server.config.wording = original;
    }
    expect((await officer.ok(READ_AGREEMENT, { id: proposeWording.id })).wordingAgreement).toEqual(proposeWording);
  });

  it('takes concurrent proposals and revisions in turn: one agreement, one next template version', async () => {
    const g = await newGroup();
    const texts = [`${COMPLETE}\n\nFirst`, `${COMPLETE}\n\nSecond`];
    const results = await Promise.all(texts.map((text) => officer.gql(PROPOSE, { input: { groupId: g.id, text } })));
    expect(results.map((r) => r.errors)).toEqual([undefined, undefined]);
    const { group } = await officer.ok(`query($id: ID!) { group(id: $id) { wordingAgreements { id versions { number text } } } }`, { id: g.id });
    expect(group.wordingAgreements).toHaveLength(1);
    expect(group.wordingAgreements[0].versions.map((v: any) => v.number)).toEqual([1, 2]);
    expect(group.wordingAgreements[0].versions.map((v: any) => v.text).sort()).toEqual([...texts].sort());

    const { createWordingTemplate: t } = await lead.ok(CREATE_TEMPLATE, { input: { name: `Race ${kind}`, body: COMPLETE } });
    const revisions = await Promise.all(['A', 'B'].map((body) => lead.gql(REVISE_TEMPLATE, { input: { id: t.id, body } })));
    expect(revisions.map((r) => r.errors?.[0]?.extensions?.code ?? 'OK').sort()).toEqual(['CONFLICT', 'OK']);
    const versions = (await lead.ok(TEMPLATES, { includeOld: true })).wordingTemplates.filter((x: any) => x.name === `Race ${kind}`);
    expect(versions.map((x: any) => [x.version, x.current])).toEqual([[2, true], [1, false]]);
  });

  it('answers bad input with the field, and unknown records with NOT_FOUND', async () => {
    const g = await newGroup();
    const cases: [string, Record<string, unknown>, string][] = [
      [PROPOSE, { groupId: g.id, text: '   ' }, 'input.text'],
      [PROPOSE, { groupId: 'not-a-uuid', text: COMPLETE }, 'input.groupId'],
      [PROPOSE, { groupId: g.id, text: `bidi \u202e override` }, 'input.text'],
      [PROPOSE, { groupId: g.id, text: 'x'.repeat(10_001) }, 'input.text'],
      [PROPOSE, { groupId: g.id, text: COMPLETE, agreementVersion: 0 }, 'input.agreementVersion'],
      [RECORD_PLACEMENT, { groupId: g.id, placement: 'PINNED_MESSAGE', state: 'PUBLISHED', version: 1, evidenceUrl: 'javascript:alert(1)' }, 'input.evidenceUrl'],
      [RECORD_LOGO, { groupId: g.id, groupVersion: 1, status: 'IN_USE', note: 'x'.repeat(501) }, 'input.note'],
    ];
    for (const [query, input, field] of cases) {
      const err = await officer.fails('BAD_USER_INPUT', query, { input });
      expect(err.extensions?.field, JSON.stringify(input).slice(0, 80)).toBe(field);
    }
    const staleless = await lead.fails('BAD_USER_INPUT', APPROVE, { input: { agreementId: g.id, version: 0 } });
    expect(staleless.extensions?.field).toBe('input.version');
    const badEnum = await officer.fails('BAD_USER_INPUT', RECORD_PLACEMENT, {
      input: { groupId: g.id, placement: 'BANNER', state: 'PUBLISHED', version: 1 },
    });
    expect(badEnum.extensions?.field).toMatch(/^input/);

    await officer.fails('NOT_FOUND', PROPOSE, { input: { groupId: NOWHERE, text: COMPLETE } });
    await officer.fails('NOT_FOUND', PROPOSE, { input: { groupId: g.id, text: COMPLETE, templateId: NOWHERE } });
    await lead.fails('NOT_FOUND', APPROVE, { input: { agreementId: NOWHERE, version: 1 } });
    await officer.fails('NOT_FOUND', RECORD_PLACEMENT, { input: { groupId: NOWHERE, placement: 'PINNED_MESSAGE', state: 'PUBLISHED', version: 1, evidenceNote: 'x' } });
    await officer.fails('NOT_FOUND', RECORD_LOGO, { input: { groupId: NOWHERE, groupVersion: 1, status: 'IN_USE' } });
    await officer.fails('NOT_FOUND', READ_AGREEMENT, { id: NOWHERE });
    // Nothing was written for the group by any of these.
    expect(await readGroup(g.id)).toMatchObject({ version: g.version, logoStatus: 'NOT_USED', wordingAgreements: [] });
  });

  it('lets only the social media team see or change wording, placements and the logo', async () => {
    const { groupId, agreement } = await agreedGroup();
    const before = await readGroup(groupId);
    for (const who of OUTSIDERS) {
      const client = await env.as(who);
      await client.fails('FORBIDDEN', PROPOSE, { input: { groupId, text: COMPLETE } });
      await client.fails('FORBIDDEN', APPROVE, { input: { agreementId: agreement.id, version: agreement.version } });
      await client.fails('FORBIDDEN', RECORD_PLACEMENT, {
        input: { groupId, placement: 'PINNED_MESSAGE', state: 'PUBLISHED', version: 1, evidenceNote: 'Seen' },
      });
      await client.fails('FORBIDDEN', RECORD_LOGO, { input: { groupId, groupVersion: before.version, status: 'IN_USE' } });
      await client.fails('FORBIDDEN', READ_AGREEMENT, { id: agreement.id });
    }
    const anonymous = env.anonymous();
    await anonymous.fails('UNAUTHENTICATED', PROPOSE, { input: { groupId, text: COMPLETE } });
    await anonymous.fails('UNAUTHENTICATED', READ_AGREEMENT, { id: agreement.id });
    expect(await readGroup(groupId)).toEqual(before);
    // The lead may do all the officer does.
    const { recordLogoStatus } = await lead.ok(RECORD_LOGO, { input: { groupId, groupVersion: before.version, status: 'IN_USE' } });
    expect(recordLogoStatus.logoStatus).toBe('IN_USE');
  });

  it('reads nested wording for many groups in one request', async () => {
    const a = await agreedGroup();
    const b = await agreedGroup();
    const { groups } = await officer.ok(`{ groups(first: 100, filter: { search: "Wording test group" }) { edges { node {
      id currentWording { id approvedBy { displayName } latestVersion { number check { passes } } }
      wordingAgreements { versions { number } placements { placement } }
      placements { placement state }
    } } } }`);
    const byId = new Map(groups.edges.map((e: any) => [e.node.id, e.node]));
    for (const { groupId, agreement } of [a, b]) {
      const node: any = byId.get(groupId);
      expect(node.currentWording).toEqual({ id: agreement.id, approvedBy: { displayName: 'Leo Lead' }, latestVersion: { number: 1, check: { passes: true } } });
      expect(node.wordingAgreements).toEqual([{ versions: [{ number: 1 }], placements: [{ placement: 'PINNED_MESSAGE' }, { placement: 'AUTO_RESPONSE' }] }]);
      expect(node.placements).toEqual([{ placement: 'PINNED_MESSAGE', state: 'NOT_PUBLISHED' }, { placement: 'AUTO_RESPONSE', state: 'NOT_PUBLISHED' }]);
    }
    // A group with no wording at all.
    const bare = await newGroup();
    const { group } = await officer.ok(`query($id: ID!) { group(id: $id) { currentWording { id } wordingAgreements { id } placements { id } } }`, { id: bare.id });
    expect(group).toEqual({ currentWording: null, wordingAgreements: [], placements: [] });
  });
});
