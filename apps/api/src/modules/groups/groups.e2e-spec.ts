import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ContractError, ErrorCode } from '@signpost/policy';
import { createTestEnvironment, databaseKinds, type TestEnvironment } from '../../testing/test-environment.js';
import { expectContractError, type Document, type TestClient } from '../../testing/test-client.js';
import {
  GroupsCloseDocument, GroupsCountDocument, GroupsCreateDocument, GroupsGetDocument, GroupsInternalFieldsDocument, GroupsMeDocument,
  GroupsPageDocument, GroupsReopenDocument, GroupsUpdateDocument,
  type CreateGroupInput, type GroupsPageQuery,
} from '../../testing/generated/graphql.js';

const MISSING = '00000000-0000-4000-8000-000000000000';

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

describe.each(await databaseKinds())('groups on %s', (kind) => {
  let env: TestEnvironment;
  let officer: TestClient;
  beforeAll(async () => {
    env = await createTestEnvironment(kind);
    officer = await env.as('officer');
  });
  afterAll(() => env?.close());

  const create = async (input: CreateGroupInput) => (await officer.ok(GroupsCreateDocument, { input })).createGroup;

  it('records a group and lists it with its totalCount', async () => {
    const createGroup = await create({ name: 'Northfield Confessions', platform: 'INSTAGRAM', kind: 'CONFESSIONS', usesLogo: true, riskLevel: 'HIGH', handle: '@nf_confess' });
    expect(createGroup).toMatchObject({ name: 'Northfield Confessions', status: 'DISCOVERED', version: 1, usesLogo: true, logoStatus: 'IN_USE', reviewOverdue: false });
    const due = new Date(createGroup.nextReviewDue!).getTime() - Date.now();
    expect(Math.round(due / 86_400_000)).toBe(14);

    const { groups } = await officer.ok(GroupsPageDocument, { first: 10, filter: { search: 'northfield' } });
    expect(groups.totalCount).toBe(1);
    expect(groups.edges[0]!.node.id).toBe(createGroup.id);
  });

  it('pages with keyset cursors, overdue reviews first, never repeating a row', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 7; i++) {
      const createGroup = await create({ name: `Paging group ${i}`, platform: 'REDDIT', kind: 'MEMES', riskLevel: i % 2 ? 'LOW' : 'CRITICAL' });
      ids.push(createGroup.id);
    }
    const seen: string[] = [];
    const due: number[] = [];
    let after: string | null = null;
    let pages = 0;
    do {
      const page: GroupsPageQuery = await officer.ok(GroupsPageDocument, { first: 3, after, filter: { search: 'Paging group' } });
      expect(page.groups.totalCount).toBe(7);
      expect(page.groups.pageInfo.hasPreviousPage).toBe(after !== null);
      seen.push(...page.groups.edges.map((e) => e.node.id));
      due.push(...page.groups.edges.map((e) => new Date(e.node.nextReviewDue!).getTime()));
      after = page.groups.pageInfo.hasNextPage ? page.groups.pageInfo.endCursor : null;
      pages++;
    } while (after);
    expect(pages).toBe(3);
    expect(new Set(seen).size).toBe(7);
    expect([...seen].sort()).toEqual([...ids].sort());
    // The default order: soonest review due first (the CRITICAL ones, due in 7 days, before the LOW ones, in 90).
    expect(due).toEqual([...due].sort((a, b) => a - b));
  });

  it('refuses a stale update with CONFLICT naming the current version, answers no data, and changes nothing', async () => {
    const createGroup = await create({ name: 'Stale test', platform: 'X', kind: 'OTHER', riskLevel: 'LOW' });
    const first = await officer.ok(GroupsUpdateDocument, { input: { id: createGroup.id, version: 1, name: 'First edit' } });
    expect(first.updateGroup.version).toBe(2);
    const stale = await refuses(officer, 'CONFLICT', GroupsUpdateDocument, { input: { id: createGroup.id, version: 1, name: 'Second edit' } });
    expect(stale.extensions).toMatchObject({ reason: 'STALE_VERSION', entity: 'Group', currentVersion: 2 });
    const { group } = await officer.ok(GroupsGetDocument, { id: createGroup.id });
    expect(group).toEqual({ name: 'First edit', version: 2 });
  });

  it('answers bad input with BAD_USER_INPUT naming the field', async () => {
    const url = await refuses(officer, 'BAD_USER_INPUT', GroupsCreateDocument, {
      input: { name: 'Bad link', platform: 'X', kind: 'OTHER', riskLevel: 'LOW', url: 'javascript:alert(1)' },
    });
    expect(url.extensions.field).toBe('input.url');
    expect(url.extensions.fields.map((f) => f.field)).toEqual(['input.url']);
    const blank = await refuses(officer, 'BAD_USER_INPUT', GroupsCreateDocument, { input: { name: '   ', platform: 'X', kind: 'OTHER', riskLevel: 'LOW' } });
    expect(blank.extensions.field).toBe('input.name');
    const badId = await officer.fails('BAD_USER_INPUT', GroupsGetDocument, { id: '1 OR 1=1' });
    expect(badId.extensions.field).toBe('id');
    const missing = await officer.fails('NOT_FOUND', GroupsGetDocument, { id: MISSING });
    expect(missing.extensions.entity).toBe('Group');
    expect((await officer.ok(GroupsCountDocument, { filter: { search: 'Bad link' } })).groups.totalCount).toBe(0);
  });

  it('names every field at fault in one BAD_USER_INPUT: a blank name, a javascript: URL and a negative audience', async () => {
    const err = await refuses(officer, 'BAD_USER_INPUT', GroupsCreateDocument, {
      input: { name: '  ', platform: 'X', kind: 'OTHER', riskLevel: 'LOW', url: 'javascript:alert(1)', audienceSize: -5, handle: '@all_wrong' },
    });
    const fields = err.extensions.fields.map((f) => f.field);
    expect([...fields].sort()).toEqual(['input.audienceSize', 'input.name', 'input.url']);
    expect(err.extensions.field).toBe(fields[0]);
    for (const f of err.extensions.fields) expect(f.message.length, f.field).toBeGreaterThan(0);
    expect(err.message).toContain('2 more fields');
    expect((await officer.ok(GroupsCountDocument, { filter: { search: '@all_wrong' } })).groups.totalCount).toBe(0);
  });

  it('answers two variables of the wrong type with one BAD_USER_INPUT listing both', async () => {
    const result = await officer.gql(GroupsPageDocument, {
      first: 'ten' as unknown as number,
      filter: { status: ['NOT_A_STATUS' as never] },
    });
    expect(result.errors).toHaveLength(1);
    const [error] = result.errors!;
    expectContractError(error!);
    const ext = error!.extensions as ContractError<'BAD_USER_INPUT'>['extensions'];
    expect(ext.code).toBe('BAD_USER_INPUT');
    expect(ext.fields.map((f) => f.field).sort()).toEqual(['filter.status[0]', 'first']);
    // The values sent are not echoed back.
    expect(JSON.stringify(result.errors)).not.toContain('NOT_A_STATUS');
    expect(result.data ?? null).toBeNull();
  });

  it('closes with a reason and reopens to where it was', async () => {
    const createGroup = await create({ name: 'Gone page', platform: 'TIKTOK', kind: 'CONFESSIONS', riskLevel: 'MEDIUM' });
    const close = await officer.ok(GroupsCloseDocument, { input: { id: createGroup.id, version: 1, reason: 'The page was deleted by its owners' } });
    expect(close.closeGroup).toMatchObject({ status: 'CLOSED', closeReason: 'The page was deleted by its owners', nextReviewDue: null });
    const reopen = await officer.ok(GroupsReopenDocument, { input: { id: createGroup.id, version: close.closeGroup.version } });
    expect(reopen.reopenGroup).toEqual({ status: 'DISCOVERED', closeReason: null });
    // Reopening an open group is a lifecycle refusal, with the unmet conditions as a list.
    const again = await refuses(officer, 'TRANSITION_NOT_ALLOWED', GroupsReopenDocument, { input: { id: createGroup.id, version: close.closeGroup.version + 1 } });
    expect(again.extensions).toMatchObject({ entity: 'Group', from: 'DISCOVERED', action: 'reopen' });
    expect(again.extensions.unmet.length).toBeGreaterThan(0);
  });

  it('lets only the social media team see the register', async () => {
    for (const who of ['discipline', 'hr', 'legal', 'dpo', 'admin'] as const) {
      const client = await env.as(who);
      const err = await client.fails('FORBIDDEN', GroupsCountDocument, {});
      expect(err.extensions.permission, who).toBe('group.read');
    }
    const anonymous = await env.anonymous().fails('UNAUTHENTICATED', GroupsCountDocument, {});
    expect(anonymous.extensions.reason).toBe('NOT_SIGNED_IN');
    const lead = await env.as('lead');
    const { groups } = await lead.ok(GroupsCountDocument, {});
    expect(groups.totalCount).toBeGreaterThan(0);
  });

  it("keeps an officer's caseload from a groups:read service: filtering by assignedOfficerId or unresponsiveEligible is FORBIDDEN", async () => {
    const { me } = await officer.ok(GroupsMeDocument);
    const mine = await create({ name: 'Caseload group', platform: 'X', kind: 'OTHER', riskLevel: 'LOW', assignedOfficerId: me.id });
    await create({ name: 'Caseload other', platform: 'X', kind: 'OTHER', riskLevel: 'LOW' });

    // The officer may: the filter selects the group assigned to them.
    const assigned = await officer.ok(GroupsPageDocument, { first: 10, filter: { search: 'Caseload', assignedOfficerId: me.id } });
    expect(assigned.groups.edges.map((e) => e.node.id)).toEqual([mine.id]);
    expect((await officer.ok(GroupsCountDocument, { filter: { search: 'Caseload', unresponsiveEligible: false } })).groups.totalCount).toBe(2);

    const register = await env.asService(['groups:read']);
    // The register itself is the service's to read.
    expect((await register.ok(GroupsCountDocument, { filter: { search: 'Caseload' } })).groups.totalCount).toBe(2);
    for (const filter of [{ assignedOfficerId: me.id }, { unresponsiveEligible: true }, { unresponsiveEligible: false }]) {
      const err = await register.fails('FORBIDDEN', GroupsPageDocument, { first: 10, filter: { search: 'Caseload', ...filter } });
      expect(err.extensions, JSON.stringify(filter)).toMatchObject({ permission: 'group.readInternal', reason: 'INTERNAL_FILTER' });
      expect(err.message).toContain(`filter.${Object.keys(filter)[0]}`);
    }
    // Nor may it read the assignment or the notes of a group.
    const fields = await register.gql(GroupsInternalFieldsDocument, { id: mine.id });
    expect(fields.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', permission: 'group.readInternal' });
    expect(JSON.stringify(fields.data)).not.toContain(me.id);
  });
});
