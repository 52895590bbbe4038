import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnvironment, databaseKinds, type TestEnvironment } from '../testing/test-environment.js';
import type { TestClient } from '../testing/test-client.js';
import { AD_HOC_LIMITS } from '../common/graphql-limits.js';
import { MAX_VALUE_DEPTH } from './graphql-http-guard.js';
import { findLeaks, snakeCaseTableNames, tableFingerprint } from './security-helpers.js';

/**
 * Hostile GraphQL is refused with a 4xx and a code, never a 5xx, and the
 * server stays up: limits on depth, aliases, directives, tokens and cost;
 * batching off; no mutations over GET; CSRF prevention; 100 kB bodies;
 * malformed requests; and no SQL, table name or stack trace in any error.
 * Every document here is written by the caller (ad-hoc, sent as `query`), so
 * the ad-hoc limits apply; registered documents and their looser limits are
 * trusted-documents.e2e-spec.ts's.
 */

interface Answer {
  status: number;
  body: any;
}

interface ErrorShape {
  message: string;
  extensions?: Record<string, unknown>;
}

const firstError = (a: Answer): ErrorShape | undefined => a.body?.errors?.[0] ?? (a.body?.error ? { message: a.body.error.message, extensions: a.body.error } : undefined);

/** `currentWording { group { ... } }` nests single objects, so only the depth grows. */
function nestedQuery(depth: number): string {
  let inner = 'id';
  for (let level = depth - 1; level >= 2; level--) inner = level % 2 === 0 ? `currentWording { ${inner} }` : `group { ${inner} }`;
  return `query Nested($id: ID!) { group(id: $id) { ${inner} } }`;
}

function fragmentBomb(levels: number): string {
  let doc = '{ ...F' + levels + ' }\nfragment F0 on Query { me { id } }\n';
  for (let i = 1; i <= levels; i++) doc += `fragment F${i} on Query { ...F${i - 1} ...F${i - 1} }\n`;
  return doc;
}

describe.each(await databaseKinds())('hostile GraphQL on %s', (kind) => {
  let env: TestEnvironment;
  let officer: TestClient;
  let groupId: string;
  const answers: Answer[] = [];

  beforeAll(async () => {
    env = await createTestEnvironment(kind);
    officer = await env.as('officer');
    const { createGroup } = await officer.ok(`mutation($input: CreateGroupInput!) { createGroup(input: $input) { id } }`, {
      input: { name: 'Hostile test group', platform: 'X', kind: 'OTHER' },
    });
    groupId = createGroup.id;
  });
  afterAll(() => env?.close());

  /** Any HTTP request; every answer is kept for the checks at the end. */
  async function send(path: string, init: RequestInit = {}): Promise<Answer> {
    const res = await fetch(`${env.url}${path}`, { ...init, signal: AbortSignal.timeout(30_000) });
    const text = await res.text();
    let body: unknown = text;
    try {
      body = text ? JSON.parse(text) : null;
    } catch {
      // not JSON: kept as text, and the final check will say so
    }
    const answer = { status: res.status, body };
    if (init.method !== 'HEAD') answers.push(answer);
    return answer;
  }
  const post = (body: unknown, headers: Record<string, string> = {}) =>
    send('/graphql', { method: 'POST', headers: officer.headers(headers), body: typeof body === 'string' ? body : JSON.stringify(body) });
  const get = (params: Record<string, string> | string, headers: Record<string, string> = {}) =>
    send(`/graphql?${typeof params === 'string' ? params : new URLSearchParams(params)}`, { headers: { cookie: officer.cookie!, ...headers } });
  const preflight = { 'apollo-require-preflight': 'true' };

  function expectRefused(a: Answer, status: number, code: string, limit?: string): ErrorShape {
    const error = firstError(a);
    expect(a.status, JSON.stringify(a.body)).toBe(status);
    expect(error?.extensions?.code, JSON.stringify(a.body)).toBe(code);
    if (limit) expect(error?.extensions?.limit).toBe(limit);
    return error!;
  }

  it(`answers a document ${AD_HOC_LIMITS.maxDepth} levels deep and refuses one level more`, async () => {
    expect(AD_HOC_LIMITS.maxDepth).toBe(8);
    const ok = await post({ query: nestedQuery(AD_HOC_LIMITS.maxDepth), variables: { id: groupId } });
    expect(ok.status).toBe(200);
    expect(ok.body.errors).toBeUndefined();
    const refused = expectRefused(await post({ query: nestedQuery(AD_HOC_LIMITS.maxDepth + 1), variables: { id: groupId } }), 400, 'GRAPHQL_VALIDATION_FAILED', 'depth');
    expect(refused.extensions?.max).toBe(AD_HOC_LIMITS.maxDepth);
    expect(refused.message).toBe('Operation "Nested" is nested more than 8 levels deep.');
  });

  it(`refuses more than ${AD_HOC_LIMITS.maxAliases} aliases, also when fragments multiply them`, async () => {
    expect(AD_HOC_LIMITS.maxAliases).toBe(15);
    const aliases = (n: number) => `{ ${Array.from({ length: n }, (_, i) => `a${i}: me { id }`).join(' ')} }`;
    const ok = await post({ query: aliases(AD_HOC_LIMITS.maxAliases) });
    expect([ok.status, ok.body.data?.a14?.id]).toEqual([200, expect.any(String)]);
    const refused = expectRefused(await post({ query: aliases(AD_HOC_LIMITS.maxAliases + 1) }), 400, 'GRAPHQL_VALIDATION_FAILED', 'aliases');
    expect(refused.extensions?.max).toBe(15);
    // 4 × 4 aliases through one fragment: 16.
    const viaFragments = `{ ...A ...A ...A ...A } fragment A on Query { a: me { id } b: me { id } c: me { id } d: me { id } }`;
    expectRefused(await post({ query: viaFragments }), 400, 'GRAPHQL_VALIDATION_FAILED', 'aliases');
  });

  it(`refuses more than ${AD_HOC_LIMITS.maxDirectives} directives`, async () => {
    expect(AD_HOC_LIMITS.maxDirectives).toBe(50);
    // The same field again and again (no aliases, which have their own limit), each with a directive.
    const directives = (n: number) => `{ ${'me { id @include(if: true) } '.repeat(n)}}`;
    const ok = await post({ query: directives(AD_HOC_LIMITS.maxDirectives) });
    expect([ok.status, ok.body.errors]).toEqual([200, undefined]);
    const refused = expectRefused(await post({ query: directives(AD_HOC_LIMITS.maxDirectives + 1) }), 400, 'GRAPHQL_VALIDATION_FAILED', 'directives');
    expect(refused.extensions?.max).toBe(50);
    // Through a fragment, with multiplicity: 51 spreads of one directive.
    expectRefused(await post({ query: `{ ${'...F '.repeat(51)}} fragment F on Query { me { id @include(if: true) } }` }), 400, 'GRAPHQL_VALIDATION_FAILED', 'directives');
    // Unknown directives piled on one field: refused, not a 5xx.
    expect((await post({ query: `{ me { id ${'@x '.repeat(500)} } }` })).status).toBe(400);
  });

  it(`refuses a document of more than ${AD_HOC_LIMITS.maxTokens} tokens`, async () => {
    expect(AD_HOC_LIMITS.maxTokens).toBe(1000);
    // `{ me { id } ... }` is 2 tokens and 4 a field: 249 fields are 998 tokens, 250 are 1,002.
    const fields = (n: number) => `{ ${'me { id } '.repeat(n)}}`;
    expect((await post({ query: fields(249) })).body.data.me.id).toBeTruthy();
    const error = expectRefused(await post({ query: fields(250) }), 400, 'GRAPHQL_PARSE_FAILED', 'tokens');
    expect(error.extensions?.max).toBe(AD_HOC_LIMITS.maxTokens);
    expect(error.message).toBe('The document has more than 1000 tokens; send a smaller one.');
    expectRefused(await post({ query: fields(1500) }), 400, 'GRAPHQL_PARSE_FAILED', 'tokens');
    // The example, accepted before: 300 small fragments, about 2,700 tokens.
    const spreads = Array.from({ length: 300 }, (_, i) => `...F${i}`).join(' ');
    const fragments = Array.from({ length: 300 }, (_, i) => `fragment F${i} on Query { me { id } }`).join('\n');
    expectRefused(await post({ query: `{ ${spreads} }\n${fragments}` }), 400, 'GRAPHQL_PARSE_FAILED', 'tokens');
  });

  it('costs lists by first, variables included, and refuses an operation that would cost too much', async () => {
    const query = `query($n: Int) { groups(first: $n) { edges { node { id
      administrators { id group { administrators { id } } } timeline(first: 60) { id } } } } }`;
    // Lists without first count 5: the inner administrators 1 + 5 = 6, its group 7, the outer administrators
    // 1 + 5 × (1 + 7) = 41; the timeline counts its first: 1 + 60 = 61; a node 1 + 1 + 41 + 61 = 104:
    // groups 1 + edges 1 + 104n. A page of 96 costs 9,986; a page of 97 costs 10,090. (Seven levels deep.)
    expect(AD_HOC_LIMITS.defaultListSize).toBe(5);
    expect((await post({ query, variables: { n: 96 } })).body.errors).toBeUndefined();
    const refused = expectRefused(await post({ query, variables: { n: 97 } }), 400, 'GRAPHQL_VALIDATION_FAILED', 'cost');
    expect(refused.extensions?.max).toBe(AD_HOC_LIMITS.maxCost);
    expect(refused.message).toMatch(/about 10090 fields/);
    // A first beyond 100 is BAD_USER_INPUT on first, not a cost refusal.
    const big = await post({ query: `{ groups(first: 1000) { totalCount } }` });
    expect(firstError(big)?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'first' });
  });

  it('refuses a fragment bomb at once instead of expanding it', async () => {
    const a = await post({ query: fragmentBomb(60) });
    expect(a.status).toBe(400);
    expect(firstError(a)?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    // Thousands of copies of one field: the token limit refuses them before graphql-js sees them; as many as
    // the limit allows, graphql-js gives up comparing rather than spinning.
    expectRefused(await post({ query: `{ me { ${'id '.repeat(4900)} } }` }), 400, 'GRAPHQL_PARSE_FAILED', 'tokens');
    const started = Date.now();
    expectRefused(await post({ query: `{ me { ${'id '.repeat(995)} } }` }), 400, 'GRAPHQL_VALIDATION_FAILED');
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('refuses batched requests', async () => {
    const a = await post([{ query: '{ me { id } }' }, { query: '{ me { id } }' }]);
    expectRefused(a, 400, 'BAD_REQUEST');
    expect(firstError(a)?.message).toMatch(/Batched requests are not accepted/);
    expectRefused(await post([]), 400, 'BAD_REQUEST');
  });

  it('refuses mutations over GET with 405, and runs nothing', async () => {
    const before = await tableFingerprint(env.server.dataSource);
    const mutation = `mutation { createGroup(input: { name: "Over GET", platform: X, kind: OTHER }) { id } }`;
    const a = expectRefused(await get({ query: mutation }, preflight), 405, 'BAD_REQUEST');
    expect(a.message).toMatch(/GET requests only support query operations/);
    // A query over GET is fine when it carries a CSRF-safe header.
    expect((await get({ query: '{ me { id } }' }, preflight)).body.data.me.id).toBeTruthy();
    expect(await tableFingerprint(env.server.dataSource)).toEqual(before);
  });

  it('refuses what a browser could send cross-site without a preflight (CSRF), and runs nothing', async () => {
    const before = await tableFingerprint(env.server.dataSource);
    const body = JSON.stringify({ query: `mutation { createGroup(input: { name: "CSRF", platform: X, kind: OTHER }) { id } }` });
    for (const type of ['text/plain', 'text/plain;charset=UTF-8', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x']) {
      expectRefused(await send('/graphql', { method: 'POST', headers: { cookie: officer.cookie!, 'content-type': type }, body }), 400, 'BAD_REQUEST');
    }
    expectRefused(await send('/graphql', { method: 'POST', headers: { cookie: officer.cookie! }, body }), 400, 'BAD_REQUEST');
    // A GET without apollo-require-preflight or x-apollo-operation-name: Apollo's CSRF prevention.
    const csrf = expectRefused(await get({ query: '{ me { id } }' }), 400, 'BAD_REQUEST');
    expect(csrf.message).toMatch(/Cross-Site Request Forgery/);
    expect(await tableFingerprint(env.server.dataSource)).toEqual(before);
  });

  it('refuses bodies over 100 kB with 413 and a JSON error with a code', async () => {
    const a = expectRefused(await post({ query: '{ me { id } }', variables: { padding: 'x'.repeat(110_000) } }), 413, 'PAYLOAD_TOO_LARGE');
    expect(a.message).toMatch(/100 kB/);
    // Just under the limit is read (and the unused variable ignored).
    expect((await post({ query: '{ me { id } }', variables: { padding: 'x'.repeat(90_000) } })).status).toBe(200);
  });

  it('answers malformed requests with a 4xx and a code', async () => {
    const cases: [string, Promise<Answer>, number][] = [
      ['broken JSON', post('{"query": '), 400],
      ['a JSON string', post('"{ me { id } }"'), 400],
      ['JSON null', post('null'), 400],
      ['an empty object', post({}), 400],
      ['query not a string', post({ query: { kind: 'Document' } }), 400],
      ['variables a string', post({ query: '{ me { id } }', variables: '{}' }), 400],
      ['variables a list', post({ query: '{ me { id } }', variables: [1] }), 400],
      ['extensions a number', post({ query: '{ me { id } }', extensions: 5 }), 400],
      ['operationName a number', post({ query: '{ me { id } }', operationName: 5 }), 400],
      ['no query', post({ variables: {} }), 400],
      ['an empty query', post({ query: '' }), 400],
      ['a syntax error', post({ query: '{ me { id ' }), 400],
      ['an unknown operation name', post({ query: 'query A { me { id } }', operationName: 'B' }), 400],
      ['two operations and no name', post({ query: 'query A { me { id } } query B { me { id } }' }), 400],
      // Apollo answers persisted-query errors with 200 so clients fall back to sending the query.
      ['a persisted query hash', post({ extensions: { persistedQuery: { version: 1, sha256Hash: 'a'.repeat(64) } } }), 200],
      // Trusted documents: ids name documents registered at start; a request never registers one.
      ['a documentId that is not registered', post({ documentId: `sha256:${'a'.repeat(64)}` }), 400],
      ['a documentId that is not an id', post({ documentId: '../../etc/passwd' }), 400],
      ['a documentId not a string', post({ documentId: { sha256: 'a' } }), 400],
      ['a documentId with a query', post({ documentId: `sha256:${'a'.repeat(64)}`, query: '{ me { id } }' }), 400],
      ['GET with two documentIds', get(`documentId=sha256:${'a'.repeat(64)}&documentId=x`, preflight), 400],
      ['a subscription', post({ query: 'subscription { me { id } }' }), 400],
      ['variables nested 20,000 deep', post(`{"query":"{ me { id } }","variables":{"a":${'['.repeat(20_000)}${']'.repeat(20_000)}}}`), 400],
      ['an unsupported charset', send('/graphql', { method: 'POST', headers: { cookie: officer.cookie!, 'content-type': 'application/json; charset=klingon' }, body: '{"query":"{ me { id } }"}' }), 415],
      ['application/graphql', send('/graphql', { method: 'POST', headers: { cookie: officer.cookie!, 'content-type': 'application/graphql' }, body: '{ me { id } }' }), 415],
      ['GET with two queries', get('query=%7Bme%7Bid%7D%7D&query=%7Bme%7Bid%7D%7D', preflight), 400],
      ['GET with broken variables', get({ query: '{ me { id } }', variables: '{' }, preflight), 400],
      ['GET with a text/plain body type', get({ query: '{ me { id } }' }, { ...preflight, 'content-type': 'text/plain' }), 415],
      ['PUT', send('/graphql', { method: 'PUT', headers: officer.headers(), body: '{}' }), 405],
      ['DELETE', send('/graphql', { method: 'DELETE', headers: officer.headers() }), 405],
      ['PATCH', send('/graphql', { method: 'PATCH', headers: officer.headers(), body: '{}' }), 405],
    ];
    const wrong: string[] = [];
    for (const [label, pending, status] of cases) {
      const a = await pending;
      const code = firstError(a)?.extensions?.code;
      if (a.status !== status || (status >= 400 && typeof code !== 'string')) wrong.push(`${label}: ${a.status} ${JSON.stringify(a.body).slice(0, 200)}`);
    }
    expect(wrong).toEqual([]);
    expect((await send('/graphql', { method: 'HEAD', headers: officer.headers() })).status).toBe(405);
  });

  it(`refuses variables or extensions nested more than ${MAX_VALUE_DEPTH} deep, over POST and GET, naming which`, async () => {
    const lists = (levels: number) => `${'['.repeat(levels)}${']'.repeat(levels)}`;
    // The object itself counts 1.
    const refusal = (field: string) => ({
      errors: [{ message: `Objects and lists in \`${field}\` are nested more than ${MAX_VALUE_DEPTH} deep.`, extensions: { code: 'BAD_USER_INPUT', field, limit: 'depth', max: MAX_VALUE_DEPTH } }],
    });
    for (const field of ['variables', 'extensions']) {
      const atLimit = await post(`{"query":"{ me { email } }","${field}":{"a":${lists(MAX_VALUE_DEPTH - 1)}}}`);
      expect(atLimit.body).toEqual({ data: { me: { email: 'officer@signpost.test' } } });
      const over = await post(`{"query":"{ me { email } }","${field}":{"a":${lists(MAX_VALUE_DEPTH)}}}`);
      expect(over).toEqual({ status: 400, body: refusal(field) });
      expect(await get({ query: '{ me { email } }', [field]: `{"a":${lists(MAX_VALUE_DEPTH)}}` }, preflight)).toEqual({ status: 400, body: refusal(field) });
    }
    expect((await get({ query: '{ me { email } }', variables: `{"a":${lists(MAX_VALUE_DEPTH - 1)}}` }, preflight)).body.data.me.email).toBe('officer@signpost.test');
  });

  it('gives the database connection back after every refusal, so it keeps answering', async () => {
    // Each of these used to leave its transaction open and its pooled connection taken; the embedded database has one.
    for (let i = 0; i < 12; i++) {
      await post([{ query: '{ me { id } }' }]);
      await get('query=%7Bme%7Bid%7D%7D&query=x', preflight);
      await get({ query: '{ me { id } }', variables: 'nope' }, preflight);
      await send('/graphql', { method: 'PUT', headers: officer.headers(), body: '{}' });
      await send('/graphql', { method: 'POST', headers: officer.headers({ 'content-type': 'text/plain', ...preflight }), body: '{}' });
    }
    const me = await post({ query: '{ me { email } }' });
    expect(me.body).toEqual({ data: { me: { email: 'officer@signpost.test' } } });
    expect((await send('/readyz')).status).toBe(200);
  });

  it('answers a value the database refuses as data with a 4xx, not a 5xx', async () => {
    // A NUL byte cannot be stored in Postgres text; sign-in passes the email straight to SQL.
    const login = await send('/auth/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'a\u0000b@x', password: 'x' }) });
    expect(login.status).toBe(400);
    expect(typeof firstError(login)?.extensions?.code).toBe('string');
    // A cursor forged to carry a non-date: the database refuses the cast.
    const forged = Buffer.from(JSON.stringify(['not a date', '00000000-0000-4000-8000-000000000000'])).toString('base64url');
    const a = await post({ query: 'query($after: String) { groups(after: $after) { totalCount } }', variables: { after: forged } });
    expect(a.status).toBeLessThan(500);
    expect(firstError(a)?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('introspects and suggests outside production', async () => {
    expect((await post({ query: '{ __schema { queryType { name } } }' })).body.data.__schema.queryType.name).toBe('Query');
    expect(firstError(await post({ query: '{ grops { id } }' }))?.message).toMatch(/Did you mean "groups"/);
  });

  it('never answered 5xx, always gave a code, and no error leaked SQL, a table name or a stack trace', async () => {
    expect(answers.length).toBeGreaterThan(60);
    expect(answers.filter((a) => a.status >= 500).map((a) => JSON.stringify(a.body))).toEqual([]);
    const codeless = answers.filter((a) => a.status >= 400 && typeof firstError(a)?.extensions?.code !== 'string');
    expect(codeless.map((a) => `${a.status} ${JSON.stringify(a.body)}`)).toEqual([]);
    const messages = answers.flatMap((a) => (a.body?.errors ?? []).map((e: ErrorShape) => e.message).concat(a.body?.error?.message ?? []));
    expect(findLeaks(messages, await snakeCaseTableNames(env.server.dataSource))).toEqual([]);
    // And the server is still up.
    expect((await send('/healthz')).body).toEqual({ status: 'ok' });
    expect((await post({ query: 'query($id: ID!) { group(id: $id) { name } }', variables: { id: groupId } })).body.data.group.name).toBe('Hostile test group');
  });
});

describe.each(await databaseKinds())('in production on %s', (kind) => {
  let env: TestEnvironment;
  // In production only a service client may send a document of its own (a person's session names registered ones):
  // these are a service's documents.
  let service: TestClient;
  beforeAll(async () => {
    env = await createTestEnvironment(kind, { config: { production: true } });
    service = await env.asService(['groups:read']);
  });
  afterAll(() => env?.close());

  it('refuses introspection', async () => {
    for (const query of ['{ __schema { types { name } } }', '{ __type(name: "Referral") { fields { name } } }']) {
      const result = await service.gql(query);
      expect(result.status).toBe(400);
      expect(result.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
      expect(result.data).toBeUndefined();
    }
    // __typename is not introspection of the schema, and clients rely on it.
    expect((await service.ok('{ groups(first: 1) { __typename } }')).groups.__typename).toBe('GroupConnection');
  });

  it('gives no "Did you mean" suggestions, in validation or in variables', async () => {
    const results = [
      await service.gql('{ grops { id } }'),
      await service.gql('{ groups(frist: 1) { totalCount } }'),
      await service.gql('{ me { emial } }'),
      await service.gql('mutation($input: CreateGroupInput!) { createGroup(input: $input) { id } }', { input: { name: 'x', platform: 'INSTAGRAMM', kind: 'OTHER' } }),
      await service.gql('mutation($input: CreateGroupInput!) { createGroup(input: $input) { id } }', { input: { nmae: 'x', name: 'x', platform: 'X', kind: 'OTHER' } }),
      await service.gql('{ groups(filter: { stauts: [DISCOVERED] }) { totalCount } }'),
      await service.gql('{ groups(filter: { status: [DISCOVERD] }) { totalCount } }'),
    ];
    for (const r of results) {
      expect(r.status).toBe(400);
      expect(r.errors?.length).toBeGreaterThan(0);
      for (const e of r.errors ?? []) expect(e.message).not.toMatch(/Did you mean/i);
    }
    // The field is still named, so a client can fix its request.
    expect(results[3]!.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.platform' });
    expect(results[4]!.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.nmae' });
  });

  it('serves no landing page', async () => {
    const res = await fetch(`${env.url}/graphql`, { headers: { accept: 'text/html' } });
    expect(res.status).toBeLessThan(500);
    expect(await res.text()).not.toMatch(/<html/i);
  });
});
