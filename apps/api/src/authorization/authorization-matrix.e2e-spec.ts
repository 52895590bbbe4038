import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getNamedType, isObjectType, type GraphQLNamedType, type GraphQLSchema } from 'graphql';
import {
  accessOf, allowsAny, ANONYMOUS, ROLES, SERVICE_SCOPES, TEAMS, type Principal, type Role, type ServiceScope, type Team,
} from '@signpost/policy';
import { createSchema } from '../schema.js';
import { createTestEnvironment, databaseKinds, type DemoAccount, type TestEnvironment } from '../testing/test-environment.js';
import { TestClient } from '../testing/test-client.js';
import { ServiceTokenClient } from '../testing/service-token-client.js';
import { operationTable, type OperationRequirement } from '../common/operation-registry.js';
import type { AuthorizationDecision } from '../common/context.js';
import { documentFor } from './operation-documents.js';

const ROLE_ACCOUNT: Record<Role, DemoAccount> = {
  SOCIAL_MEDIA_OFFICER: 'officer', SOCIAL_MEDIA_LEAD: 'lead', DISCIPLINE: 'discipline', HR: 'hr', LEGAL: 'legal', DATA_PROTECTION: 'dpo', ADMIN: 'admin',
};

type Cell = 'allowed' | 'FORBIDDEN' | 'UNAUTHENTICATED';

function expectedCell(principal: Principal, required: OperationRequirement): Cell {
  if (principal.kind === 'anonymous') return 'UNAUTHENTICATED';
  if (required === 'signed-in') return 'allowed';
  return allowsAny(accessOf(principal), required) ? 'allowed' : 'FORBIDDEN';
}

describe.each(await databaseKinds())('the role × operation matrix on %s', (kind) => {
  let env: TestEnvironment;
  let schema: GraphQLSchema;
  const principals: { label: string; principal: Principal; client: () => Promise<TestClient> }[] = [];

  beforeAll(async () => {
    // The guard's decisions ride along in each response (extensions.authorization), so a cell can tell "got past the permission check".
    env = await createTestEnvironment(kind, { demoData: true, config: { exposeAuthorizationDecisions: true } });
    schema = await createSchema();
    principals.push({ label: 'anonymous', principal: ANONYMOUS, client: async () => env.anonymous() });
    for (const role of ROLES) {
      principals.push({ label: role, principal: { kind: 'user', id: role, roles: [role], scopes: [] }, client: () => env.as(ROLE_ACCOUNT[role]) });
    }
    for (const scope of SERVICE_SCOPES) {
      // A real token, approved by a second administrator where its scope reads referrals.
      const client: ServiceTokenClient = await env.asService([scope]);
      principals.push({ label: `service ${scope}`, principal: { kind: 'service', id: scope, roles: [], scopes: [scope as ServiceScope] }, client: async () => client });
    }
  });
  afterAll(() => env?.close());

  it('reads every operation of the schema from the resolvers\' own declarations, none unguarded', () => {
    const table = operationTable();
    expect(table.unguarded).toEqual([]);
    for (const kind of ['Query', 'Mutation'] as const) {
      const type = kind === 'Query' ? schema.getQueryType()! : schema.getMutationType()!;
      expect(Object.keys(type.getFields()).sort(), kind).toEqual(Object.keys(table[kind]).sort());
    }
    // Only `me` is for any signed-in caller; everything else names its permission.
    expect(Object.entries({ ...table.Query, ...table.Mutation }).filter(([, r]) => r === 'signed-in').map(([n]) => n)).toEqual(['me']);
  });

  it('answers every principal × every query and mutation as the policy tables say', async () => {
    const mismatches: string[] = [];
    let cells = 0;
    const table = operationTable();
    for (const opKind of ['Query', 'Mutation'] as const) {
      for (const [name, required] of Object.entries(table[opKind])) {
        for (const { label, principal, client } of principals) {
          const expected = expectedCell(principal, required);
          const { query, variables } = documentFor(schema, opKind, name);
          const result = await (await client()).gql(query, variables);
          const code = result.errors?.[0]?.extensions?.code;
          // "Allowed" only when the guard's own decision for the operation says it let the call through —
          // whatever happened after (NOT_FOUND for a random id, BAD_USER_INPUT…). Not merely "not FORBIDDEN".
          const decision = ((result.extensions?.authorization ?? []) as AuthorizationDecision[]).find((d) => d.path === name);
          const actual: Cell = decision?.granted === true ? 'allowed' : code === 'FORBIDDEN' || code === 'UNAUTHENTICATED' ? code : 'allowed';
          cells++;
          if (actual !== expected) mismatches.push(`${opKind}.${name} as ${label}: expected ${expected}, got ${code ?? 'data'}`);
          if (expected === 'allowed' && decision?.granted !== true) mismatches.push(`${opKind}.${name} as ${label}: no granted decision of the guard (${JSON.stringify(result.extensions?.authorization)})`);
          if (expected !== 'allowed' && decision?.granted === true) mismatches.push(`${opKind}.${name} as ${label}: the guard let it through`);
          // Allowed or not, the server never fails.
          if (result.status >= 500 || code === 'INTERNAL_SERVER_ERROR') mismatches.push(`${opKind}.${name} as ${label}: ${result.status} ${code}`);
        }
      }
    }
    expect(mismatches).toEqual([]);
    expect(cells).toBe((Object.keys(table.Query).length + Object.keys(table.Mutation).length) * principals.length);
  });

  it('keeps each team to its own referrals on every path: direct, listed, acted on, nested, in payloads and in the audit trail', async () => {
    const officer = await env.as('officer');
    const { referrals } = await officer.ok(`{ referrals(first: 100) { edges { node { id team status version group { id } } } } }`);
    const submitted: { id: string; team: Team; status: string; version: number; group: { id: string } }[] = referrals.edges
      .map((e: any) => e.node)
      .filter((r: any) => r.status !== 'DRAFT');
    const mismatches: string[] = [];
    const actions = [
      ['acknowledgeReferral', 'AcknowledgeReferralInput', (r: any) => ({ id: r.id, version: 999 })],
      ['updateReferralStatus', 'UpdateReferralStatusInput', (r: any) => ({ id: r.id, version: 999, status: 'IN_PROGRESS' })],
      ['transferReferral', 'TransferReferralInput', (r: any) => ({ id: r.id, version: 999, toTeam: r.team === 'HR' ? 'LEGAL' : 'HR', reason: 'Matrix transfer reason' })],
      ['closeReferral', 'CloseReferralInput', (r: any) => ({ id: r.id, version: 999, outcome: 'NO_FURTHER_ACTION' })],
    ] as const;
    for (const team of TEAMS) {
      const client = await env.as(team.toLowerCase() as DemoAccount);
      const mine = (await client.ok(`{ referrals(first: 100) { totalCount edges { node { id } } } }`)).referrals;
      expect(mine.totalCount).toBeGreaterThan(0);
      const listed = new Set(mine.edges.map((e: any) => e.node.id));
      for (const r of submitted) {
        const own = r.team === team;
        if (listed.has(r.id) !== own) mismatches.push(`${team} list ${r.team}`);
        const direct = await client.gql(`query($id: ID!) { referral(id: $id) { id snapshot { takenAt } } }`, { id: r.id });
        if (own ? direct.errors : direct.errors?.[0]?.extensions?.code !== 'NOT_FOUND') mismatches.push(`${team} direct ${r.team}`);
        // Acting with a stale version: one's own referral answers CONFLICT (it exists, nothing written);
        // another team's answers NOT_FOUND, never FORBIDDEN, which would betray that it exists.
        for (const [op, input, args] of actions) {
          const res = await client.gql(`mutation($input: ${input}!) { ${op}(input: $input) { id } }`, { input: args(r) });
          const code = res.errors?.[0]?.extensions?.code;
          if (code !== (own ? 'CONFLICT' : 'NOT_FOUND')) mismatches.push(`${team} ${op} on ${r.team}: ${code}`);
        }
        const note = await client.gql(`mutation($input: AddReferralNoteInput!) { addReferralNote(input: $input) { id } }`, {
          input: { referralId: r.id, body: 'Matrix note' },
        });
        if (!own && note.errors?.[0]?.extensions?.code !== 'NOT_FOUND') mismatches.push(`${team} note on ${r.team}`);
        // Nested under the group: receiving teams cannot reach the group's internals at all.
        const nested = await client.gql(`query($id: ID!) { group(id: $id) { referrals { id } } }`, { id: r.group.id });
        if (nested.errors?.[0]?.extensions?.code !== 'FORBIDDEN') mismatches.push(`${team} nested ${r.team}`);
      }
      expect(mine.totalCount).toBe(submitted.filter((r) => r.team === team).length);
      await client.fails('FORBIDDEN', `{ auditEvents(first: 5) { totalCount } }`);
    }
    expect(mismatches).toEqual([]);
  });

  it('offers no path from the audit trail to referral content', () => {
    // Walk every type reachable from AuditEvent: none of them may be Referral or its snapshot or notes.
    const seen = new Set<string>();
    const walk = (type: GraphQLNamedType) => {
      if (seen.has(type.name)) return;
      seen.add(type.name);
      if (isObjectType(type)) for (const f of Object.values(type.getFields())) walk(getNamedType(f.type));
    };
    walk(schema.getType('AuditEvent')!);
    expect([...seen].filter((t) => /Referral/.test(t))).toEqual([]);
  });
});
