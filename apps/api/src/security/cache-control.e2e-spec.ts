import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnvironment, databaseKinds, type TestEnvironment } from '../testing/test-environment.js';
import { TestClient, registeredIdOf } from '../testing/test-client.js';
import { CacheControlMeDocument } from '../testing/generated/graphql.js';

/** Every answer of /graphql and /auth/* may be about a person: no browser or proxy cache may keep it. */
describe.each(await databaseKinds())('Cache-Control on %s', (kind) => {
  let env: TestEnvironment;
  beforeAll(async () => {
    env = await createTestEnvironment(kind);
  });
  afterAll(() => env?.close());

  it('is no-store on every kind of answer of /graphql and /auth, errors and refusals included', async () => {
    const officer = new TestClient(env.url);
    const graphql = (body: string, headers: Record<string, string> = {}) =>
      fetch(`${env.url}/graphql`, { method: 'POST', headers: officer.headers(headers), body });
    const answers: [string, Response, number][] = [];
    const check = (label: string, res: Response, status: number) => answers.push([label, res, status]);

    check('login success', await officer.login('officer@signpost.test', 'signpost-demo'), 200);
    check('login failure', await new TestClient(env.url).login('officer@signpost.test', 'wrong'), 401);
    check('login without JSON', await fetch(`${env.url}/auth/login`, { method: 'POST', body: 'x' }), 415);
    check('a successful query', await graphql(JSON.stringify({ query: '{ me { email } }' })), 200);
    check('a query over GET', await fetch(`${env.url}/graphql?query=${encodeURIComponent('{ me { email } }')}`, { headers: { cookie: officer.cookie!, 'apollo-require-preflight': 'true' } }), 200);
    check('a GraphQL error', await graphql(JSON.stringify({ query: '{ group(id: "00000000-0000-4000-8000-000000000000") { name } }' })), 200);
    check('a validation error from Apollo', await graphql(JSON.stringify({ query: '{ nothingHere }' })), 400);
    check("Apollo's CSRF refusal", await fetch(`${env.url}/graphql?query=${encodeURIComponent('{ me { id } }')}`), 400);
    check('a refusal of the guard', await graphql(JSON.stringify([{ query: '{ me { id } }' }])), 400);
    check('a method the guard refuses', await fetch(`${env.url}/graphql`, { method: 'PUT' }), 405);
    check('a registered document by its id', await graphql(JSON.stringify({ documentId: registeredIdOf(CacheControlMeDocument) })), 200);
    check('a documentId that is not registered', await graphql(JSON.stringify({ documentId: `sha256:${'0'.repeat(64)}` })), 400);
    check('a document over the ad-hoc limits', await graphql(JSON.stringify({ query: `{ ${'me { id } '.repeat(300)}}` })), 400);
    check('unreadable JSON (the error handler)', await graphql('{"query": '), 400);
    check('a body too large (the error handler)', await graphql(JSON.stringify({ query: '{ me { id } }', variables: { x: 'x'.repeat(110_000) } })), 413);
    check('logout', await officer.logout(), 204);
    check('anonymous after logout', await graphql(JSON.stringify({ query: '{ me { id } }' })), 200);

    expect(answers.map(([label, res]) => [label, res.status])).toEqual(answers.map(([label, , status]) => [label, status]));
    expect(answers.map(([label, res]) => [label, res.headers.get('cache-control')])).toEqual(answers.map(([label]) => [label, 'no-store']));
  });
});
