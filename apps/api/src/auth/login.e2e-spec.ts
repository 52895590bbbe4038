import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnvironment, databaseKinds, type TestEnvironment } from '../testing/test-environment.js';
import { TestClient } from '../testing/test-client.js';
import { LoginThrottle } from './login-throttle.js';

describe.each(await databaseKinds())('signing in on %s', (kind) => {
  let env: TestEnvironment;
  beforeAll(async () => {
    env = await createTestEnvironment(kind, { config: { loginMaxFailures: 3 } });
  });
  afterAll(() => env?.close());

  it('sets an HttpOnly SameSite=Strict session cookie, and ends the session on logout', async () => {
    const client = new TestClient(env.url);
    const res = await client.login('lead@signpost.test', 'signpost-demo');
    expect(res.status).toBe(200);
    expect(res.headers.get('set-cookie')).toMatch(/signpost_session=[^;]+;.*HttpOnly/i);
    expect(res.headers.get('set-cookie')).toMatch(/SameSite=Strict/i);
    expect((await client.ok(`{ me { email } }`)).me.email).toBe('lead@signpost.test');
    expect((await client.logout()).status).toBe(204);
    await client.fails('UNAUTHENTICATED', `{ me { email } }`);
  });

  it('answers a wrong password and an unknown email alike', async () => {
    const wrong = await new TestClient(env.url).login('officer@signpost.test', 'not the password');
    const unknown = await new TestClient(env.url).login('nobody@signpost.test', 'not the password');
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(await wrong.json()).toEqual(await unknown.json());
  });

  it('treats a session cookie that is not valid percent-encoding as no session, not as a server error', async () => {
    const badCookie = { cookie: 'signpost_session=%E0%A4%A' };
    const ask = (headers: Record<string, string>) =>
      fetch(`${env.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ query: '{ me { id } }' }) });
    const anonymous = await ask({});
    const bad = await ask(badCookie);
    expect(bad.status).toBe(anonymous.status);
    const body = (await bad.json()) as any;
    expect(body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
    expect(body).toEqual(await anonymous.json());
    const logout = await fetch(`${env.url}/auth/logout`, { method: 'POST', headers: badCookie });
    expect(logout.status).toBe(204);
    // Sessions that are real are unaffected by someone else's garbage.
    expect((await (await env.as('officer')).ok(`{ me { email } }`)).me.email).toBe('officer@signpost.test');
  });

  it('makes a guesser wait after repeated failures, even with the right password, and says how long', async () => {
    const client = new TestClient(env.url);
    for (let i = 0; i < 3; i++) expect((await client.login('hr@signpost.test', `guess ${i}`)).status).toBe(401);
    const blocked = await client.login('hr@signpost.test', 'signpost-demo');
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(((await blocked.json()) as any).error.code).toBe('RATE_LIMITED');
    // Other people are not locked out by it.
    expect((await new TestClient(env.url).login('legal@signpost.test', 'signpost-demo')).status).toBe(200);
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
