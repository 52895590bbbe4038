import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ContractError, ErrorCode } from '@signpost/policy';
import { createTestEnvironment, databaseKinds, type TestEnvironment } from '../testing/test-environment.js';
import { expectContractError, TestClient } from '../testing/test-client.js';
import { LoginMeDocument } from '../testing/generated/graphql.js';
import { LoginThrottle } from './login-throttle.js';

/** What `POST /auth/login` answers, read as a client would. */
interface LoginAnswer {
  status: number;
  headers: Headers;
  body: { data?: { user: { id: string; email: string; displayName: string; roles: string[] } }; errors?: unknown[] };
}

/**
 * A refusal of a sign-in route: the GraphQL envelope `{ errors: [{ message, extensions }] }` and nothing else,
 * checked against the error contract; returns the error with its typed extensions.
 */
function refusal<C extends ErrorCode>(answer: LoginAnswer, status: number, code: C): ContractError<C> {
  const where = JSON.stringify(answer.body);
  expect(answer.status, where).toBe(status);
  expect(Object.keys(answer.body), where).toEqual(['errors']);
  expect(answer.body.errors, where).toHaveLength(1);
  const error = answer.body.errors![0] as ContractError;
  expect(error.extensions.code, where).toBe(code);
  expectContractError(error as never);
  return error as ContractError<C>;
}

describe.each(await databaseKinds())('signing in on %s', (kind) => {
  let env: TestEnvironment;
  beforeAll(async () => {
    env = await createTestEnvironment(kind, { config: { loginMaxFailures: 3 } });
  });
  afterAll(() => env?.close());

  async function postLogin(body: string, contentType = 'application/json'): Promise<LoginAnswer> {
    const res = await fetch(`${env.url}/auth/login`, { method: 'POST', headers: { 'content-type': contentType }, body });
    return { status: res.status, headers: res.headers, body: (await res.json()) as LoginAnswer['body'] };
  }
  const login = (email: unknown, password: unknown): Promise<LoginAnswer> => postLogin(JSON.stringify({ email, password }));

  it('sets an HttpOnly SameSite=Strict session cookie, and ends the session on logout', async () => {
    const client = new TestClient(env.url);
    const res = await client.login('lead@signpost.test', 'signpost-demo');
    expect(res.status).toBe(200);
    expect(res.headers.get('set-cookie')).toMatch(/signpost_session=[^;]+;.*HttpOnly/i);
    expect(res.headers.get('set-cookie')).toMatch(/SameSite=Strict/i);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const { me } = await client.ok(LoginMeDocument);
    expect(me.email).toBe('lead@signpost.test');
    // The answer is GraphQL's envelope: the person, under data.
    expect(await res.json()).toEqual({ data: { user: { id: me.id, email: 'lead@signpost.test', displayName: me.displayName, roles: ['SOCIAL_MEDIA_LEAD'] } } });
    expect((await client.logout()).status).toBe(204);
    const after = await client.fails('UNAUTHENTICATED', LoginMeDocument);
    expect(after.extensions.reason).toBe('NOT_SIGNED_IN');
  });

  it('tells the sign-in page the password form is the only way in when OIDC is not configured', async () => {
    const res = await fetch(`${env.url}/auth/methods`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ password: true, oidc: null });
  });

  it('answers a wrong password and an unknown email alike: 401 UNAUTHENTICATED, reason BAD_CREDENTIALS, in the GraphQL envelope', async () => {
    const wrong = await login('officer@signpost.test', 'not the password');
    const unknown = await login('nobody@signpost.test', 'not the password');
    const error = refusal(wrong, 401, 'UNAUTHENTICATED');
    expect(error.extensions).toEqual({ code: 'UNAUTHENTICATED', reason: 'BAD_CREDENTIALS' });
    expect(error.message).toMatch(/do not match/);
    refusal(unknown, 401, 'UNAUTHENTICATED');
    expect(unknown.body).toEqual(wrong.body);
    expect(wrong.headers.get('set-cookie')).toBeNull();
    expect(wrong.headers.get('cache-control')).toBe('no-store');
  });

  it('refuses a sign-in missing both fields with 400 BAD_USER_INPUT listing both, and one missing field with that field alone', async () => {
    const none = refusal(await postLogin('{}'), 400, 'BAD_USER_INPUT');
    expect(none.extensions.field).toBe('email');
    expect(none.extensions.fields.map((f) => f.field)).toEqual(['email', 'password']);
    expect(none.extensions.fields.every((f) => f.message.length > 0)).toBe(true);

    // Present but not usable counts as missing: empty, not a string, too long.
    const bad = refusal(await login(42, 'x'.repeat(501)), 400, 'BAD_USER_INPUT');
    expect(bad.extensions.fields.map((f) => f.field)).toEqual(['email', 'password']);
    const noPassword = refusal(await login('officer@signpost.test', ''), 400, 'BAD_USER_INPUT');
    expect(noPassword.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'password', fields: [{ field: 'password' }] });
    expect(noPassword.extensions.fields).toHaveLength(1);
  });

  it('refuses a body that is not JSON with 415, and JSON that does not parse with 400, both in the envelope', async () => {
    const form = await postLogin('email=officer%40signpost.test&password=signpost-demo', 'application/x-www-form-urlencoded');
    const unsupported = refusal(form, 415, 'BAD_USER_INPUT');
    expect(unsupported.extensions.field).toBe('body');
    expect(unsupported.message).toMatch(/JSON/);
    expect(form.headers.get('set-cookie')).toBeNull();

    const broken = refusal(await postLogin('{"email": "officer@signpost.test", '), 400, 'BAD_REQUEST');
    expect(broken.extensions).toEqual({ code: 'BAD_REQUEST' });
  });

  it('treats a session cookie that is not valid percent-encoding as no session, not as a server error', async () => {
    const badCookie = { cookie: 'signpost_session=%E0%A4%A' };
    const ask = (headers: Record<string, string>) =>
      fetch(`${env.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ query: '{ me { id } }' }) });
    const anonymous = await ask({});
    const bad = await ask(badCookie);
    expect(bad.status).toBe(anonymous.status);
    const body = (await bad.json()) as { errors: ContractError<'UNAUTHENTICATED'>[] };
    expect(body.errors[0]!.extensions).toMatchObject({ code: 'UNAUTHENTICATED', reason: 'NOT_SIGNED_IN' });
    expect(body).toEqual(await anonymous.json());
    const logout = await fetch(`${env.url}/auth/logout`, { method: 'POST', headers: badCookie });
    expect(logout.status).toBe(204);
    // Sessions that are real are unaffected by someone else's garbage.
    expect((await (await env.as('officer')).ok(LoginMeDocument)).me.email).toBe('officer@signpost.test');
  });

  it('makes a guesser wait after repeated failures, even with the right password: 429 RATE_LIMITED saying how long, in the body and Retry-After', async () => {
    for (let i = 0; i < 3; i++) refusal(await login('hr@signpost.test', `guess ${i}`), 401, 'UNAUTHENTICATED');
    const blocked = await login('hr@signpost.test', 'signpost-demo');
    const error = refusal(blocked, 429, 'RATE_LIMITED');
    const retryAfter = Number(blocked.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(15 * 60);
    expect(error.extensions).toEqual({ code: 'RATE_LIMITED', retryAfterSeconds: retryAfter });
    expect(error.message).toMatch(/Try again in \d+ minute/);
    expect(blocked.headers.get('set-cookie')).toBeNull();
    // Other people are not locked out by it.
    const legal = await login('legal@signpost.test', 'signpost-demo');
    expect(legal.status).toBe(200);
    expect(legal.body.data?.user.email).toBe('legal@signpost.test');
  });
});

describe(LoginThrottle.name, () => {
  it('lets attempts through again once the window has moved past the failures', () => {
    let now = 0;
    const sut = new LoginThrottle(2, 60_000, () => now);
    sut.recordFailure('a@x', '1.1.1.1');
    expect(sut.retryAfter('a@x', '1.1.1.1')).toBe(0);
    sut.recordFailure('a@x', '1.1.1.1');
    expect(sut.retryAfter('a@x', '1.1.1.1')).toBe(60);
    now = 30_000;
    expect(sut.retryAfter('a@x', '1.1.1.1')).toBe(30);
    now = 60_001;
    expect(sut.retryAfter('a@x', '1.1.1.1')).toBe(0);
  });

  it('counts failures from one address across emails, and forgets an email on success', () => {
    const sut = new LoginThrottle(1, 60_000, () => 0);
    for (let i = 0; i < 10; i++) sut.recordFailure(`user${i}@x`, '2.2.2.2');
    expect(sut.retryAfter('fresh@x', '2.2.2.2')).toBe(60);
    expect(sut.retryAfter('fresh@x', '3.3.3.3')).toBe(0);
    sut.recordSuccess('user9@x');
    expect(sut.retryAfter('user9@x', '3.3.3.3')).toBe(0);
  });
});
