import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync, existsSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Kind, parse, print } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnvironment, databaseKinds, type TestEnvironment } from '../testing/test-environment.js';
import { expectContractError, type TestClient } from '../testing/test-client.js';
import { TrustedCreateGroupDocument, TrustedDeepDocument, TrustedWideDocument } from '../testing/generated/graphql.js';
import { AD_HOC_LIMITS, TRUSTED_LIMITS } from '../common/graphql-limits.js';
import { DEFAULT_PORTAL_DIR } from '../config.js';
import { TRUSTED_DOCUMENTS_FILE, TrustedDocumentsError, documentIdOf } from './trusted-documents.js';
import { tableFingerprint } from './security-helpers.js';

/**
 * Trusted documents: the portal's build registers its operations (hash →
 * document) and, with NODE_ENV=production, a person's session runs only
 * those, named by `documentId`. Documents a caller writes ("ad-hoc") are for
 * service clients' bearer tokens in production, for anyone outside it, and
 * always within the ad-hoc limits; registered ones are held to the trusted
 * limits. Nothing a request sends registers a document.
 */

const HERE = path.dirname(fileURLToPath(import.meta.url));
const PORTAL = path.resolve(HERE, '../../../portal');
const ROOT = mkdtempSync(path.join(tmpdir(), 'signpost-trusted-'));
afterAll(() => rmSync(ROOT, { recursive: true, force: true }));

interface Answer {
  status: number;
  body: any;
}

/** What the portal's build writes into its folder: the manifest its codegen makes (vite.config.ts copies it unchanged). */
async function portalManifest(): Promise<Record<string, string>> {
  const { generate } = await import('@graphql-codegen/cli');
  // The portal's own codegen.ts, as its build runs it (not imported statically: it is outside this package).
  const { default: config } = (await import(pathToFileURL(path.join(PORTAL, 'codegen.ts')).href)) as { default: Record<string, unknown> };
  const files = (await generate({ ...config, cwd: PORTAL, silent: true } as never, false)) as { filename: string; content: string }[];
  const manifest = files.find((f) => f.filename.endsWith(TRUSTED_DOCUMENTS_FILE));
  expect(manifest, 'the portal codegen writes a manifest of its documents').toBeDefined();
  return JSON.parse(manifest!.content) as Record<string, string>;
}

let folders = 0;
/** A portal folder holding `manifest` as its build would (only the manifest: the API reads nothing else of it at start). */
function portalFolder(manifest: unknown): string {
  const dir = path.join(ROOT, `portal-${++folders}`);
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, TRUSTED_DOCUMENTS_FILE), typeof manifest === 'string' ? manifest : JSON.stringify(manifest, null, 2));
  return dir;
}

/** `currentWording { group { ... } }` nests single objects, so only the depth grows. */
function nestedQuery(depth: number): string {
  let inner = 'id';
  for (let level = depth - 1; level >= 2; level--) inner = level % 2 === 0 ? `currentWording { ${inner} }` : `group { ${inner} }`;
  return `query Nested($id: ID!) { group(id: $id) { ${inner} } }`;
}
const aliases = (n: number) => `{ ${Array.from({ length: n }, (_, i) => `a${i}: me { id }`).join(' ')} }`;
const directives = (n: number) => `{ ${'me { id @include(if: true) } '.repeat(n)}}`;
/** `{ me { id } ... }`: 2 tokens and 4 a field. */
const tokens = (fields: number) => `{ ${'me { id } '.repeat(fields)}}`;
const UNKNOWN_ID = `sha256:${'0'.repeat(64)}`;
const PREFLIGHT = { 'apollo-require-preflight': 'true' };

function codeOf(a: Answer): string | undefined {
  return a.body?.errors?.[0]?.extensions?.code;
}

/** Refused with this status and code, the error being the contract's. */
function expectRefused(a: Answer, status: number, code: string, extensions: Record<string, unknown> = {}): void {
  expect([a.status, codeOf(a)], JSON.stringify(a.body)).toEqual([status, code]);
  expectContractError(a.body.errors[0]);
  expect(a.body.errors[0].extensions).toMatchObject(extensions);
  expect(a.body.data).toBeUndefined();
}

/** Sends exactly this body (POST) or these parameters (GET) to /graphql, as `client` (its cookie or token), or as nobody. */
async function send(env: TestEnvironment, client: TestClient | null, request: { body?: unknown; get?: Record<string, string> }, headers: Record<string, string> = {}): Promise<Answer> {
  const base = client ? client.headers(headers) : { 'content-type': 'application/json', ...headers };
  const res = request.get
    ? await fetch(`${env.url}/graphql?${new URLSearchParams(request.get)}`, { headers: { ...base, ...PREFLIGHT } })
    : await fetch(`${env.url}/graphql`, { method: 'POST', headers: base, body: JSON.stringify(request.body) });
  const text = await res.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // kept as text: the assertions will say so
  }
  return { status: res.status, body };
}

describe.each(await databaseKinds())('trusted documents with NODE_ENV=production on %s', (kind) => {
  let env: TestEnvironment;
  let officer: TestClient;
  let service: TestClient;
  let manifest: Record<string, string>;
  let groupId: string;
  /** The id of the portal's registered operation with this name. */
  const portalId = (operation: string): string => {
    const ids = Object.entries(manifest).filter(([, text]) => new RegExp(`\\b(query|mutation) ${operation}\\b`).test(text)).map(([id]) => id);
    expect(ids, operation).toHaveLength(1);
    return ids[0]!;
  };

  beforeAll(async () => {
    manifest = await portalManifest();
    env = await createTestEnvironment(kind, { config: { production: true, portalDir: portalFolder(manifest) } });
    officer = await env.as('officer');
    service = await env.asService(['groups:read']);
    // The spec's own documents are registered like the portal's, and the specs' client sends them by id.
    groupId = (await officer.ok(TrustedCreateGroupDocument, { input: { name: 'Trusted documents test group', platform: 'X', kind: 'OTHER' } })).createGroup.id;
  });
  afterAll(() => env?.close());

  it("refuses a document of a person's own with their session cookie (403 FORBIDDEN, TRUSTED_DOCUMENTS_ONLY) and runs nothing", async () => {
    const before = await tableFingerprint(env.server.dataSource);
    const create = `mutation { createGroup(input: { name: "Ad hoc in production", platform: X, kind: OTHER }) { id } }`;
    const refusal = { permission: null, reason: 'TRUSTED_DOCUMENTS_ONLY' };
    for (const request of [
      { body: { query: create } },
      { body: { query: '{ me { id } }' } },
      { get: { query: '{ me { id } }' } },
      // The text of a registered document is still the caller's: a session names it by id.
      { body: { query: manifest[portalId('Me')], operationName: 'Me' } },
      { body: { query: print(TrustedDeepDocument), variables: { id: groupId } } },
    ]) {
      expectRefused(await send(env, officer, request), 403, 'FORBIDDEN', refusal);
    }
    // Nobody signed in may not either: documents of one's own are for service clients' tokens.
    expectRefused(await send(env, null, { body: { query: '{ me { id } }' } }), 403, 'FORBIDDEN', refusal);
    expect(await tableFingerprint(env.server.dataSource)).toEqual(before);
  });

  it('runs a registered document named by its documentId with a session cookie, over POST and GET', async () => {
    const me = await send(env, officer, { body: { documentId: portalId('Me'), operationName: 'Me' } });
    expect([me.status, me.body.errors, me.body.data.me.email]).toEqual([200, undefined, 'officer@signpost.test']);
    const register = await send(env, officer, { get: { documentId: portalId('Register'), variables: JSON.stringify({ first: 5 }) } });
    expect([register.status, register.body.errors, register.body.data.groups.totalCount]).toEqual([200, undefined, 1]);
    // A mutation is never run over GET, registered or not.
    const overGet = await send(env, officer, { get: { documentId: portalId('AcknowledgeReferral') } });
    expect([overGet.status, codeOf(overGet)]).toEqual([405, 'BAD_REQUEST']);
    // The spec's own registered documents, through the specs' client (by id).
    expect((await officer.ok(TrustedWideDocument)).a19.email).toBe('officer@signpost.test');
  });

  it('holds a registered document to the trusted limits, the same text from a bearer token to the ad-hoc ones', async () => {
    // Ten levels deep and twenty aliases: over the ad-hoc limits, within the trusted ones.
    expect([AD_HOC_LIMITS.maxDepth, TRUSTED_LIMITS.maxDepth, AD_HOC_LIMITS.maxAliases, TRUSTED_LIMITS.maxAliases]).toEqual([8, 12, 15, 30]);
    expect((await officer.ok(TrustedDeepDocument, { id: groupId })).group?.currentWording).toBeNull();
    expect(Object.keys((await officer.ok(TrustedWideDocument)))).toHaveLength(20);
    expectRefused(await send(env, service, { body: { query: print(TrustedDeepDocument), variables: { id: groupId } } }), 400, 'GRAPHQL_VALIDATION_FAILED', { limit: 'depth', max: 8 });
    expectRefused(await send(env, service, { body: { query: print(TrustedWideDocument) } }), 400, 'GRAPHQL_VALIDATION_FAILED', { limit: 'aliases', max: 15 });
  });

  it('answers a documentId that is not registered with 400 PERSISTED_DOCUMENT_NOT_FOUND, and a malformed one with a code', async () => {
    for (const documentId of [UNKNOWN_ID, `sha256:${'A'.repeat(64)}`, 'Me', '', `${portalId('Me')} `, `x-${portalId('Me')}`]) {
      for (const client of [officer, service]) {
        expectRefused(await send(env, client, { body: { documentId } }), 400, 'PERSISTED_DOCUMENT_NOT_FOUND');
        expectRefused(await send(env, client, { get: { documentId } }), 400, 'PERSISTED_DOCUMENT_NOT_FOUND');
      }
    }
    expectRefused(await send(env, officer, { body: { documentId: 42 } }), 400, 'BAD_REQUEST');
    expectRefused(await send(env, officer, { body: { documentId: [portalId('Me')] } }), 400, 'BAD_REQUEST');
    const twice = await fetch(`${env.url}/graphql?documentId=${portalId('Me')}&documentId=${portalId('Me')}`, { headers: officer.headers(PREFLIGHT) });
    expect([twice.status, ((await twice.json()) as any).errors[0].extensions.code]).toEqual([400, 'BAD_REQUEST']);
  });

  it("accepts a document of a service client's own within the ad-hoc limits, and refuses one over them", async () => {
    const ok = async (query: string, variables?: Record<string, unknown>) => {
      const a = await send(env, service, { body: { query, variables } });
      expect([a.status, a.body.errors], JSON.stringify(a.body).slice(0, 300)).toEqual([200, undefined]);
    };
    // Eight levels deep. A groups:read token may not read a group's wording, so those fields answer FORBIDDEN; the
    // document itself was accepted and ran.
    const deep = await send(env, service, { body: { query: nestedQuery(AD_HOC_LIMITS.maxDepth), variables: { id: groupId } } });
    expect([deep.status, deep.body.data.group, [...new Set(deep.body.errors.map((e: any) => e.extensions.code))]]).toEqual([200, { currentWording: null }, ['FORBIDDEN']]);
    expectRefused(await send(env, service, { body: { query: nestedQuery(AD_HOC_LIMITS.maxDepth + 1), variables: { id: groupId } } }), 400, 'GRAPHQL_VALIDATION_FAILED', { limit: 'depth', max: 8 });
    await ok(`{ ${Array.from({ length: 15 }, (_, i) => `a${i}: groups(first: 1) { totalCount }`).join(' ')} }`);
    expectRefused(await send(env, service, { body: { query: aliases(16) } }), 400, 'GRAPHQL_VALIDATION_FAILED', { limit: 'aliases', max: 15 });
    await ok(`{ ${'groups(first: 1) { totalCount @include(if: true) } '.repeat(50)}}`);
    expectRefused(await send(env, service, { body: { query: directives(51) } }), 400, 'GRAPHQL_VALIDATION_FAILED', { limit: 'directives', max: 50 });
    // The register is a groups:read token's to read. `{ groups(first: 1) { totalCount } ... }` is 2 tokens and 9 a
    // field: 110 fields are 992 tokens; 250 `me { id }` fields are 1,002.
    await ok(`{ ${'groups(first: 1) { totalCount } '.repeat(110)}}`);
    expectRefused(await send(env, service, { body: { query: tokens(250) } }), 400, 'GRAPHQL_PARSE_FAILED', { limit: 'tokens', max: 1000 });
    // An Authorization header decides who calls, whatever cookie comes with it; a bad token is refused before anything runs.
    const both = await send(env, service, { body: { query: '{ groups(first: 1) { totalCount } }' } }, { cookie: officer.cookie! });
    expect([both.status, both.body.data?.groups.totalCount]).toEqual([200, 1]);
    const bad = await fetch(`${env.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: 'Bearer sp_not-a-token' }, body: JSON.stringify({ query: '{ groups(first: 1) { totalCount } }' }) });
    expect([bad.status, ((await bad.json()) as any).errors[0].extensions.code]).toEqual([401, 'UNAUTHENTICATED']);
  });

  it('lets no caller register a document: not with a documentId and a query, not with an automatic persisted query', async () => {
    const text = '{ groups(first: 1) { totalCount } }';
    const id = documentIdOf(text);
    for (const client of [officer, service]) {
      expectRefused(await send(env, client, { body: { documentId: id, query: text } }), 400, 'BAD_REQUEST');
      expectRefused(await send(env, client, { get: { documentId: id, query: text } }), 400, 'BAD_REQUEST');
    }
    // Apollo's automatic persisted queries are off: a hash with its query is not stored (Apollo's answer, 200, code BAD_REQUEST) ...
    const apq = { version: 1, sha256Hash: id.slice('sha256:'.length) };
    const registering = await send(env, service, { body: { query: text, extensions: { persistedQuery: apq } } });
    expect([registering.status, codeOf(registering), registering.body.data]).toEqual([200, 'BAD_REQUEST', undefined]);
    // ... and a person's session may not even try.
    expectRefused(await send(env, officer, { body: { query: text, extensions: { persistedQuery: apq } } }), 403, 'FORBIDDEN');
    // Afterwards the hash names nothing, either way.
    for (const client of [officer, service]) {
      expectRefused(await send(env, client, { body: { documentId: id } }), 400, 'PERSISTED_DOCUMENT_NOT_FOUND');
      const byHash = await send(env, client, { body: { extensions: { persistedQuery: apq } } });
      expect([byHash.status, codeOf(byHash), byHash.body.data]).toEqual([200, 'BAD_REQUEST', undefined]);
    }
  });
});

describe.each(await databaseKinds())('trusted documents outside production on %s', (kind) => {
  let env: TestEnvironment;
  let officer: TestClient;
  let groupId: string;
  beforeAll(async () => {
    env = await createTestEnvironment(kind);
    officer = await env.as('officer');
    groupId = (await officer.ok(TrustedCreateGroupDocument, { input: { name: 'Development test group', platform: 'X', kind: 'OTHER' } })).createGroup.id;
  });
  afterAll(() => env?.close());

  it("accepts a document of a person's own from their session cookie, held to the ad-hoc limits", async () => {
    const ok = async (query: string, variables?: Record<string, unknown>) => {
      const a = await send(env, officer, { body: { query, variables } });
      expect([a.status, a.body.errors], JSON.stringify(a.body).slice(0, 300)).toEqual([200, undefined]);
    };
    await ok(nestedQuery(8), { id: groupId });
    expectRefused(await send(env, officer, { body: { query: nestedQuery(9), variables: { id: groupId } } }), 400, 'GRAPHQL_VALIDATION_FAILED', { limit: 'depth', max: 8 });
    await ok(aliases(15));
    expectRefused(await send(env, officer, { body: { query: aliases(16) } }), 400, 'GRAPHQL_VALIDATION_FAILED', { limit: 'aliases', max: 15 });
    await ok(directives(50));
    expectRefused(await send(env, officer, { body: { query: directives(51) } }), 400, 'GRAPHQL_VALIDATION_FAILED', { limit: 'directives', max: 50 });
    await ok(tokens(249));
    expectRefused(await send(env, officer, { body: { query: tokens(250) } }), 400, 'GRAPHQL_PARSE_FAILED', { limit: 'tokens', max: 1000 });
    // GET too, and introspection (GraphQL tools), which fits the ad-hoc limits.
    const get = await send(env, officer, { get: { query: nestedQuery(9), variables: JSON.stringify({ id: groupId }) } });
    expectRefused(get, 400, 'GRAPHQL_VALIDATION_FAILED', { limit: 'depth' });
    const { getIntrospectionQuery } = await import('graphql');
    await ok(getIntrospectionQuery({ descriptions: true, specifiedByUrl: true, directiveIsRepeatable: true, inputValueDeprecation: true }));
  });

  it('runs registered documents by id there too, with the trusted limits', async () => {
    expect((await officer.ok(TrustedDeepDocument, { id: groupId })).group?.id).toBe(groupId);
    expectRefused(await send(env, officer, { body: { query: print(TrustedDeepDocument), variables: { id: groupId } } }), 400, 'GRAPHQL_VALIDATION_FAILED', { limit: 'depth' });
    expectRefused(await send(env, officer, { body: { documentId: UNKNOWN_ID } }), 400, 'PERSISTED_DOCUMENT_NOT_FOUND');
  });
});

// Reading the manifest touches no database: the first kind is enough.
const [first] = await databaseKinds();

describe(`the portal's manifest, read from the portal folder, on ${first}`, () => {
  const envs: TestEnvironment[] = [];
  afterAll(async () => {
    for (const env of envs) await env.close();
  });
  const start = async (config: Parameters<typeof createTestEnvironment>[1]) => {
    const env = await createTestEnvironment(first!, config);
    envs.push(env);
    return env;
  };

  /** Every id of `manifest` names a registered document on `env`: a query runs (GET), a mutation is refused only for its method. */
  async function expectAllRegistered(env: TestEnvironment, manifest: Record<string, string>): Promise<void> {
    const officer = await env.as('officer');
    const wrong: string[] = [];
    for (const [id, text] of Object.entries(manifest)) {
      const a = await send(env, officer, { get: { documentId: id } });
      // The document was found and ran: the officer's roles may still refuse what it reads (the audit trail, users), which is the guard's answer, not the manifest's.
      const codes: string[] = (a.body?.errors ?? []).map((e: any) => (e.extensions?.code === 'FORBIDDEN' && e.extensions?.permission ? 'FORBIDDEN_BY_ROLE' : e.extensions?.code));
      const mutation = parse(text).definitions.some((d) => d.kind === Kind.OPERATION_DEFINITION && d.operation === 'mutation');
      const fine = mutation ? a.status === 405 : a.status < 500 && !codes.some((c) => ['PERSISTED_DOCUMENT_NOT_FOUND', 'FORBIDDEN', 'GRAPHQL_VALIDATION_FAILED', 'GRAPHQL_PARSE_FAILED', 'BAD_REQUEST'].includes(c));
      if (!fine) wrong.push(`${id} ${text.slice(0, 60)}: ${a.status} ${JSON.stringify(a.body).slice(0, 200)}`);
    }
    expect(wrong).toEqual([]);
    expectRefused(await send(env, officer, { get: { documentId: UNKNOWN_ID } }), 400, 'PERSISTED_DOCUMENT_NOT_FOUND');
  }

  it("registers exactly the operations the portal's build writes: every one, each under the SHA-256 of its text", async () => {
    const manifest = await portalManifest();
    // Every operation of the portal's .graphql files, and nothing else.
    const operationsOf = (text: string): string[] =>
      parse(text).definitions.flatMap((d) => (d.kind === Kind.OPERATION_DEFINITION ? [d.name?.value ?? '(anonymous)'] : []));
    const names = (dir: string): string[] =>
      readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
        const full = path.join(dir, e.name);
        if (e.isDirectory()) return e.name === 'generated' ? [] : names(full);
        return e.name.endsWith('.graphql') ? operationsOf(readFileSync(full, 'utf8')) : [];
      });
    const operations = names(path.join(PORTAL, 'src')).sort();
    expect(operations.length).toBeGreaterThan(5);
    // One operation a document (with the fragments it uses), each once.
    const registered = Object.values(manifest).flatMap(operationsOf).sort();
    expect(registered).toEqual(operations);
    for (const [id, text] of Object.entries(manifest)) expect(documentIdOf(text)).toBe(id);
    // Every document carries __typename, as Apollo Client's cache sends it, so what runs is what was registered.
    for (const text of Object.values(manifest)) expect(text).toMatch(/__typename/);
    // Read from the portal folder by a production server: each id runs its document.
    await expectAllRegistered(await start({ config: { production: true, portalDir: portalFolder(manifest) } }), manifest);
  });

  it('registers the manifest of the built portal (apps/portal/dist)', async () => {
    const built = path.join(DEFAULT_PORTAL_DIR, TRUSTED_DOCUMENTS_FILE);
    // npm test builds the portal before the API's tests (turbo.json); run `npm run build` first when running this alone.
    expect(existsSync(path.join(DEFAULT_PORTAL_DIR, 'index.html')), `the portal is not built (${DEFAULT_PORTAL_DIR}): run npm run build`).toBe(true);
    // A built portal always carries its manifest (vite.config.ts fails the build otherwise).
    expect(existsSync(built), `${built} is missing: rebuild the portal`).toBe(true);
    const manifest = JSON.parse(readFileSync(built, 'utf8')) as Record<string, string>;
    await expectAllRegistered(await start({ config: { production: true } }), manifest);
  });

  it("refuses to start on a manifest whose ids are not their documents' SHA-256, and leaves out a document this API cannot run", async () => {
    const good = '{ me { id } }';
    const tampered = { [documentIdOf(good)]: '{ me { id email roles } }' };
    await expect(createTestEnvironment(first!, { config: { portalDir: portalFolder(tampered) } })).rejects.toThrow(TrustedDocumentsError);
    await expect(createTestEnvironment(first!, { config: { portalDir: portalFolder('{"not": "json"') } })).rejects.toThrow(/is not valid JSON/);
    await expect(createTestEnvironment(first!, { config: { portalDir: portalFolder({ 'sha256:abc': good }) } })).rejects.toThrow(/is not a document id/);
    // Built against another API: a field this schema lacks, or deeper than even the trusted limit.
    const stale = '{ me { id shoeSize } }';
    const tooDeep = nestedQuery(TRUSTED_LIMITS.maxDepth + 1);
    const env = await start({ config: { production: true, portalDir: portalFolder({ [documentIdOf(good)]: good, [documentIdOf(stale)]: stale, [documentIdOf(tooDeep)]: tooDeep }) } });
    const officer = await env.as('officer');
    const ok = await send(env, officer, { body: { documentId: documentIdOf(good) } });
    expect([ok.status, ok.body.data?.me.id]).toEqual([200, expect.any(String)]);
    expectRefused(await send(env, officer, { body: { documentId: documentIdOf(stale) } }), 400, 'PERSISTED_DOCUMENT_NOT_FOUND');
    expectRefused(await send(env, officer, { body: { documentId: documentIdOf(tooDeep), variables: { id: UNKNOWN_ID } } }), 400, 'PERSISTED_DOCUMENT_NOT_FOUND');
  });
});
