import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  getNamedType, getNullableType, isEnumType, isInputObjectType, isListType, isNonNullType, isScalarType,
  type GraphQLArgument, type GraphQLField, type GraphQLInputType, type GraphQLNamedType,
} from 'graphql';
import { LIMITS, WORDING_EXAMPLE } from '@signpost/policy';
import { createSchema } from '../schema.js';
import { createTestEnvironment, databaseKinds, type DemoAccount, type TestEnvironment } from '../testing/test-environment.js';
import type { GraphQLResult, TestClient } from '../testing/test-client.js';
import { ServiceTokenClient } from '../testing/service-token-client.js';
import { HOSTILE_URLS } from './hostile-values.js';
import { findLeaks, snakeCaseTableNames, tableFingerprint } from './security-helpers.js';

/**
 * Bad input on every argument of every mutation (and every query argument)
 * answers BAD_USER_INPUT naming the field, and writes nothing.
 *
 * The cases are generated from the schema: for each argument, recursively
 * into nested input objects, one field at a time is made hostile in an
 * otherwise valid input. The valid inputs are a hand-written catalogue with
 * real ids; a mutation without an entry fails the test, so a new mutation
 * cannot skip it. The last test sends every catalogue input unchanged and
 * expects success, which shows the refusals were for the hostile field alone.
 */

const schema = await createSchema();
const MUTATIONS = schema.getMutationType()!.getFields();
const QUERIES = schema.getQueryType()!.getFields();

/** Longer than every text limit of the policy package. */
const OVER_LONG = 'x'.repeat(Math.max(...Object.values(LIMITS)) + 1);
const TEXT = [OVER_LONG, 'a\u0000b', 'a\u0007b', 'a\u001Bb', 'a\u0085b', 'a\u202Eb', 'a\u2066b', 'a\u200Fb', 5, { $gt: '' }];
const URL_CASES = [...HOSTILE_URLS, `https://example.com/${'a'.repeat(LIMITS.url)}`, 5, ['https://example.com/']];
const IDS = [
  '1 OR 1=1', '../../etc/passwd', "x'; DROP TABLE groups; --", '', 'a\u0000', '00000000-0000-4000-8000-000000000000\u202E',
  ' 00000000-0000-4000-8000-000000000000', '00000000-0000-4000-8000-0000000000001', OVER_LONG, 5.5, true, { id: 1 },
];
const INTS = [-1, 2_147_483_648, 1.5, '1', true];
const BOOLEANS = ['true', 1, 'yes', null];
const DATES = ['not a date', '2024-13-45T25:61:00Z', '', '2024-02-30T00:00:00Z', '0000-01-01T00:00:00Z', '-271821-04-20T00:00:00Z', '275760-09-13T00:00:00.000Z', true];
const UNKNOWN_KEYS = ['bogus', 'constructor', '__proto__', 'toString'];

/** Names of fields that hold links: checked with every spelling of a non-web URL. */
const isUrlish = (name: string): boolean => /(url|link|links)$/i.test(name);

function hostileValues(type: GraphQLNamedType, fieldName: string, nullable: boolean): unknown[] {
  const base = (() => {
    if (isEnumType(type)) {
      const first = type.getValues()[0]!.value as string;
      return ['NOT_A_VALUE', first.toLowerCase(), `${first} `, '', `${first}\u0000`, 5];
    }
    switch (type.name) {
      case 'String': return isUrlish(fieldName) ? URL_CASES : TEXT;
      case 'ID': return IDS;
      case 'Int': return INTS;
      case 'Boolean': return BOOLEANS.filter((v) => v !== null);
      case 'DateTimeISO': return DATES;
      default: return ['\u0000', {}];
    }
  })();
  // null is refused only where the type says so; where it is allowed it means "clear".
  return nullable ? base : [...base, null];
}

interface Case {
  label: string;
  variables: Record<string, unknown>;
  /** The field the error must name (a list's items may be named with their index). */
  fields: string[];
}

const printPath = (path: (string | number)[]): string =>
  path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');

function getAt(root: Record<string, unknown>, path: (string | number)[]): unknown {
  let v: any = root;
  for (const p of path) v = v?.[p];
  return v;
}

function setAt(root: Record<string, unknown>, path: (string | number)[], value: unknown): Record<string, unknown> {
  const copy = structuredClone(root);
  let v: any = copy;
  for (const p of path.slice(0, -1)) v = v[p] ??= {};
  Object.defineProperty(v, path.at(-1)!, { value, enumerable: true, writable: true, configurable: true });
  return copy;
}

const show = (v: unknown): string => {
  const s = JSON.stringify(v) ?? String(v);
  return s.length > 40 ? `${s.slice(0, 37)}...` : s;
};

/** Every hostile variant of `root`, one field at a time, walking `type` at `path`. */
function* casesFor(type: GraphQLInputType, path: (string | number)[], root: Record<string, unknown>): Generator<Case> {
  const at = printPath(path);
  const nullable = !isNonNullType(type);
  const inner = getNullableType(type);
  const named = getNamedType(type);
  const name = String(path.filter((p) => typeof p === 'string').at(-1));
  if (isListType(inner)) {
    const current = getAt(root, path);
    const items = Array.isArray(current) ? current : [];
    if (isInputObjectType(getNamedType(inner.ofType))) {
      if (items.length) yield* casesFor(inner.ofType, [...path, 0], root);
      return;
    }
    for (const v of hostileValues(named, name, !isNonNullType(inner.ofType))) {
      yield { label: `${at} item ${show(v)}`, variables: setAt(root, path, [...items, v]), fields: [at, `${at}[${items.length}]`] };
    }
    if (!nullable) yield { label: `${at} null`, variables: setAt(root, path, null), fields: [at] };
    return;
  }
  if (isInputObjectType(inner)) {
    const current = getAt(root, path);
    if (current === undefined || current === null) return; // the catalogue gives every nested object it wants covered
    for (const key of UNKNOWN_KEYS) {
      yield { label: `${at} unknown field ${key}`, variables: setAt(root, path, { ...(current as object), [key]: 'x' }), fields: [`${at}.${key}`] };
    }
    for (const v of ['x', [], 5, ...(nullable ? [] : [null])]) {
      yield { label: `${at} = ${show(v)}`, variables: setAt(root, path, v), fields: [at] };
    }
    for (const field of Object.values(inner.getFields())) yield* casesFor(field.type, [...path, field.name], root);
    return;
  }
  if (isScalarType(named) || isEnumType(named)) {
    for (const v of hostileValues(named, name, nullable)) {
      yield { label: `${at} = ${show(v)}`, variables: setAt(root, path, v), fields: [at] };
    }
  }
}

function* casesForField(field: GraphQLField<unknown, unknown>, valid: Record<string, unknown>): Generator<Case> {
  for (const arg of field.args) yield* casesFor(arg.type, [arg.name], valid);
}

/** `mutation($input: CreateGroupInput!) { createGroup(input: $input) { __typename } }`, from the schema. */
function documentFor(kind: 'query' | 'mutation', field: GraphQLField<unknown, unknown>): string {
  const vars = field.args.map((a: GraphQLArgument) => `$${a.name}: ${String(a.type)}`).join(', ');
  const args = field.args.map((a) => `${a.name}: $${a.name}`).join(', ');
  return `${kind}${vars ? `(${vars})` : ''} { ${field.name}${args ? `(${args})` : ''} { __typename } }`;
}

// ---------------------------------------------------------------------------
// The catalogue: who may call each operation, and one valid input with real ids.

type Ids = Record<string, any>;

interface Fixtures {
  officer: TestClient;
  lead: TestClient;
  discipline: TestClient;
  officerId: string;
  n: () => number;
  group(extra?: Record<string, unknown>): Promise<{ id: string; version: number }>;
  administrator(groupId: string, affiliation?: string): Promise<{ id: string; version: number }>;
  contact(groupId: string, direction: 'OUTBOUND' | 'INBOUND', outcome: string, daysAgo: number, steps?: string[]): Promise<void>;
  engaged(): Promise<string>;
  proposed(groupId: string): Promise<{ id: string; version: number }>;
  agreed(): Promise<{ groupId: string; agreementId: string }>;
  draft(groupId?: string): Promise<{ id: string; version: number }>;
  submitted(): Promise<{ id: string; version: number }>;
  escalation(stage: 'DRAFT' | 'APPROVED' | 'REPORTED'): Promise<{ id: string; version: number }>;
  template(): Promise<{ id: string }>;
  user(): Promise<{ id: string }>;
  serviceClient(scopes: string[]): Promise<{ id: string; token: string }>;
  version(query: string, variables: Record<string, unknown>, who?: TestClient): Promise<number>;
}

/** A demo account, or `reporter`: a service client with the groups:report scope. */
type Caller = DemoAccount | 'reporter';

interface Entry {
  as: Caller;
  prepare?: (f: Fixtures) => Promise<Ids>;
  input: (ids: Ids, f: Fixtures) => Record<string, unknown>;
}

const hoursAgo = (h: number): string => new Date(Date.now() - h * 3_600_000).toISOString();

const MUTATION_CATALOGUE: Record<string, Entry> = {
  createGroup: {
    as: 'officer',
    input: (_, f) => ({
      input: {
        name: `Catalogue group ${f.n()}`, platform: 'INSTAGRAM', kind: 'CONFESSIONS', handle: '@catalogue', url: 'https://www.instagram.com/catalogue',
        marketsToUniversity: true, usesLogo: false, audienceSize: 1200, discoveryMethod: 'Reported by a student', discoveredAt: hoursAgo(48),
        riskLevel: 'HIGH', assignedOfficerId: f.officerId, notes: 'Found during the weekly sweep.',
      },
    }),
  },
  updateGroup: {
    as: 'officer',
    prepare: (f) => f.group(),
    input: ({ id, version }, f) => ({
      input: {
        id, version, name: 'Renamed group', platform: 'TIKTOK', handle: '@renamed', url: 'https://www.tiktok.com/@renamed', kind: 'ANONYMOUS_QA',
        marketsToUniversity: false, audienceSize: 40, discoveryMethod: 'Tip-off', riskLevel: 'LOW', assignedOfficerId: f.officerId, notes: 'Updated.',
      },
    }),
  },
  closeGroup: { as: 'officer', prepare: (f) => f.group(), input: ({ id, version }) => ({ input: { id, version, reason: 'The page was deleted.' } }) },
  reopenGroup: {
    as: 'officer',
    prepare: async (f) => {
      const g = await f.group();
      await f.officer.ok(`mutation($input: CloseGroupInput!) { closeGroup(input: $input) { id } }`, { input: { id: g.id, version: g.version, reason: 'Gone for now.' } });
      return { id: g.id, version: g.version + 1 };
    },
    input: ({ id, version }) => ({ input: { id, version } }),
  },
  markGroupUnresponsive: {
    as: 'officer',
    prepare: async (f) => {
      const g = await f.group();
      for (const days of [20, 19, 18]) await f.contact(g.id, 'OUTBOUND', 'NO_RESPONSE', days);
      return { id: g.id, version: await f.version(`query($id: ID!) { group(id: $id) { version } }`, { id: g.id }) };
    },
    input: ({ id, version }) => ({ input: { id, version } }),
  },
  addAdministrator: {
    as: 'officer',
    prepare: async (f) => ({ groupId: (await f.group()).id }),
    input: ({ groupId }) => ({
      input: {
        groupId, handle: '@admin_one', name: 'Sam Admin', affiliation: 'STUDENT', affiliationMethod: 'Said so in a message',
        universityId: 'S7654321', contactDetails: 'Direct message on the platform', notes: 'Polite.',
      },
    }),
  },
  updateAdministrator: {
    as: 'officer',
    prepare: async (f) => f.administrator((await f.group()).id),
    input: ({ id, version }) => ({
      input: {
        id, version, handle: '@admin_two', name: 'Sam Admin-Two', affiliation: 'STAFF', affiliationMethod: 'Staff directory',
        universityId: 'E1234', contactDetails: 'Email via the platform', notes: 'Changed role.',
      },
    }),
  },
  logContact: {
    as: 'officer',
    prepare: async (f) => {
      const g = await f.group();
      return { groupId: g.id, administratorId: (await f.administrator(g.id)).id };
    },
    input: ({ groupId, administratorId }) => ({
      input: {
        groupId, administratorId, occurredAt: hoursAgo(2), channel: 'PLATFORM_MESSAGE', direction: 'OUTBOUND', withWhom: 'The page admin',
        summary: 'Introduced the team.', steps: ['INTRODUCED', 'AFFILIATION_ASCERTAINED'], outcome: 'NO_RESPONSE',
      },
    }),
  },
  recordConcern: {
    as: 'officer',
    prepare: async (f) => ({ groupId: (await f.group()).id }),
    input: ({ groupId }) => ({
      input: {
        groupId, category: 'WELLBEING_SAFETY', severity: 'MEDIUM', link: 'https://www.instagram.com/p/abc123/', description: 'A post about feeling low.',
        seenAt: hoursAgo(3), actionTaken: 'SIGNPOSTED',
      },
    }),
  },
  createWordingTemplate: {
    as: 'lead',
    input: (_, f) => ({ input: { name: `Catalogue template ${f.n()}`, body: WORDING_EXAMPLE, supportLinks: ['https://www.example.ac.uk/wellbeing'] } }),
  },
  reviseWordingTemplate: {
    as: 'lead',
    prepare: (f) => f.template(),
    input: ({ id }) => ({ input: { id, body: `${WORDING_EXAMPLE}\n\nRevised.`, supportLinks: ['https://www.example.ac.uk/report-and-support'] } }),
  },
  proposeWording: {
    as: 'officer',
    prepare: async (f) => ({ groupId: await f.engaged(), templateId: (await f.template()).id }),
    input: ({ groupId, templateId }) => ({
      input: { groupId, text: WORDING_EXAMPLE, proposedBy: 'ADMINISTRATORS', templateId, asDraft: false, agreementVersion: null },
    }),
  },
  approveWording: {
    as: 'lead',
    prepare: async (f) => f.proposed(await f.engaged()),
    input: ({ id, version }) => ({ input: { agreementId: id, version } }),
  },
  recordPlacement: {
    as: 'officer',
    prepare: async (f) => f.agreed(),
    input: ({ groupId }) => ({
      input: { groupId, placement: 'PINNED_MESSAGE', state: 'PUBLISHED', evidenceUrl: 'https://www.instagram.com/p/pinned/', evidenceNote: 'Pinned at the top.', version: 1 },
    }),
  },
  recordLogoStatus: {
    as: 'officer',
    prepare: (f) => f.group({ usesLogo: true }),
    input: ({ id, version }) => ({ input: { groupId: id, groupVersion: version, status: 'REMOVAL_REQUESTED', note: 'Asked them to remove the crest.' } }),
  },
  recordReview: {
    as: 'officer',
    prepare: async (f) => ({ groupId: (await f.group()).id }),
    input: ({ groupId }) => ({
      input: { groupId, reviewedAt: hoursAgo(1), pinnedMessagePresent: false, autoResponsePresent: false, logoStillUsed: false, notes: 'Quiet week.' },
    }),
  },
  draftReferral: {
    as: 'officer',
    prepare: async (f) => ({ groupId: (await f.group()).id }),
    input: ({ groupId }) => ({ input: { groupId, reason: 'REFUSED_TO_ENGAGE', summary: 'The administrators will not engage.' } }),
  },
  updateReferralDraft: {
    as: 'officer',
    prepare: (f) => f.draft(),
    input: ({ id, version }) => ({ input: { id, version, reason: 'REFUSED_ACCOUNTABILITY', summary: 'They refuse accountability.' } }),
  },
  submitReferral: {
    as: 'lead',
    prepare: (f) => f.draft(),
    input: ({ id, version }) => ({
      input: { id, version, routing: { mode: 'OVERRIDE', team: 'LEGAL', reason: 'The legal team already holds this case.' } },
    }),
  },
  acknowledgeReferral: { as: 'discipline', prepare: (f) => f.submitted(), input: ({ id, version }) => ({ input: { id, version } }) },
  updateReferralStatus: {
    as: 'discipline',
    prepare: async (f) => {
      const r = await f.submitted();
      await f.discipline.ok(`mutation($input: AcknowledgeReferralInput!) { acknowledgeReferral(input: $input) { id } }`, { input: r });
      return { id: r.id, version: r.version + 1 };
    },
    input: ({ id, version }) => ({ input: { id, version, status: 'IN_PROGRESS' } }),
  },
  addReferralNote: {
    as: 'discipline',
    prepare: async (f) => ({ referralId: (await f.submitted()).id }),
    input: ({ referralId }) => ({ input: { referralId, body: 'Spoke to the student.' } }),
  },
  transferReferral: {
    as: 'discipline',
    prepare: (f) => f.submitted(),
    input: ({ id, version }) => ({ input: { id, version, toTeam: 'HR', reason: 'The administrator is a member of staff.' } }),
  },
  closeReferral: {
    as: 'discipline',
    prepare: async (f) => {
      const r = await f.submitted();
      await f.discipline.ok(`mutation($input: AcknowledgeReferralInput!) { acknowledgeReferral(input: $input) { id } }`, { input: r });
      return { id: r.id, version: r.version + 1 };
    },
    input: ({ id, version }) => ({ input: { id, version, outcome: 'NOT_IN_REMIT', outcomeNote: 'Not a student matter.' } }),
  },
  recordEscalation: {
    as: 'officer',
    prepare: async (f) => ({ groupId: (await f.group()).id }),
    input: ({ groupId }) => ({ input: { groupId, kind: 'PLATFORM_REPORT', reason: 'Posts encourage self-harm.' } }),
  },
  approveEscalation: { as: 'lead', prepare: (f) => f.escalation('DRAFT'), input: ({ id, version }) => ({ input: { id, version } }) },
  reportEscalation: {
    as: 'lead',
    prepare: (f) => f.escalation('APPROVED'),
    input: ({ id, version }) => ({ input: { id, version, externalReference: 'IG-REPORT-1', reportedAt: hoursAgo(1) } }),
  },
  closeEscalation: {
    as: 'lead',
    prepare: (f) => f.escalation('REPORTED'),
    input: ({ id, version }) => ({ input: { id, version, outcome: 'The platform removed the page.' } }),
  },
  createUser: {
    as: 'admin',
    input: (_, f) => ({ input: { email: `catalogue${f.n()}@uni.example`, displayName: 'Cat Alogue', roles: ['SOCIAL_MEDIA_OFFICER'], password: 'a long enough passphrase' } }),
  },
  setUserRoles: { as: 'admin', prepare: (f) => f.user(), input: ({ id }) => ({ input: { id, roles: ['HR', 'LEGAL'] } }) },
  disableUser: { as: 'admin', prepare: (f) => f.user(), input: ({ id }) => ({ input: { id } }) },
  createServiceClient: { as: 'admin', input: (_, f) => ({ input: { name: `Catalogue client ${f.n()}`, scopes: ['groups:read', 'referrals:read:HR'] } }) },
  revokeServiceClient: { as: 'admin', prepare: (f) => f.serviceClient(['groups:read']), input: ({ id }) => ({ input: { id } }) },
  // A client that reads a team's referrals waits for a second administrator's approval.
  approveServiceClient: { as: 'admin2', prepare: (f) => f.serviceClient(['referrals:read:LEGAL']), input: ({ id }) => ({ input: { id } }) },
  reportGroupSighting: {
    as: 'reporter',
    input: (_, f) => ({
      input: { name: `Sighted group ${f.n()}`, platform: 'REDDIT', handle: 'r/sighted', url: 'https://www.reddit.com/r/sighted', kind: 'CONFESSIONS', note: 'Seen on the union noticeboard.' },
    }),
  },
};

/** Query arguments get the same treatment (reads write nothing either, not even a referral.read audit event). */
const QUERY_CATALOGUE: Record<string, Entry> = {
  group: { as: 'officer', prepare: async (f) => ({ id: (await f.group()).id }), input: ({ id }) => ({ id }) },
  groups: {
    as: 'officer',
    input: (_, f) => ({
      first: 5, after: null, sort: { field: 'NAME', direction: 'DESC' },
      filter: { status: ['DISCOVERED'], platform: ['INSTAGRAM'], riskLevel: ['MEDIUM'], assignedOfficerId: f.officerId, overdueReview: false, unresponsiveEligible: false, search: 'group' },
    }),
  },
  referral: { as: 'discipline', prepare: async (f) => ({ id: (await f.submitted()).id }), input: ({ id }) => ({ id }) },
  referrals: { as: 'officer', prepare: async (f) => ({ groupId: (await f.group()).id }), input: ({ groupId }) => ({ first: 5, after: null, sort: 'NEWEST', filter: { status: ['DRAFT'], team: ['HR'], reason: ['REFUSED_TO_ENGAGE'], groupId, overdue: false } }) },
  referralRouting: { as: 'officer', prepare: async (f) => ({ groupId: (await f.group()).id }), input: ({ groupId }) => ({ groupId }) },
  escalation: { as: 'officer', prepare: (f) => f.escalation('DRAFT'), input: ({ id }) => ({ id }) },
  escalations: {
    as: 'lead',
    prepare: async (f) => ({ groupId: (await f.group()).id }),
    input: ({ groupId }) => ({ first: 5, after: null, filter: { groupId, kind: ['PLATFORM_REPORT'], status: ['DRAFT'] } }),
  },
  registerStats: {
    as: 'officer',
    input: (_, f) => ({ filter: { status: ['DISCOVERED'], platform: ['INSTAGRAM'], riskLevel: ['MEDIUM'], assignedOfficerId: f.officerId, overdueReview: false, unresponsiveEligible: false, search: 'group' } }),
  },
  wordingAgreement: { as: 'officer', prepare: async (f) => f.proposed(await f.engaged()), input: ({ id }) => ({ id }) },
  wordingTemplates: { as: 'officer', input: () => ({ includeOld: true }) },
  checkWording: { as: 'officer', input: () => ({ text: WORDING_EXAMPLE }) },
  auditEvents: {
    as: 'dpo',
    prepare: async (f) => ({ groupId: (await f.group()).id }),
    input: ({ groupId }, f) => ({
      first: 5, after: null,
      filter: { action: 'group.create', entityType: 'Group', entityId: groupId, groupId, actorId: f.officerId, from: hoursAgo(24), to: new Date(Date.now() + 60_000).toISOString() },
    }),
  },
};

/**
 * Values a query argument accepts although the generator calls them hostile,
 * each with the reason it is right to accept them.
 */
const QUERY_EXEMPTIONS: { field: string; values: unknown[]; why: string }[] = [
  {
    field: 'auditEvents.filter.from',
    values: ['0000-01-01T00:00:00Z'],
    why: 'a bound of a search, not a stored date: "from the year 0" simply means from the beginning.',
  },
  {
    field: 'auditEvents.filter.to',
    values: ['0000-01-01T00:00:00Z'],
    why: 'a bound of a search, not a stored date: "up to the year 0" simply finds nothing.',
  },
  {
    field: 'checkWording.text',
    values: ['a\u0000b', 'a\u0007b', 'a\u001Bb', 'a\u0085b', 'a\u202Eb', 'a\u2066b', 'a\u200Fb'],
    why: 'checkWording only checks a draft as it is typed: nothing is stored, and the text goes back to the person who typed it. Saving it (proposeWording) refuses these characters.',
  },
];
const exempt = (operation: string, c: Case, value: unknown): boolean =>
  QUERY_EXEMPTIONS.some((e) => e.field === `${operation}.${c.fields[0]}` && e.values.includes(value));

describe.each(await databaseKinds())('bad input on every argument on %s', (kind) => {
  let env: TestEnvironment;
  let fixtures: Fixtures;
  const prepared = new Map<string, Ids>();
  let reporter: TestClient | undefined;
  const clientFor = async (who: Caller): Promise<TestClient> => (who === 'reporter' ? reporter! : env.as(who));
  const messages: string[] = [];

  beforeAll(async () => {
    env = await createTestEnvironment(kind);
    const [officer, lead, discipline, admin] = await Promise.all([env.as('officer'), env.as('lead'), env.as('discipline'), env.as('admin')]);
    const officerId = (await officer.ok(`{ me { id } }`)).me.id as string;
    let counter = 0;
    const f: Fixtures = {
      officer, lead, discipline, officerId,
      n: () => ++counter,
      async group(extra = {}) {
        const { createGroup } = await officer.ok(`mutation($input: CreateGroupInput!) { createGroup(input: $input) { id version } }`, {
          input: { name: `Fixture group ${++counter}`, platform: 'INSTAGRAM', kind: 'CONFESSIONS', riskLevel: 'MEDIUM', ...extra },
        });
        return createGroup;
      },
      async administrator(groupId, affiliation = 'STUDENT') {
        const { addAdministrator } = await officer.ok(`mutation($input: AddAdministratorInput!) { addAdministrator(input: $input) { id version } }`, {
          input: { groupId, handle: `@fixture_${++counter}`, affiliation },
        });
        return addAdministrator;
      },
      async contact(groupId, direction, outcome, daysAgo, steps = []) {
        await officer.ok(`mutation($input: LogContactInput!) { logContact(input: $input) { id } }`, {
          input: { groupId, direction, outcome, channel: 'PLATFORM_MESSAGE', summary: `${direction} contact`, occurredAt: hoursAgo(daysAgo * 24), steps },
        });
      },
      async engaged() {
        const g = await f.group();
        // The policy's order: the position explained and wording asked for before any wording is approved.
        await f.contact(g.id, 'OUTBOUND', 'NO_RESPONSE', 0.1, ['INTRODUCED', 'POSITION_EXPLAINED', 'WORDING_REQUESTED']);
        await f.contact(g.id, 'INBOUND', 'ENGAGED', 0.05);
        return g.id;
      },
      async proposed(groupId) {
        const { proposeWording } = await officer.ok(`mutation($input: ProposeWordingInput!) { proposeWording(input: $input) { id version } }`, {
          input: { groupId, text: WORDING_EXAMPLE },
        });
        return proposeWording;
      },
      async agreed() {
        const groupId = await f.engaged();
        const p = await f.proposed(groupId);
        await lead.ok(`mutation($input: ApproveWordingInput!) { approveWording(input: $input) { id } }`, { input: { agreementId: p.id, version: p.version } });
        return { groupId, agreementId: p.id };
      },
      async draft(groupId) {
        const gid = groupId ?? (await f.group()).id;
        await f.administrator(gid, 'STUDENT');
        // A referral for refusing to engage needs the group REFUSED: contacted, then refused.
        await f.contact(gid, 'OUTBOUND', 'NO_RESPONSE', 0.1);
        await f.contact(gid, 'INBOUND', 'REFUSED_TO_ENGAGE', 0.05);
        const { draftReferral } = await officer.ok(`mutation($input: DraftReferralInput!) { draftReferral(input: $input) { id version } }`, {
          input: { groupId: gid, reason: 'REFUSED_TO_ENGAGE', summary: 'They will not engage with the team.' },
        });
        return draftReferral;
      },
      async submitted() {
        const d = await f.draft();
        const { submitReferral } = await lead.ok(
          `mutation($input: SubmitReferralInput!) { submitReferral(input: $input) { referrals { id version team } } }`,
          { input: { id: d.id, version: d.version, routing: { mode: 'AUTO' } } },
        );
        const r = submitReferral.referrals[0];
        expect(r.team).toBe('DISCIPLINE');
        return { id: r.id, version: r.version };
      },
      async escalation(stage) {
        const g = await f.group();
        const { recordEscalation: e } = await officer.ok(`mutation($input: RecordEscalationInput!) { recordEscalation(input: $input) { id version } }`, {
          input: { groupId: g.id, kind: 'PLATFORM_REPORT', reason: 'Hate speech.' },
        });
        if (stage === 'DRAFT') return e;
        await lead.ok(`mutation($input: ApproveEscalationInput!) { approveEscalation(input: $input) { id } }`, { input: { id: e.id, version: e.version } });
        if (stage === 'APPROVED') return { id: e.id, version: e.version + 1 };
        await lead.ok(`mutation($input: ReportEscalationInput!) { reportEscalation(input: $input) { id } }`, { input: { id: e.id, version: e.version + 1 } });
        return { id: e.id, version: e.version + 2 };
      },
      async template() {
        const { createWordingTemplate } = await lead.ok(`mutation($input: CreateWordingTemplateInput!) { createWordingTemplate(input: $input) { id } }`, {
          input: { name: `Fixture template ${++counter}`, body: WORDING_EXAMPLE },
        });
        return createWordingTemplate;
      },
      async user() {
        const { createUser } = await admin.ok(`mutation($input: CreateUserInput!) { createUser(input: $input) { id } }`, {
          input: { email: `fixture${++counter}@uni.example`, displayName: 'Fixture Person', roles: ['SOCIAL_MEDIA_OFFICER'] },
        });
        return createUser;
      },
      async serviceClient(scopes) {
        const { createServiceClient } = await admin.ok(`mutation($input: CreateServiceClientInput!) { createServiceClient(input: $input) { client { id } token } }`, {
          input: { name: `Fixture client ${++counter}`, scopes },
        });
        return { id: createServiceClient.client.id, token: createServiceClient.token };
      },
      async version(query, variables, who = officer) {
        const data = await who.ok(query, variables);
        return (Object.values(data)[0] as { version: number }).version;
      },
    };
    fixtures = f;
    if (MUTATIONS.reportGroupSighting) reporter = new ServiceTokenClient(env.url, (await f.serviceClient(['groups:report'])).token);
    for (const [name, entry] of [...Object.entries(MUTATION_CATALOGUE), ...Object.entries(QUERY_CATALOGUE).map(([n, e]) => [`Query.${n}`, e] as const)]) {
      if ((name.startsWith('Query.') ? QUERIES[name.slice(6)] : MUTATIONS[name]) && entry.prepare) prepared.set(name, await entry.prepare(f));
    }
  });
  afterAll(() => env?.close());

  const fingerprint = () => tableFingerprint(env.server.dataSource);

  async function sweep(kindOf: 'query' | 'mutation', name: string, entry: Entry | undefined) {
    const field = kindOf === 'mutation' ? MUTATIONS[name]! : QUERIES[name]!;
    expect(entry, `${kindOf} ${name} has no entry in the catalogue of bad-input.e2e-spec.ts: add one valid input for it`).toBeDefined();
    const client = await clientFor(entry!.as);
    const key = kindOf === 'mutation' ? name : `Query.${name}`;
    const valid = entry!.input(prepared.get(key) ?? {}, fixtures);
    const document = documentFor(kindOf, field);
    const before = await fingerprint();
    const failures: string[] = [];
    let count = 0;
    for (const c of casesForField(field, valid)) {
      const value = getAt(c.variables, c.fields[0]!.split(/\.|\[|\]/).filter(Boolean).map((p) => (/^\d+$/.test(p) ? Number(p) : p)));
      if (kindOf === 'query' && exempt(name, c, value)) continue;
      count++;
      const result: GraphQLResult = await client.gql(document, c.variables);
      for (const e of result.errors ?? []) messages.push(e.message);
      const error = result.errors?.[0];
      const problem =
        result.status >= 500 ? `HTTP ${result.status}`
          : !error ? 'accepted'
            : error.extensions?.code !== 'BAD_USER_INPUT' ? `${error.extensions?.code}: ${error.message}`
              : !c.fields.includes(String(error.extensions?.field)) ? `field ${error.extensions?.field} (${error.message})`
                : (result.data as Record<string, unknown> | null | undefined)?.[name] != null ? 'returned data'
                  : null;
      if (problem) failures.push(`${name} ${c.label}: ${problem}`);
    }
    expect(failures, `\n${failures.join("\n")}\n`).toEqual([]);
    expect(count).toBeGreaterThan(0);
    // Nothing written: every table (audit trail included) is exactly as before.
    expect(await fingerprint()).toEqual(before);
  }

  it('has a catalogue entry for every mutation and query with arguments, and none for operations that are gone', () => {
    const withArgs = (fields: typeof MUTATIONS) => Object.values(fields).filter((f) => f.args.length > 0).map((f) => f.name).sort();
    expect(withArgs(MUTATIONS).filter((m) => !MUTATION_CATALOGUE[m])).toEqual([]);
    expect(withArgs(QUERIES).filter((q) => !QUERY_CATALOGUE[q])).toEqual([]);
    expect(Object.keys(MUTATION_CATALOGUE).filter((m) => !MUTATIONS[m])).toEqual([]);
    expect(Object.keys(QUERY_CATALOGUE).filter((q) => !QUERIES[q])).toEqual([]);
  });

  describe('mutations', () => {
    it.each(Object.keys(MUTATIONS).sort())('%s refuses each hostile field with BAD_USER_INPUT naming it, and writes nothing', async (name) => {
      await sweep('mutation', name, MUTATION_CATALOGUE[name]);
    });
  });

  describe('queries', () => {
    it.each(Object.values(QUERIES).filter((q) => q.args.length > 0).map((q) => q.name).sort())(
      '%s refuses each hostile argument with BAD_USER_INPUT naming it, and writes nothing',
      async (name) => {
        await sweep('query', name, QUERY_CATALOGUE[name]);
      },
    );
  });

  it('leaks no SQL, table name or stack trace in any of those errors', async () => {
    expect(messages.length).toBeGreaterThan(1000);
    expect(findLeaks(messages, await snakeCaseTableNames(env.server.dataSource))).toEqual([]);
  });

  // Last: these change data. Each valid input, sent as it is, succeeds — so every refusal above was for the one hostile field.
  it.each(Object.keys(MUTATIONS).sort())('the catalogue input for %s is valid as it stands', async (name) => {
    const entry = MUTATION_CATALOGUE[name];
    expect(entry).toBeDefined();
    const client = await clientFor(entry!.as);
    const result = await client.gql(documentFor('mutation', MUTATIONS[name]!), entry!.input(prepared.get(name) ?? {}, fixtures));
    expect(result.errors, JSON.stringify(result.errors)).toBeUndefined();
  });

  it.each(Object.keys(QUERY_CATALOGUE).sort())('the catalogue arguments for query %s are valid as they stand', async (name) => {
    const entry = QUERY_CATALOGUE[name]!;
    const client = await clientFor(entry.as);
    const result = await client.gql(documentFor('query', QUERIES[name]!), entry.input(prepared.get(`Query.${name}`) ?? {}, fixtures));
    expect(result.errors, JSON.stringify(result.errors)).toBeUndefined();
  });
});
