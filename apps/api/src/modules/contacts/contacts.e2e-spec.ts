import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnvironment, databaseKinds, type TestEnvironment } from '../../testing/test-environment.js';
import type { TestClient } from '../../testing/test-client.js';
import {
  ContactsAddAdministratorDocument, ContactsCloseGroupDocument, ContactsCreateGroupDocument, ContactsGroupDocument, ContactsGroupLogDocument,
  ContactsGroupStatusAndLogDocument, ContactsLogDocument, ContactsLogsOfGroupsDocument, ContactsMarkUnresponsiveDocument,
  type ContactChannel, type LogContactInput, type PolicyStep,
} from '../../testing/generated/graphql.js';

const MISSING = '00000000-0000-4000-8000-000000000000';
const OUTSIDERS = ['discipline', 'hr', 'legal', 'dpo', 'admin'] as const;

const ago = (minutes: number): string => new Date(Date.now() - minutes * 60_000).toISOString();

describe.each(await databaseKinds())('contact log on %s', (kind) => {
  let env: TestEnvironment;
  let officer: TestClient;
  beforeAll(async () => {
    env = await createTestEnvironment(kind);
    officer = await env.as('officer');
  });
  afterAll(() => env?.close());

  async function newGroup(name: string): Promise<{ id: string; version: number; status: string }> {
    const { createGroup } = await officer.ok(ContactsCreateGroupDocument, { input: { name, platform: 'REDDIT', kind: 'ANONYMOUS_QA', riskLevel: 'LOW' } });
    return createGroup;
  }

  const contact = (groupId: string, over: Partial<LogContactInput> = {}): LogContactInput => ({
    groupId, occurredAt: ago(60), channel: 'PLATFORM_MESSAGE', direction: 'OUTBOUND', summary: 'Introduced the team', outcome: 'NO_RESPONSE', ...over,
  });
  const log = async (input: LogContactInput) => (await officer.ok(ContactsLogDocument, { input })).logContact;
  const readGroup = async (id: string) => (await officer.ok(ContactsGroupDocument, { id })).group;

  it('logs contacts and moves the group DISCOVERED → CONTACTING → ENGAGED, newest first in the log', async () => {
    const group = await newGroup('Lifecycle group');
    const admin = (await officer.ok(ContactsAddAdministratorDocument, { input: { groupId: group.id, handle: '@lc_admin' } })).addAdministrator;

    const first = await log(contact(group.id, {
      occurredAt: ago(120), administratorId: admin.id, steps: ['POSITION_EXPLAINED', 'INTRODUCED', 'INTRODUCED'], summary: '  Sent a DM  ',
    }));
    // Steps are kept once each, in policy order; the group is read back in the same response.
    expect(first).toMatchObject({
      direction: 'OUTBOUND', outcome: 'NO_RESPONSE', summary: 'Sent a DM', steps: ['INTRODUCED', 'POSITION_EXPLAINED'], withWhom: null,
      administrator: { id: admin.id, handle: '@lc_admin' }, group: { id: group.id, status: 'CONTACTING', version: group.version + 1 },
    });

    const reply = await log(contact(group.id, { occurredAt: ago(30), direction: 'INBOUND', outcome: 'RESPONDED', withWhom: 'A co-admin', summary: 'They replied' }));
    expect(reply).toMatchObject({ administrator: null, withWhom: 'A co-admin', steps: [], group: { status: 'ENGAGED', version: group.version + 2 } });

    // A later outbound contact leaves an engaged group where it is.
    const followUp = await log(contact(group.id, { occurredAt: ago(5), steps: ['WORDING_REQUESTED'], summary: 'Asked for wording' }));
    expect(followUp.group).toEqual({ id: group.id, status: 'ENGAGED', version: group.version + 2 });

    const after = await readGroup(group.id);
    expect(after.contactLog.map((e: any) => e.id)).toEqual([followUp.id, reply.id, first.id]);
    expect(after.contactLog[2].administrator).toEqual({ handle: '@lc_admin' });

    const moves = await env.server.dataSource.query(
      `SELECT details FROM audit_events WHERE group_id = $1 AND action = 'group.status' ORDER BY id`, [group.id]);
    expect(moves.map((m: any) => [m.details.from, m.details.to, m.details.automatic])).toEqual([['DISCOVERED', 'CONTACTING', true], ['CONTACTING', 'ENGAGED', true]]);
    const logged = await env.server.dataSource.query(`SELECT details FROM audit_events WHERE entity_id = $1`, [first.id]);
    expect(logged[0].details).toEqual({ direction: 'OUTBOUND', channel: 'PLATFORM_MESSAGE', outcome: 'NO_RESPONSE', steps: ['INTRODUCED', 'POSITION_EXPLAINED'] });
  });

  it('leaves a group DISCOVERED when the administrators write first, until the team contacts them', async () => {
    const group = await newGroup('They wrote first');
    const inbound = await log(contact(group.id, { direction: 'INBOUND', outcome: 'RESPONDED', summary: 'They messaged us' }));
    expect(inbound.group).toEqual({ id: group.id, status: 'DISCOVERED', version: group.version });
    const refusal = await log(contact(group.id, { direction: 'INBOUND', outcome: 'REFUSED_ACCOUNTABILITY', summary: 'Not our problem, they said' }));
    expect(refusal.group!.status).toBe('DISCOVERED');

    const outbound = await log(contact(group.id, { occurredAt: ago(1), summary: 'We wrote back' }));
    expect(outbound.group).toEqual({ id: group.id, status: 'CONTACTING', version: group.version + 1 });
  });

  it('moves straight through CONTACTING to REFUSED when the first contact is refused, and back to ENGAGED on a reply', async () => {
    const group = await newGroup('Refused in person');
    const refused = await log(contact(group.id, { channel: 'IN_PERSON', outcome: 'REFUSED_TO_ENGAGE', summary: 'Refused at the stall' }));
    expect(refused.group).toEqual({ id: group.id, status: 'REFUSED', version: group.version + 2 });

    const reply = await log(contact(group.id, { occurredAt: ago(1), direction: 'INBOUND', outcome: 'ENGAGED', summary: 'Changed their mind' }));
    expect(reply.group).toEqual({ id: group.id, status: 'ENGAGED', version: group.version + 3 });

    const again = await log(contact(group.id, { occurredAt: ago(0), direction: 'INBOUND', outcome: 'REFUSED_ACCOUNTABILITY', summary: 'Will not moderate' }));
    expect(again.group!.status).toBe('REFUSED');
  });

  it('brings an unresponsive group back to ENGAGED when the administrators reply', async () => {
    const group = await newGroup('Went quiet');
    const day = 24 * 60;
    for (const days of [20, 17, 15]) await log(contact(group.id, { occurredAt: ago(days * day), summary: `Attempt ${days} days ago` }));
    const contacting = await readGroup(group.id);
    expect(contacting.status).toBe('CONTACTING');
    const { markGroupUnresponsive } = await officer.ok(ContactsMarkUnresponsiveDocument, { input: { id: group.id, version: contacting.version } });
    expect(markGroupUnresponsive.status).toBe('UNRESPONSIVE');

    const reply = await log(contact(group.id, { occurredAt: ago(1), direction: 'INBOUND', outcome: 'RESPONDED', summary: 'Sorry, missed it' }));
    expect(reply.group).toEqual({ id: group.id, status: 'ENGAGED', version: markGroupUnresponsive.version + 1 });
  });

  it('answers bad input with BAD_USER_INPUT naming the field, and writes nothing', async () => {
    const group = await newGroup('Bad contact input');
    const other = await newGroup('Someone else');
    const foreignAdmin = (await officer.ok(ContactsAddAdministratorDocument, { input: { groupId: other.id, handle: '@elsewhere' } })).addAdministrator;
    const cases: [LogContactInput, string][] = [
      [contact(group.id, { administratorId: foreignAdmin.id }), 'input.administratorId'],
      [contact(group.id, { administratorId: MISSING }), 'input.administratorId'],
      [contact(group.id, { occurredAt: new Date(Date.now() + 10 * 60_000).toISOString() }), 'input.occurredAt'],
      [contact(group.id, { occurredAt: 'yesterday' }), 'input.occurredAt'],
      [contact(group.id, { summary: '   ' }), 'input.summary'],
      [contact(group.id, { summary: 'x'.repeat(10_001) }), 'input.summary'],
      [contact(group.id, { withWhom: 'bad\u0007bell' }), 'input.withWhom'],
      [contact(group.id, { direction: 'INBOUND', outcome: 'NO_RESPONSE' }), 'input.outcome'],
      [contact(group.id, { steps: ['INTRODUCED', 'BRIBED' as PolicyStep] }), 'input.steps[1]'],
      [contact(group.id, { channel: 'CARRIER_PIGEON' as ContactChannel }), 'input.channel'],
      [contact('nope'), 'input.groupId'],
    ];
    for (const [input, field] of cases) {
      const err = await officer.fails('BAD_USER_INPUT', ContactsLogDocument, { input });
      expect(err.extensions?.field, JSON.stringify(input)).toBe(field);
    }
    expect(await readGroup(group.id)).toEqual({ status: 'DISCOVERED', version: group.version, contactLog: [] });

    // A few minutes ahead is a clock difference, not a mistake.
    const soon = await log(contact(group.id, { occurredAt: new Date(Date.now() + 3 * 60_000).toISOString() }));
    expect(soon.group!.status).toBe('CONTACTING');
  });

  it('answers NOT_FOUND for a group that does not exist', async () => {
    const err = await officer.fails('NOT_FOUND', ContactsLogDocument, { input: contact(MISSING, { summary: 'To nowhere' }) });
    expect(err.message).toBe('Group not found.');
    const [{ count }] = await env.server.dataSource.query(`SELECT count(*)::int AS count FROM contact_log_entries WHERE summary = 'To nowhere'`);
    expect(count).toBe(0);
  });

  it('refuses a contact on a closed group, naming the unmet condition, and writes nothing', async () => {
    const group = await newGroup('Closed contact group');
    await log(contact(group.id));
    const before = await readGroup(group.id);
    const closed = (await officer.ok(ContactsCloseGroupDocument, { input: { id: group.id, version: before.version, reason: 'No longer relevant' } })).closeGroup;
    const err = await officer.fails('TRANSITION_NOT_ALLOWED', ContactsLogDocument, { input: contact(group.id, { direction: 'INBOUND', outcome: 'RESPONDED' }) });
    expect(err.extensions.unmet).toEqual(['the group is closed; reopen it first']);
    expect(err.message).toBe('This group is closed, so you cannot log a contact with it: reopen it first.');
    const after = await readGroup(group.id);
    expect(after).toEqual({ ...before, status: 'CLOSED', version: closed.version });
  });

  it('lists the contact logs of many groups at once, each under its own group', async () => {
    const a = await newGroup('Log batch A');
    const b = await newGroup('Log batch B');
    await newGroup('Log batch C');
    await log(contact(a.id, { summary: 'A one', occurredAt: ago(10) }));
    await log(contact(a.id, { summary: 'A two', occurredAt: ago(5) }));
    await log(contact(b.id, { summary: 'B one' }));
    const { groups } = await officer.ok(ContactsLogsOfGroupsDocument, { search: 'Log batch' });
    const byName = Object.fromEntries(groups.edges.map((e: any) => [e.node.name, e.node.contactLog]));
    expect(byName['Log batch A'].map((c: any) => c.summary)).toEqual(['A two', 'A one']);
    expect(byName['Log batch A'][0].group.name).toBe('Log batch A');
    expect(byName['Log batch B'].map((c: any) => c.summary)).toEqual(['B one']);
    expect(byName['Log batch C']).toEqual([]);
  });

  it('lets only the social media team log or read contacts', async () => {
    const group = await newGroup('Private contacts');
    await log(contact(group.id, { summary: 'Private summary' }));
    const before = await readGroup(group.id);
    for (const who of OUTSIDERS) {
      const client = await env.as(who);
      await client.fails('FORBIDDEN', ContactsLogDocument, { input: contact(group.id, { direction: 'INBOUND', outcome: 'RESPONDED' }) });
      await client.fails('FORBIDDEN', ContactsGroupLogDocument, { id: group.id });
    }
    await env.anonymous().fails('UNAUTHENTICATED', ContactsLogDocument, { input: contact(group.id) });
    expect(await readGroup(group.id)).toEqual(before);

    // Not even a service that may read the register sees the log.
    const register = await env.asService(['groups:read']);
    const result = await register.gql(ContactsGroupStatusAndLogDocument, { id: group.id });
    expect(result.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(result.errors?.[0]?.path).toEqual(['group', 'contactLog']);
    expect(JSON.stringify(result.data)).not.toContain('Private summary');
  });
});
