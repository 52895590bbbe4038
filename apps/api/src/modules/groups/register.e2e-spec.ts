import { readFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildSchema, isEnumType } from 'graphql';
import {
  GROUP_STATUSES, GROUP_TRANSITIONS, PLATFORMS, POLICY_CHECKLIST_LABELS, POLICY_CHECKLIST_STEPS, RISK_LEVELS, WORDING_EXAMPLE,
  type ContractError, type ErrorCode, type GroupStatus as PolicyGroupStatus,
} from '@signpost/policy';
import { createTestEnvironment, databaseKinds, type TestEnvironment } from '../../testing/test-environment.js';
import { expectContractError, type Document, type TestClient } from '../../testing/test-client.js';
import { groupIn } from '../../testing/builders.js';
import {
  GroupsRegisterAddAdministratorDocument, GroupsRegisterApproveEscalationDocument, GroupsRegisterApproveWordingDocument, GroupsRegisterCreateDocument,
  GroupsRegisterEligibilityDocument, GroupsRegisterLogContactDocument, GroupsRegisterMarkUnresponsiveDocument, GroupsRegisterPlacementsDocument,
  GroupsRegisterPolicyStepsDocument, GroupsRegisterProposeWordingDocument, GroupsRegisterRecordEscalationDocument, GroupsRegisterRecordLogoDocument,
  GroupsRegisterRecordPlacementDocument, GroupsRegisterReportEscalationDocument, GroupsRegisterReviewDocument, GroupsRegisterRowsDocument,
  GroupsRegisterServiceFlagDocument, GroupsRegisterServiceViewDocument, GroupsRegisterSortedDocument, GroupsRegisterStatsDocument,
  GroupsRegisterTransitionsDocument, GroupsRegisterUpdateDocument,
  type ContactDirection, type ContactOutcome, type CreateGroupInput, type GroupFilter, type GroupSort, type GroupSortField, type GroupStatus,
  type GroupsRegisterRowsQuery, type GroupsRegisterSortedQuery, type GroupsRegisterStatsQuery, type Platform, type PolicyStep, type RiskLevel,
  type SortDirection,
} from '../../testing/generated/graphql.js';

const DAY = 24 * 60 * 60 * 1000;
const HOUR = 60 * 60 * 1000;
const ago = (ms: number): string => new Date(Date.now() - ms).toISOString();

/** The contract's own list of sort fields (schema.graphql), so a new one cannot go untested. */
const CONTRACT = buildSchema(readFileSync(new URL('../../../schema.graphql', import.meta.url), 'utf8'));
const enumValues = (name: string): string[] => {
  const type = CONTRACT.getType(name);
  if (!isEnumType(type)) throw new Error(`${name} is not an enum of the contract`);
  return type.getValues().map((v) => v.value as string);
};
const SORT_FIELDS = enumValues('GroupSortField') as GroupSortField[];
const DIRECTIONS = enumValues('SortDirection') as SortDirection[];

/**
 * A mutation that must fail with `code`: the error is the contract's, and the
 * answer carries no data and says the transaction was rolled back.
 */
async function refuses<C extends ErrorCode, R, V>(client: TestClient, code: C, doc: Document<R, V>, variables: V): Promise<ContractError<C>> {
  const result = await client.gql(doc, variables);
  const error = result.errors?.[0];
  expect(error?.extensions?.code, JSON.stringify(result.errors ?? result.data)).toBe(code);
  expectContractError(error!);
  expect(result.data, 'a failed mutation answers no data').toBeNull();
  expect(result.extensions?.transaction).toBe('ROLLED_BACK');
  return error as unknown as ContractError<C>;
}

/** Real mutations an officer and a lead make, for groups the builders do not cover (dates in the past, reviews, partial contact). */
function people(getEnv: () => TestEnvironment) {
  const officer = () => getEnv().as('officer');
  const lead = () => getEnv().as('lead');

  async function create(input: CreateGroupInput) {
    return (await (await officer()).ok(GroupsRegisterCreateDocument, { input })).createGroup;
  }

  async function log(groupId: string, direction: ContactDirection, outcome: ContactOutcome, msAgo: number, steps: PolicyStep[] = []) {
    return (await (await officer()).ok(GroupsRegisterLogContactDocument, {
      input: { groupId, direction, outcome, occurredAt: ago(msAgo), channel: 'PLATFORM_MESSAGE', summary: `${direction} contact`, steps },
    })).logContact;
  }

  /** Outbound attempts (days ago, oldest first) without a reply. */
  async function attempts(groupId: string, daysAgo: number[]) {
    for (const [i, days] of daysAgo.entries()) await log(groupId, 'OUTBOUND', 'NO_RESPONSE', days * DAY, i === 0 ? ['INTRODUCED'] : []);
  }

  async function placements(groupId: string) {
    return (await (await officer()).ok(GroupsRegisterPlacementsDocument, { id: groupId })).group;
  }

  /** Publishes and verifies both placements of the agreed wording; returns the records as verified, in the order done. */
  async function verifyPlacements(groupId: string) {
    const done = [];
    for (const placement of ['PINNED_MESSAGE', 'AUTO_RESPONSE'] as const) {
      for (const state of ['PUBLISHED', 'VERIFIED'] as const) {
        const record = (await placements(groupId)).placements.find((p) => p.placement === placement)!;
        const { recordPlacement } = await (await officer()).ok(GroupsRegisterRecordPlacementDocument, {
          input: { groupId, placement, state, version: record.version, evidenceUrl: `https://example.com/${placement.toLowerCase()}` },
        });
        if (state === 'VERIFIED') done.push(recordPlacement);
      }
    }
    return done;
  }

  /** Contacted, engaged, wording agreed (the steps the policy asks for first); returns the agreement. */
  async function agreeWording(groupId: string) {
    await log(groupId, 'OUTBOUND', 'NO_RESPONSE', 3 * HOUR, ['INTRODUCED', 'AFFILIATION_ASCERTAINED', 'POSITION_EXPLAINED', 'WORDING_REQUESTED']);
    await log(groupId, 'INBOUND', 'RESPONDED', 2 * HOUR);
    const { proposeWording } = await (await officer()).ok(GroupsRegisterProposeWordingDocument, { input: { groupId, text: WORDING_EXAMPLE } });
    return (await (await lead()).ok(GroupsRegisterApproveWordingDocument, { input: { agreementId: proposeWording.id, version: proposeWording.version } })).approveWording;
  }

  /** A group discovered `days` ago and brought to COMPLIANT now. */
  async function compliantSince(name: string, platform: Platform, riskLevel: RiskLevel, days: number) {
    const group = await create({ name, platform, kind: 'CONFESSIONS', riskLevel, discoveredAt: ago(days * DAY) });
    await agreeWording(group.id);
    await verifyPlacements(group.id);
    return group;
  }

  /** A review `days` ago: the next one falls due from then. */
  async function reviewedAgo(groupId: string, days: number) {
    return (await (await officer()).ok(GroupsRegisterReviewDocument, {
      input: { groupId, reviewedAt: ago(days * DAY), pinnedMessagePresent: false, autoResponsePresent: false, logoStillUsed: false },
    })).recordReview;
  }

  return { create, log, attempts, placements, verifyPlacements, agreeWording, compliantSince, reviewedAgo };
}

type Row = GroupsRegisterRowsQuery['groups']['edges'][number]['node'];

/** Where a row sorts under a field: the policy's order for STATUS and RISK, no review due after every date. */
function sortKey(field: GroupSortField, row: Row): string | number {
  switch (field) {
    case 'NAME': return row.name.toLowerCase();
    case 'STATUS': return GROUP_STATUSES.indexOf(row.status as PolicyGroupStatus);
    case 'RISK': return RISK_LEVELS.indexOf(row.riskLevel);
    case 'NEXT_REVIEW_DUE': return row.nextReviewDue ? Date.parse(row.nextReviewDue) : Number.POSITIVE_INFINITY;
    case 'DISCOVERED': return Date.parse(row.discoveredAt);
    case 'UPDATED': return Date.parse(row.updatedAt);
  }
}

/** The order the register must give: by the key, ties by id, both in the one direction. */
function expectedOrder(rows: Row[], field: GroupSortField, direction: SortDirection): string[] {
  const sign = direction === 'ASC' ? 1 : -1;
  const cmp = (a: string | number, b: string | number) => (a < b ? -1 : a > b ? 1 : 0);
  return [...rows].sort((a, b) => sign * (cmp(sortKey(field, a), sortKey(field, b)) || cmp(a.id, b.id))).map((r) => r.id);
}

describe.each(await databaseKinds())('the register sorted, searched and explained on %s', (kind) => {
  let env: TestEnvironment;
  let officer: TestClient;
  const act = people(() => env);
  let rows: Row[] = [];

  beforeAll(async () => {
    env = await createTestEnvironment(kind);
    officer = await env.as('officer');
    // Eight groups sharing "Sortreg": every sort has ties to break (two ECHOs, statuses, risks, two with no review due).
    const built: [string, PolicyGroupStatus, RiskLevel | null][] = [
      ['Sortreg Delta', 'DISCOVERED', 'CRITICAL'],
      ['Sortreg alpha', 'CONTACTING', 'LOW'],
      ['Sortreg Charlie', 'ENGAGED', 'HIGH'],
      ['SORTREG ECHO', 'CLOSED', null],
      ['Sortreg Bravo', 'REFUSED', null],
      ['Sortreg Golf', 'CLOSED', 'LOW'],
    ];
    for (const [name, status, risk] of built) {
      const g = await groupIn(env, status, { name });
      if (risk) await officer.ok(GroupsRegisterUpdateDocument, { input: { id: g.id, version: g.version, riskLevel: risk } });
    }
    await act.create({ name: 'Sortreg echo', platform: 'REDDIT', kind: 'MEMES', riskLevel: 'LOW', discoveredAt: ago(30 * DAY) });
    const foxtrot = await act.create({ name: 'Sortreg Foxtrot', platform: 'X', kind: 'OTHER', riskLevel: 'CRITICAL', discoveredAt: ago(400 * DAY) });
    // Reviewed 100 days ago: its next review was due long ago (overdue first when ascending).
    await act.reviewedAgo(foxtrot.id, 100);
    rows = (await officer.ok(GroupsRegisterRowsDocument, { filter: { search: 'sortreg' } })).groups.edges.map((e) => e.node);
    expect(rows).toHaveLength(8);
  });
  afterAll(() => env?.close());

  async function allPages(sort: GroupSort | undefined, first = 2): Promise<{ ids: string[]; pages: number }> {
    const ids: string[] = [];
    let after: string | null = null;
    let pages = 0;
    for (;;) {
      const page: GroupsRegisterSortedQuery = await officer.ok(GroupsRegisterSortedDocument, { first, after, sort, filter: { search: 'Sortreg' } });
      expect(page.groups.totalCount).toBe(rows.length);
      expect(page.groups.edges.length).toBeLessThanOrEqual(first);
      ids.push(...page.groups.edges.map((e) => e.node.id));
      pages++;
      if (!page.groups.pageInfo.hasNextPage) break;
      after = page.groups.pageInfo.endCursor;
      expect(pages, 'the pages never end').toBeLessThan(rows.length + 1);
    }
    return { ids, pages };
  }

  it('has every sort field of the contract, in both directions', () => {
    expect(SORT_FIELDS).toEqual(expect.arrayContaining(['NAME', 'STATUS', 'RISK', 'NEXT_REVIEW_DUE', 'DISCOVERED', 'UPDATED']));
    expect(DIRECTIONS.sort()).toEqual(['ASC', 'DESC']);
  });

  for (const field of SORT_FIELDS) {
    for (const direction of DIRECTIONS) {
      it(`sorts by ${field} ${direction}, two at a time through every page, never repeating or skipping a row`, async () => {
        const { ids, pages } = await allPages({ field, direction });
        expect(pages).toBe(Math.ceil(rows.length / 2));
        expect(new Set(ids).size).toBe(ids.length);
        expect(ids).toEqual(expectedOrder(rows, field, direction));
        // One page of everything gives the same order: the pages are slices of one stable order.
        expect((await allPages({ field, direction }, 100)).ids).toEqual(ids);
      });
    }
  }

  it('sorts by next review due ascending by default', async () => {
    const { ids } = await allPages(undefined);
    expect(ids).toEqual(expectedOrder(rows, 'NEXT_REVIEW_DUE', 'ASC'));
    // The overdue one first, the closed ones (no review due) last.
    expect(rows.find((r) => r.id === ids[0])!.name).toBe('Sortreg Foxtrot');
    expect(ids.slice(-2).map((id) => rows.find((r) => r.id === id)!.status)).toEqual(['CLOSED', 'CLOSED']);
  });

  it('refuses a cursor given out for another order, naming the field after', async () => {
    const page = (sort: GroupSort | undefined, after: string | null) =>
      officer.gql(GroupsRegisterSortedDocument, { first: 2, after, sort, filter: { search: 'Sortreg' } });
    const first = await officer.ok(GroupsRegisterSortedDocument, { first: 2, sort: { field: 'NAME', direction: 'ASC' }, filter: { search: 'Sortreg' } });
    const cursor = first.groups.pageInfo.endCursor!;
    // The same order takes it.
    expect((await page({ field: 'NAME', direction: 'ASC' }, cursor)).errors).toBeUndefined();
    for (const other of [{ field: 'NAME', direction: 'DESC' }, { field: 'STATUS', direction: 'ASC' }, { field: 'UPDATED', direction: 'ASC' }, undefined] as const) {
      const err = await officer.fails('BAD_USER_INPUT', GroupsRegisterSortedDocument, { first: 2, after: cursor, sort: other, filter: { search: 'Sortreg' } });
      expect(err.extensions.field, JSON.stringify(other)).toBe('after');
      expect(err.extensions.fields).toEqual([{ field: 'after', message: expect.any(String) }]);
    }
    for (const forged of ['not a cursor', Buffer.from(JSON.stringify(['NAME:ASC', "x'; DROP TABLE groups; --", 'also bad'])).toString('base64url')]) {
      const err = await officer.fails('BAD_USER_INPUT', GroupsRegisterSortedDocument, { first: 2, after: forged, sort: { field: 'NAME', direction: 'ASC' } });
      expect(err.extensions.field).toBe('after');
    }
  });

  it('finds groups by name, handle or URL, in any case, with % and _ taken literally', async () => {
    const token = `quokka${randomUUID().slice(0, 4)}`;
    const byName = await act.create({ name: `${token.toUpperCase()} Confessions`, platform: 'INSTAGRAM', kind: 'CONFESSIONS', riskLevel: 'LOW' });
    const byHandle = await act.create({ name: 'An animal page', handle: `@${token}_fan`, platform: 'TIKTOK', kind: 'MEMES', riskLevel: 'LOW' });
    const byUrl = await act.create({ name: 'Another animal page', url: `https://www.reddit.com/r/${token}s`, platform: 'REDDIT', kind: 'OTHER', riskLevel: 'LOW' });
    await act.create({ name: 'Unrelated page', handle: '@unrelated', platform: 'REDDIT', kind: 'OTHER', riskLevel: 'LOW' });
    const found = async (search: string) =>
      (await officer.ok(GroupsRegisterRowsDocument, { filter: { search } })).groups.edges.map((e) => e.node.id).sort();
    expect(await found(token)).toEqual([byName.id, byHandle.id, byUrl.id].sort());
    expect(await found(` ${token.toUpperCase()} `)).toEqual([byName.id, byHandle.id, byUrl.id].sort());
    expect(await found(`@${token}`)).toEqual([byHandle.id]);
    expect(await found(`reddit.com/r/${token}`)).toEqual([byUrl.id]);
    // As wildcards `_` and `%` would match all three.
    expect(await found(`${token}_`)).toEqual([byHandle.id]);
    expect(await found(`${token}%`)).toEqual([]);
  });

  it('tells an officer every possible move of a group, automatic ones with their trigger, manual ones with their mutation', async () => {
    const fromTable = (status: PolicyGroupStatus) => [...new Set(GROUP_TRANSITIONS.filter((t) => t.from.includes(status)).map((t) => t.name))].sort();
    const trigger = (name: string) => GROUP_TRANSITIONS.find((t) => t.name === name)!.trigger;
    const transitionsOf = async (id: string) => (await officer.ok(GroupsRegisterTransitionsDocument, { id })).group;

    const discovered = await groupIn(env, 'DISCOVERED', { name: 'Moves discovered' });
    const d = await transitionsOf(discovered.id);
    expect(d.availableTransitions.map((t) => t.action).sort()).toEqual(fromTable('DISCOVERED'));
    expect(d.availableTransitions.find((t) => t.action === 'startContact')).toEqual({
      action: 'startContact', to: 'CONTACTING', allowed: false, automatic: true, mutation: null, refusedBy: 'lifecycle',
      trigger: trigger('startContact'), unmet: ['an outbound contact with the administrators must be logged first'],
    });
    expect(d.availableTransitions.find((t) => t.action === 'close')).toEqual({
      action: 'close', to: 'CLOSED', allowed: true, automatic: false, mutation: 'closeGroup', refusedBy: null, trigger: null, unmet: [],
    });

    const contacting = await groupIn(env, 'CONTACTING', { name: 'Moves contacting' });
    const c = await transitionsOf(contacting.id);
    expect(c.availableTransitions.map((t) => t.action).sort()).toEqual(fromTable('CONTACTING'));
    for (const t of c.availableTransitions) {
      expect(t.automatic, t.action).toBe(!['close', 'markUnresponsive'].includes(t.action));
      expect(t.trigger === null, t.action).toBe(!t.automatic);
      expect(t.mutation === null, t.action).toBe(t.automatic);
      expect(t.allowed, t.action).toBe(t.unmet.length === 0);
    }
    const engage = c.availableTransitions.find((t) => t.action === 'engage')!;
    expect(engage).toMatchObject({ to: 'ENGAGED', allowed: false, automatic: true, trigger: trigger('engage') });
    expect(engage.unmet).toEqual([expect.stringContaining('responded')]);
    const unresponsive = c.availableTransitions.find((t) => t.action === 'markUnresponsive')!;
    expect(unresponsive).toMatchObject({ to: 'UNRESPONSIVE', allowed: false, automatic: false, mutation: 'markGroupUnresponsive', refusedBy: 'lifecycle' });
    expect(unresponsive.unmet).toEqual(expect.arrayContaining(['1 of 3 outbound contact attempts made', expect.stringContaining('days since the first outbound contact')]));
    expect(c.unresponsiveEligible).toBe(false);

    // The API enforces what it reported: the same refusal, with the same unmet list; nothing changes.
    const refused = await refuses(officer, 'TRANSITION_NOT_ALLOWED', GroupsRegisterMarkUnresponsiveDocument, { input: { id: contacting.id, version: c.version } });
    expect(refused.extensions).toMatchObject({ entity: 'Group', from: 'CONTACTING', to: 'UNRESPONSIVE', action: 'markUnresponsive' });
    expect(refused.extensions.unmet).toEqual(unresponsive.unmet);
    expect(await transitionsOf(contacting.id)).toEqual(c);

    const closed = await groupIn(env, 'CLOSED', { name: 'Moves closed' });
    const x = await transitionsOf(closed.id);
    // Reopening shows once: the move it would make, back to where the group was.
    expect(x.availableTransitions).toEqual([
      { action: 'reopen', to: 'DISCOVERED', allowed: true, automatic: false, mutation: 'reopenGroup', refusedBy: null, trigger: null, unmet: [] },
    ]);

    const engaged = await groupIn(env, 'ENGAGED', { name: 'Moves engaged' });
    const e = await transitionsOf(engaged.id);
    expect(e.availableTransitions.find((t) => t.action === 'agreeWording')).toMatchObject({
      to: 'WORDING_AGREED', allowed: false, automatic: true, trigger: trigger('agreeWording'),
      unmet: ['wording must be agreed with the administrators (approved by a lead) first'],
    });
  });

  it('keeps the possible moves, the eligibility and the checklist from a groups:read service (FORBIDDEN, group.readInternal)', async () => {
    const group = await groupIn(env, 'CONTACTING', { name: 'Service view' });
    const register = await env.asService(['groups:read']);
    for (const doc of [GroupsRegisterServiceViewDocument, GroupsRegisterServiceFlagDocument, GroupsRegisterPolicyStepsDocument] as const) {
      const result = await register.gql(doc, { id: group.id });
      const error = result.errors?.[0];
      expectContractError(error!);
      expect(error?.extensions).toMatchObject({ code: 'FORBIDDEN', permission: 'group.readInternal' });
      expect(error?.path?.[0]).toBe('group');
    }
    // The register's own facts stay readable.
    expect((await register.ok(GroupsRegisterRowsDocument, { filter: { search: 'Service view' } })).groups.edges.map((e) => e.node.status)).toEqual(['CONTACTING']);
  });

  it("follows a group through the policy's seven steps: which are done, when, and the record that covered each", async () => {
    const lead = await env.as('lead');
    const stepsOf = async (id: string) => (await officer.ok(GroupsRegisterPolicyStepsDocument, { id })).group;
    const byStep = (steps: Awaited<ReturnType<typeof stepsOf>>['policySteps']) => Object.fromEntries(steps.map((s) => [s.step, s]));

    const group = await act.create({ name: 'Checklist group', platform: 'INSTAGRAM', kind: 'CONFESSIONS', riskLevel: 'HIGH', usesLogo: true });
    const start = await stepsOf(group.id);
    expect(start.policySteps.map((s) => s.step)).toEqual([...POLICY_CHECKLIST_STEPS]);
    expect(start.policySteps.map((s) => s.label)).toEqual(POLICY_CHECKLIST_STEPS.map((s) => POLICY_CHECKLIST_LABELS[s]));
    let steps = byStep(start.policySteps);
    expect(steps.RECORDED).toMatchObject({ applicable: true, done: true, at: start.createdAt, coveredBy: { type: 'Group', id: group.id } });
    for (const s of ['CONTACTED', 'POSITION_EXPLAINED', 'WORDING_AGREED', 'PLACEMENTS_VERIFIED', 'LOGO_STOPPED'] as const) {
      expect(steps[s], s).toMatchObject({ applicable: true, done: false, at: null, coveredBy: null });
    }
    // Nothing to refer yet.
    expect(steps.REFERRED_OR_ESCALATED).toMatchObject({ applicable: false, done: false, coveredBy: null });

    // Introduced, but the affiliation not yet ascertained: not contacted in the policy's sense.
    await act.log(group.id, 'OUTBOUND', 'NO_RESPONSE', 3 * DAY, ['INTRODUCED']);
    expect(byStep((await stepsOf(group.id)).policySteps).CONTACTED!.done).toBe(false);
    const second = await act.log(group.id, 'OUTBOUND', 'NO_RESPONSE', 2 * DAY, ['AFFILIATION_ASCERTAINED', 'POSITION_EXPLAINED']);
    steps = byStep((await stepsOf(group.id)).policySteps);
    expect(steps.CONTACTED).toMatchObject({ done: true, at: second.occurredAt, coveredBy: { type: 'ContactLogEntry', id: second.id } });
    expect(steps.POSITION_EXPLAINED).toMatchObject({ done: true, at: second.occurredAt, coveredBy: { type: 'ContactLogEntry', id: second.id } });
    expect(steps.WORDING_AGREED!.done).toBe(false);

    await act.log(group.id, 'INBOUND', 'RESPONDED', DAY);
    await act.log(group.id, 'OUTBOUND', 'NO_RESPONSE', HOUR, ['WORDING_REQUESTED']);
    const { proposeWording } = await officer.ok(GroupsRegisterProposeWordingDocument, { input: { groupId: group.id, text: WORDING_EXAMPLE } });
    const { approveWording } = await lead.ok(GroupsRegisterApproveWordingDocument, { input: { agreementId: proposeWording.id, version: proposeWording.version } });
    steps = byStep((await stepsOf(group.id)).policySteps);
    expect(steps.WORDING_AGREED).toMatchObject({ done: true, at: approveWording.approvedAt, coveredBy: { type: 'WordingAgreement', id: approveWording.id } });
    expect(steps.PLACEMENTS_VERIFIED!.done).toBe(false);

    const verified = await act.verifyPlacements(group.id);
    const last = verified.at(-1)!;
    steps = byStep((await stepsOf(group.id)).policySteps);
    expect(steps.PLACEMENTS_VERIFIED).toMatchObject({ done: true, at: last.verifiedAt, coveredBy: { type: 'PlacementRecord', id: last.id } });
    // The logo is still in use, so the group waits in WORDING_AGREED.
    expect((await stepsOf(group.id)).status).toBe('WORDING_AGREED');
    expect(steps.LOGO_STOPPED!.done).toBe(false);

    const placed = await act.placements(group.id);
    const requested = (await officer.ok(GroupsRegisterRecordLogoDocument, {
      input: { groupId: group.id, groupVersion: placed.version, status: 'REMOVAL_REQUESTED', note: 'Asked them to remove the crest.' },
    })).recordLogoStatus;
    const removed = (await officer.ok(GroupsRegisterRecordLogoDocument, {
      input: { groupId: group.id, groupVersion: requested.version, status: 'REMOVAL_VERIFIED', evidenceUrl: 'https://example.com/no-crest' },
    })).recordLogoStatus;
    expect(removed.status).toBe('COMPLIANT');
    steps = byStep((await stepsOf(group.id)).policySteps);
    expect(steps.LOGO_STOPPED).toMatchObject({ applicable: true, done: true, at: removed.logoStatusChangedAt, coveredBy: { type: 'Group', id: group.id } });
    expect(steps.REFERRED_OR_ESCALATED!.applicable).toBe(false);

    const { recordEscalation } = await officer.ok(GroupsRegisterRecordEscalationDocument, {
      input: { groupId: group.id, kind: 'PLATFORM_REPORT', reason: 'The page started posting hate speech.' },
    });
    const approved = (await lead.ok(GroupsRegisterApproveEscalationDocument, { input: { id: recordEscalation.id, version: recordEscalation.version } })).approveEscalation;
    // An escalation not yet reported covers nothing.
    expect(byStep((await stepsOf(group.id)).policySteps).REFERRED_OR_ESCALATED!.done).toBe(false);
    const { reportEscalation } = await lead.ok(GroupsRegisterReportEscalationDocument, { input: { id: approved.id, version: approved.version, externalReference: 'IG-42' } });
    expect(reportEscalation.group.status).toBe('ESCALATED');
    const end = await stepsOf(group.id);
    steps = byStep(end.policySteps);
    expect(steps.REFERRED_OR_ESCALATED).toMatchObject({ applicable: true, done: true, at: reportEscalation.reportedAt, coveredBy: { type: 'Escalation', id: reportEscalation.id } });
    expect(end.policySteps.every((s) => s.done)).toBe(true);

    // A referred group: the step is covered by the submitted referral; a group without a logo has nothing to stop.
    const referred = await groupIn(env, 'REFERRED', { name: 'Checklist referred', administrators: ['STUDENT'] });
    const r = byStep((await stepsOf(referred.id)).policySteps);
    expect(r.REFERRED_OR_ESCALATED).toMatchObject({ applicable: true, done: true, coveredBy: { type: 'Referral', id: referred.referralIds[0] } });
    expect(r.LOGO_STOPPED).toMatchObject({ applicable: false, done: false });
    expect(r.CONTACTED!.done).toBe(true);
    expect(r.POSITION_EXPLAINED!.done).toBe(false);
  });
});

/** What the register of one test holds, written down as each group is made. */
interface Made {
  id: string;
  name: string;
  status: PolicyGroupStatus;
  platform: Platform;
  riskLevel: RiskLevel;
  discoveredAt: string;
  overdue: boolean;
  eligible: boolean;
}

/** percentile_cont: linear interpolation between the closest ranks. */
function percentile(values: number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const at = p * (sorted.length - 1);
  const lo = Math.floor(at);
  const hi = Math.ceil(at);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (at - lo);
}
const oneDecimal = (n: number | null) => (n === null ? null : Math.round(n * 10) / 10);

/** The last twelve calendar months (UTC), oldest first. */
function lastTwelveMonths(now = new Date()): string[] {
  return Array.from({ length: 12 }, (_, i) => new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 11 + i, 1)).toISOString().slice(0, 7));
}

describe.each(await databaseKinds())('the register in figures on %s', (kind) => {
  let env: TestEnvironment;
  let officer: TestClient;
  const act = people(() => env);
  const made: Made[] = [];
  let firstCompliant: Map<string, string> = new Map();
  const named: Record<string, string> = {};

  beforeAll(async () => {
    // A fresh register: every group in it is made here.
    env = await createTestEnvironment(kind);
    officer = await env.as('officer');
    const add = async (
      id: string, name: string, status: PolicyGroupStatus,
      facts: Partial<Pick<Made, 'platform' | 'riskLevel' | 'overdue' | 'eligible'>> & { discoveredAt?: string } = {},
    ) => {
      made.push({
        id, name, status, platform: facts.platform ?? 'INSTAGRAM', riskLevel: facts.riskLevel ?? 'MEDIUM',
        discoveredAt: facts.discoveredAt ?? new Date().toISOString(), overdue: facts.overdue ?? false, eligible: facts.eligible ?? false,
      });
      named[name] = id;
    };

    // One group in every status, through the real mutations.
    for (const status of GROUP_STATUSES) {
      const name = `Stats ${status.toLowerCase()}`;
      const g = await groupIn(env, status, { name, administrators: status === 'REFERRED' ? ['STUDENT'] : [] });
      await add(g.id, name, status);
    }
    // Compliant after a known number of days since they were seen.
    for (const [days, platform, riskLevel] of [[10, 'REDDIT', 'LOW'], [25, 'TIKTOK', 'HIGH'], [40, 'REDDIT', 'CRITICAL']] as const) {
      const name = `Stats compliant after ${days} days`;
      const g = await act.compliantSince(name, platform, riskLevel, days);
      await add(g.id, name, 'COMPLIANT', { platform, riskLevel, discoveredAt: g.discoveredAt });
    }
    // Reviews in the past: the next review is overdue.
    for (const [days, riskLevel, discovered] of [[100, 'LOW', 200], [8, 'CRITICAL', 400]] as const) {
      const name = `Stats overdue ${riskLevel.toLowerCase()}`;
      const g = await act.create({ name, platform: 'X', kind: 'OTHER', riskLevel, discoveredAt: ago(discovered * DAY) });
      await act.reviewedAgo(g.id, days);
      await add(g.id, name, 'DISCOVERED', { platform: 'X', riskLevel, overdue: true, discoveredAt: g.discoveredAt });
    }
    // Contact histories around the unresponsive rule (3 attempts, 14 days since the first, no reply since the last).
    const contacted = async (name: string, status: PolicyGroupStatus, eligible: boolean, history: (g: { id: string }) => Promise<void>) => {
      const g = await act.create({ name, platform: 'FACEBOOK', kind: 'SUPPORT', riskLevel: 'MEDIUM' });
      await history(g);
      await add(g.id, name, status, { platform: 'FACEBOOK', eligible, discoveredAt: g.discoveredAt });
    };
    await contacted('Stats three old attempts', 'CONTACTING', true, (g) => act.attempts(g.id, [21, 14, 7]));
    await contacted('Stats two old attempts', 'CONTACTING', false, (g) => act.attempts(g.id, [20, 15]));
    await contacted('Stats three recent attempts', 'CONTACTING', false, (g) => act.attempts(g.id, [3, 2, 1]));
    await contacted('Stats replied since', 'ENGAGED', false, async (g) => {
      await act.attempts(g.id, [21, 14, 7]);
      await act.log(g.id, 'INBOUND', 'RESPONDED', 3 * DAY);
    });
    await contacted('Stats engaged then silent', 'ENGAGED', true, async (g) => {
      await act.attempts(g.id, [30, 25, 20]);
      await act.log(g.id, 'INBOUND', 'RESPONDED', 15 * DAY);
      await act.log(g.id, 'OUTBOUND', 'NO_RESPONSE', 5 * DAY);
    });
    await contacted('Stats just past fourteen days', 'CONTACTING', true, async (g) => {
      for (const ms of [14 * DAY + HOUR, 5 * DAY, DAY]) await act.log(g.id, 'OUTBOUND', 'NO_RESPONSE', ms);
    });
    await contacted('Stats not yet fourteen days', 'CONTACTING', false, async (g) => {
      for (const ms of [14 * DAY - HOUR, 5 * DAY, DAY]) await act.log(g.id, 'OUTBOUND', 'NO_RESPONSE', ms);
    });

    const rows = (await officer.ok(GroupsRegisterRowsDocument, {})).groups.edges.map((e) => e.node);
    firstCompliant = new Map(rows.filter((r) => r.firstCompliantAt).map((r) => [r.id, r.firstCompliantAt!]));
    // The register holds exactly what was made, in the statuses it was brought to.
    expect(rows.map((r) => [r.id, r.status]).sort()).toEqual(made.map((m) => [m.id, m.status]).sort());
  });
  afterAll(() => env?.close());

  /** The figures the register must give for the groups `select` picks, from what was made. */
  function expected(select: (m: Made) => boolean): GroupsRegisterStatsQuery['registerStats'] {
    const groups = made.filter(select);
    const count = <K extends keyof Made>(key: K, value: Made[K]) => groups.filter((g) => g[key] === value).length;
    const days = groups.filter((g) => firstCompliant.has(g.id)).map((g) => (Date.parse(firstCompliant.get(g.id)!) - Date.parse(g.discoveredAt)) / DAY);
    return {
      total: groups.length,
      byStatus: GROUP_STATUSES.map((status) => ({ status: status as GroupStatus, count: count('status', status) })),
      byPlatform: PLATFORMS.map((platform) => ({ platform, count: count('platform', platform) })),
      byRiskLevel: RISK_LEVELS.map((riskLevel) => ({ riskLevel, count: count('riskLevel', riskLevel) })),
      overdueReviews: groups.filter((g) => g.overdue).length,
      unresponsiveEligible: groups.filter((g) => g.eligible).length,
      daysToCompliance: { groups: days.length, median: oneDecimal(percentile(days, 0.5)), p90: oneDecimal(percentile(days, 0.9)) },
      discoveredPerMonth: lastTwelveMonths().map((month) => ({ month, count: groups.filter((g) => g.discoveredAt.slice(0, 7) === month).length })),
    };
  }

  const stats = async (filter?: GroupFilter) => (await officer.ok(GroupsRegisterStatsDocument, { filter })).registerStats;

  it('counts the whole register by status, platform and risk, with its review and unresponsive queues', async () => {
    const figures = await stats();
    expect(figures).toEqual(expected(() => true));
    // By construction: one group in every status and three more made compliant; two overdue reviews; three eligible.
    expect(figures.total).toBe(made.length);
    expect(figures.byStatus.find((s) => s.status === 'COMPLIANT')!.count).toBe(4);
    expect(figures.byStatus.every((s) => s.count > 0)).toBe(true);
    expect(figures.byPlatform.find((p) => p.platform === 'NGL')!.count).toBe(0);
    expect(figures.overdueReviews).toBe(2);
    expect(figures.unresponsiveEligible).toBe(3);
    expect(figures.overdueReviews).toBe((await officer.ok(GroupsRegisterRowsDocument, { filter: { overdueReview: true } })).groups.totalCount);
  });

  it('gives the median and 90th percentile of days from sighting to compliance', async () => {
    const { daysToCompliance } = await stats();
    // Four compliant groups: about 0 (made compliant at once), 10, 25 and 40 days.
    expect(daysToCompliance.groups).toBe(4);
    expect(daysToCompliance.median).toBeCloseTo(17.5, 1);
    expect(daysToCompliance.p90).toBeCloseTo(35.5, 1);
    const none = await stats({ status: ['DISCOVERED'] });
    expect(none.daysToCompliance).toEqual({ groups: 0, median: null, p90: null });
  });

  it('counts the groups discovered in each of the last twelve months, oldest first, zeros included', async () => {
    const { discoveredPerMonth } = await stats();
    const months = lastTwelveMonths();
    expect(discoveredPerMonth.map((m) => m.month)).toEqual(months);
    const inMonth = (daysAgo: number) => new Date(Date.now() - daysAgo * DAY).toISOString().slice(0, 7);
    // The group seen 400 days ago falls outside the window; the one seen 200 days ago inside.
    expect(months).not.toContain(inMonth(400));
    expect(discoveredPerMonth.find((m) => m.month === inMonth(200))!.count).toBeGreaterThanOrEqual(1);
    expect(discoveredPerMonth.reduce((n, m) => n + m.count, 0)).toBe(made.length - 1);
    expect(discoveredPerMonth.some((m) => m.count === 0)).toBe(true);
  });

  it('applies the filter to every figure', async () => {
    const cases: [GroupFilter, (m: Made) => boolean][] = [
      [{ platform: ['REDDIT'] }, (m) => m.platform === 'REDDIT'],
      [{ status: ['COMPLIANT', 'CONTACTING'] }, (m) => m.status === 'COMPLIANT' || m.status === 'CONTACTING'],
      [{ riskLevel: ['LOW', 'CRITICAL'] }, (m) => m.riskLevel === 'LOW' || m.riskLevel === 'CRITICAL'],
      [{ overdueReview: true }, (m) => m.overdue],
      [{ unresponsiveEligible: true }, (m) => m.eligible],
      [{ search: 'stats compliant' }, (m) => m.name.startsWith('Stats compliant')],
    ];
    for (const [filter, select] of cases) {
      const figures = await stats(filter);
      expect(figures, JSON.stringify(filter)).toEqual(expected(select));
      expect(figures.total, JSON.stringify(filter)).toBeGreaterThan(0);
      expect(figures.total).toBeLessThan(made.length);
    }
  });

  it('is for the social media team only: FORBIDDEN to a groups:read service, HR and an administrator', async () => {
    const callers: [string, TestClient][] = [
      ['groups:read service', await env.asService(['groups:read'])],
      ['hr', await env.as('hr')],
      ['admin', await env.as('admin')],
    ];
    for (const [who, client] of callers) {
      const err = await client.fails('FORBIDDEN', GroupsRegisterStatsDocument, {});
      expect(err.extensions.permission, who).toBe('group.readInternal');
    }
    const lead = await env.as('lead');
    expect((await lead.ok(GroupsRegisterStatsDocument, {})).registerStats.total).toBe(made.length);
  });

  it('holds Group.unresponsiveEligible, the filter and markUnresponsive to one rule, and the API does what they say', async () => {
    const all = (await officer.ok(GroupsRegisterEligibilityDocument, {})).groups.edges.map((e) => e.node);
    const ids = (filter: GroupFilter) => officer.ok(GroupsRegisterEligibilityDocument, { filter }).then((r) => r.groups.edges.map((e) => e.node.id).sort());
    const eligible = all.filter((g) => g.unresponsiveEligible).map((g) => g.id).sort();
    const notEligible = all.filter((g) => !g.unresponsiveEligible).map((g) => g.id).sort();

    // The SQL filter and the field agree on every group of the register, and both are what the histories say.
    expect(await ids({ unresponsiveEligible: true })).toEqual(eligible);
    expect(await ids({ unresponsiveEligible: false })).toEqual(notEligible);
    expect(eligible.length + notEligible.length).toBe(made.length);
    expect(eligible).toEqual(made.filter((m) => m.eligible).map((m) => m.id).sort());
    expect((await stats()).unresponsiveEligible).toBe(eligible.length);

    // markUnresponsive is offered exactly where the group may be marked, and allowed exactly for the eligible.
    for (const g of all) {
      const move = g.availableTransitions.find((t) => t.action === 'markUnresponsive');
      expect(Boolean(move), `${g.status} offers markUnresponsive`).toBe(g.status === 'CONTACTING' || g.status === 'ENGAGED');
      if (!move) continue;
      expect({ id: g.id, allowed: move.allowed }).toEqual({ id: g.id, allowed: g.unresponsiveEligible });
      expect(move).toMatchObject({ to: 'UNRESPONSIVE', automatic: false, mutation: 'markGroupUnresponsive', refusedBy: g.unresponsiveEligible ? null : 'lifecycle' });
      expect(move.unmet.length === 0).toBe(g.unresponsiveEligible);
    }

    // Each reason the rule gives, where it gives it.
    const unmetOf = (name: string) => all.find((g) => g.id === named[name])!.availableTransitions.find((t) => t.action === 'markUnresponsive')!.unmet;
    expect(unmetOf('Stats two old attempts')).toEqual(['2 of 3 outbound contact attempts made']);
    expect(unmetOf('Stats three recent attempts')).toEqual(['3 of 14 days since the first outbound contact']);
    expect(unmetOf('Stats not yet fourteen days')).toEqual(['13 of 14 days since the first outbound contact']);
    expect(unmetOf('Stats replied since')).toEqual(['the administrators have responded since the last outbound contact']);

    // The refusals are the ones reported, word for word; and a group the rule does not cover is refused too.
    for (const name of ['Stats two old attempts', 'Stats replied since', 'Stats discovered']) {
      const g = all.find((x) => x.id === named[name])!;
      const err = await refuses(officer, 'TRANSITION_NOT_ALLOWED', GroupsRegisterMarkUnresponsiveDocument, { input: { id: g.id, version: g.version } });
      expect(err.extensions).toMatchObject({ entity: 'Group', from: g.status, action: 'markUnresponsive' });
      const reported = g.availableTransitions.find((t) => t.action === 'markUnresponsive');
      if (reported) expect(err.extensions.unmet).toEqual(reported.unmet);
    }

    // And the eligible ones can be marked, after which none is eligible any more.
    for (const id of eligible) {
      const g = all.find((x) => x.id === id)!;
      const { markGroupUnresponsive } = await officer.ok(GroupsRegisterMarkUnresponsiveDocument, { input: { id, version: g.version } });
      expect(markGroupUnresponsive).toMatchObject({ id, status: 'UNRESPONSIVE', version: g.version + 1, unresponsiveEligible: false });
    }
    expect(await ids({ unresponsiveEligible: true })).toEqual([]);
    expect((await stats()).unresponsiveEligible).toBe(0);
  });
});
