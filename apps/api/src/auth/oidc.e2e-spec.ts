import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ContractError, ErrorCode } from '@signpost/policy';
import { createTestEnvironment, databaseKinds, type TestEnvironment } from '../testing/test-environment.js';
import { expectContractError, TestClient } from '../testing/test-client.js';
import {
  OidcAuditCountDocument, OidcCreateUserDocument, OidcDisableUserDocument, OidcGroupsCountDocument, OidcLastRefusalDocument, OidcMeDocument, OidcUsersDocument,
} from '../testing/generated/graphql.js';
import {
  browseOidcSignIn, freePort, signHs256, signRs256, startTestIdentityProvider, unsigned,
  type IdTokenForgery, type TestAccount, type TestIdentityProvider,
} from '../testing/test-identity-provider.js';

const ROLE_MAP = {
  'signpost-officers': ['SOCIAL_MEDIA_OFFICER'],
  'signpost-leads': ['SOCIAL_MEDIA_LEAD', 'SOCIAL_MEDIA_OFFICER'],
  'signpost-hr': ['HR'],
  'signpost-admins': ['ADMIN'],
  'signpost-dpo': ['DATA_PROTECTION'],
} as const;

const alice: TestAccount = { sub: 'alice-0001', email: 'Alice@Uni.Test', email_verified: true, name: 'Alice Officer', roles: ['signpost-officers', 'all-staff'] };

const ME = OidcMeDocument;

/**
 * A refused callback, asked for as JSON: the GraphQL envelope `{ errors: [{ message, extensions }] }`, checked
 * against the error contract, with no session. Returns the error with its typed extensions.
 */
function refusalOf<C extends ErrorCode>(result: { callback: Response; body: any; sessionCookie: string | null }, status: number, code: C): ContractError<C> {
  const where = JSON.stringify(result.body);
  expect(result.callback.status, where).toBe(status);
  expect(result.callback.headers.get('content-type')).toMatch(/^application\/json/);
  expect(Object.keys(result.body), where).toEqual(['errors']);
  expect(result.body.errors, where).toHaveLength(1);
  const error = result.body.errors[0] as ContractError;
  expect(error.extensions.code, where).toBe(code);
  expectContractError(error as never);
  expect(result.sessionCookie).toBeNull();
  return error as ContractError<C>;
}

const unescapeHtml = (s: string): string =>
  s.replace(/&(amp|lt|gt|quot|#39);/g, (_, name: string) => ({ amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'" })[name]!);

/**
 * A successful callback answers a page, not a redirect: it sets the Strict session cookie and moves on
 * from our own origin, so the next request is same-site and carries it. Returns where it goes.
 */
function continuePageTarget(result: { callback: Response; body: unknown }): string {
  const { callback } = result;
  const page = result.body as string;
  expect(callback.status, page).toBe(200);
  expect(callback.headers.get('location')).toBeNull();
  expect(callback.headers.get('content-type')).toMatch(/^text\/html/);
  expect(callback.headers.get('cache-control')).toBe('no-store');
  expect(callback.headers.get('content-security-policy')).toMatch(/^default-src 'none'/);
  expect(callback.headers.get('referrer-policy')).toBe('no-referrer');
  const session = callback.headers.getSetCookie().find((c) => c.startsWith('signpost_session='))!;
  expect(session).toMatch(/HttpOnly/i);
  expect(session).toMatch(/SameSite=Strict/i);
  expect(page).not.toMatch(/<script/i);
  const refresh = /<meta http-equiv="refresh" content="0;url=([^"]*)">/.exec(page)?.[1];
  expect(refresh, page).toBeDefined();
  // A visible link for a browser that does not follow the refresh, to the same place.
  expect(/<a href="([^"]*)">/.exec(page)?.[1]).toBe(refresh);
  const target = unescapeHtml(refresh!);
  // On this site, so the browser's next request is same-site.
  expect(new URL(target, callback.url).origin).toBe(new URL(callback.url).origin);
  return target;
}

describe.each(await databaseKinds())('OIDC sign-in on %s', (kind) => {
  let env: TestEnvironment;
  let idp: TestIdentityProvider;

  beforeAll(async () => {
    // The provider must know Signpost's redirect URI before Signpost starts.
    const port = await freePort();
    const redirectUri = `http://127.0.0.1:${port}/auth/oidc/callback`;
    idp = await startTestIdentityProvider({ clientId: 'signpost', redirectUri });
    env = await createTestEnvironment(kind, {
      config: {
        port,
        oidc: {
          issuer: idp.issuer,
          label: 'Example University login',
          clientId: idp.clientId,
          clientSecret: idp.clientSecret,
          redirectUri,
          scopes: 'openid email profile',
          rolesClaim: 'roles',
          roleMap: ROLE_MAP,
          createUsers: true,
          idTokenAlg: 'RS256',
          allowInsecureRequests: true,
        },
      },
    });
  });
  afterEach(() => idp.forgeIdTokens(null));
  afterAll(async () => {
    await env?.close();
    await idp?.close();
  });

  const signedIn = (cookie: string): TestClient => {
    const client = new TestClient(env.url);
    client.cookie = cookie;
    return client;
  };

  async function lastRefusal(): Promise<{ reason: string; check?: string }> {
    const dpo = await env.as('dpo');
    const { auditEvents } = await dpo.ok(OidcLastRefusalDocument);
    return auditEvents.edges[0]?.node.details as { reason: string; check?: string };
  }

  it('tells the sign-in page that OIDC is on, and what to call it', async () => {
    const res = await fetch(`${env.url}/auth/methods`);
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(await res.json()).toEqual({ password: true, oidc: { label: 'Example University login', path: '/auth/oidc/login' } });
  });

  it('sends the person to the provider with PKCE (S256), state and nonce, remembered in a short-lived HttpOnly SameSite=Lax cookie', async () => {
    const res = await fetch(`${env.url}/auth/oidc/login`, { redirect: 'manual' });
    expect(res.status).toBe(302);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const location = new URL(res.headers.get('location')!);
    expect(location.origin).toBe(idp.issuer);
    const p = location.searchParams;
    expect(p.get('response_type')).toBe('code');
    expect(p.get('client_id')).toBe('signpost');
    expect(p.get('code_challenge_method')).toBe('S256');
    expect(p.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(p.get('state')?.length).toBeGreaterThanOrEqual(20);
    expect(p.get('nonce')?.length).toBeGreaterThanOrEqual(20);
    const cookie = res.headers.getSetCookie().find((c) => c.startsWith('signpost_oidc='))!;
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    expect(cookie).toMatch(/Path=\/auth\/oidc/);
    expect(cookie).toMatch(/Max-Age=600/);
    // The verifier never leaves the server: not in the URL, not in the cookie.
    expect(cookie.split(';')[0]!.split('=')[1]).not.toContain(p.get('state'));
  });

  it('signs a person in (code + PKCE), maps their claims to roles, creates their account and sets the session cookie', async () => {
    idp.signInAs(alice);
    const before = idp.tokenRequests;
    const result = await browseOidcSignIn(env.url);
    expect(result.stateCookieSet).toBe(true);
    expect(continuePageTarget(result)).toBe('/');
    expect(idp.tokenRequests).toBe(before + 1);

    const person = signedIn(result.sessionCookie!);
    const { me } = await person.ok(ME);
    // "all-staff" maps to nothing and grants nothing.
    expect(me).toMatchObject({ email: 'alice@uni.test', displayName: 'Alice Officer', roles: ['SOCIAL_MEDIA_OFFICER'] });
    const { groups } = await person.ok(OidcGroupsCountDocument);
    expect(groups.totalCount).toBeGreaterThanOrEqual(0);
    const audit = await person.fails('FORBIDDEN', OidcAuditCountDocument);
    expect(audit.extensions.permission).toBe('audit.read');
  });

  it('finds the same account by subject next time, with the roles the provider gives now (and never returns to another site)', async () => {
    idp.signInAs({ ...alice, roles: ['signpost-leads'] });
    const result = await browseOidcSignIn(env.url, `/auth/oidc/login?returnTo=${encodeURIComponent('//evil.example/phish')}`);
    expect(continuePageTarget(result)).toBe('/');
    const { me } = await signedIn(result.sessionCookie!).ok(ME);
    expect(me.roles).toEqual(['SOCIAL_MEDIA_OFFICER', 'SOCIAL_MEDIA_LEAD']);
    const admin = await env.as('admin');
    const { users } = await admin.ok(OidcUsersDocument);
    expect(users.filter((u) => u.email === 'alice@uni.test')).toEqual([{ id: me.id, email: 'alice@uni.test', roles: ['SOCIAL_MEDIA_OFFICER', 'SOCIAL_MEDIA_LEAD'] }]);
  });

  it('links an account an administrator created, by its verified email, and returns to the page asked for', async () => {
    const admin = await env.as('admin');
    const { createUser } = await admin.ok(OidcCreateUserDocument, {
      input: { email: 'carol@uni.test', displayName: 'Carol HR', roles: ['HR'] },
    });
    idp.signInAs({ sub: 'carol-0002', email: 'carol@uni.test', email_verified: true, name: 'Carol', roles: ['signpost-hr'] });
    // Characters HTML gives meaning to are allowed in a path and query: the page escapes them and still goes exactly there.
    const returnTo = `/referrals?team=HR&view="open"'<b>x</b>`;
    const result = await browseOidcSignIn(env.url, `/auth/oidc/login?returnTo=${encodeURIComponent(returnTo)}`);
    expect(continuePageTarget(result)).toBe(returnTo);
    expect(result.body).not.toContain('<b>');
    const { me } = await signedIn(result.sessionCookie!).ok(ME);
    expect(me).toMatchObject({ id: createUser.id, email: 'carol@uni.test', displayName: 'Carol HR', roles: ['HR'] });

    // Another identity at the provider claiming the same email cannot take the account over.
    idp.signInAs({ sub: 'mallory-0003', email: 'carol@uni.test', email_verified: true, roles: ['signpost-leads'] });
    const takeover = await browseOidcSignIn(env.url);
    const linked = refusalOf(takeover, 403, 'FORBIDDEN');
    expect(linked.extensions).toEqual({ code: 'FORBIDDEN', permission: null, reason: 'ACCOUNT_LINKED_ELSEWHERE' });
  });

  it('refuses a person whose claims map to no role: no session and no account', async () => {
    idp.signInAs({ sub: 'bob-0004', email: 'bob@uni.test', email_verified: true, name: 'Bob Student', roles: ['students', 'all-staff'] });
    const result = await browseOidcSignIn(env.url);
    const refused = refusalOf(result, 403, 'FORBIDDEN');
    expect(refused.extensions).toEqual({ code: 'FORBIDDEN', permission: null, reason: 'NO_ROLE' });
    expect(refused.message).toMatch(/no role/);
    expect(await lastRefusal()).toEqual({ reason: 'NO_ROLE' });
    const { users } = await (await env.as('admin')).ok(OidcUsersDocument);
    expect(users.map((u) => u.email)).not.toContain('bob@uni.test');
  });

  it('refuses a sign-in whose claims map to ADMIN with a receiving team or data protection: 403 ROLE_CONFLICT, no session, no account', async () => {
    for (const [sub, roles] of [['eve-0006', ['signpost-admins', 'signpost-hr']], ['fay-0007', ['signpost-dpo', 'signpost-admins', 'all-staff']]] as const) {
      idp.signInAs({ sub, email: `${sub}@uni.test`, email_verified: true, name: sub, roles: [...roles] });
      const result = await browseOidcSignIn(env.url);
      const refused = refusalOf(result, 403, 'FORBIDDEN');
      expect(refused.extensions).toEqual({ code: 'FORBIDDEN', permission: null, reason: 'ROLE_CONFLICT' });
      expect(refused.message).toMatch(/may not be held together/);
      expect(await lastRefusal()).toEqual({ reason: 'ROLE_CONFLICT' });
    }
    const { users } = await (await env.as('admin')).ok(OidcUsersDocument);
    expect(users.map((u) => u.email)).not.toContain('eve-0006@uni.test');
    expect(users.map((u) => u.email)).not.toContain('fay-0007@uni.test');
  });

  it('refuses an existing account whose provider roles come to clash, and leaves its roles as they were', async () => {
    const gil: TestAccount = { sub: 'gil-0008', email: 'gil@uni.test', email_verified: true, name: 'Gil Admin', roles: ['signpost-admins'] };
    idp.signInAs(gil);
    const first = await browseOidcSignIn(env.url);
    continuePageTarget(first);
    const { me } = await signedIn(first.sessionCookie!).ok(ME);
    expect(me.roles).toEqual(['ADMIN']);

    idp.signInAs({ ...gil, roles: ['signpost-admins', 'signpost-hr'] });
    const clash = await browseOidcSignIn(env.url);
    expect(refusalOf(clash, 403, 'FORBIDDEN').extensions.reason).toBe('ROLE_CONFLICT');
    const { auditEvents } = await (await env.as('dpo')).ok(OidcLastRefusalDocument);
    expect(auditEvents.edges[0]!.node).toEqual({ details: { reason: 'ROLE_CONFLICT' }, entityId: me.id });
    const { users } = await (await env.as('admin')).ok(OidcUsersDocument);
    expect(users.find((u) => u.email === 'gil@uni.test')).toEqual({ id: me.id, email: 'gil@uni.test', roles: ['ADMIN'] });
  });

  it('refuses a disabled account even when the provider vouches for it', async () => {
    const admin = await env.as('admin');
    const { createUser } = await admin.ok(OidcCreateUserDocument, {
      input: { email: 'dan@uni.test', displayName: 'Dan', roles: ['SOCIAL_MEDIA_OFFICER'] },
    });
    await admin.ok(OidcDisableUserDocument, { input: { id: createUser.id } });
    idp.signInAs({ sub: 'dan-0005', email: 'dan@uni.test', email_verified: true, roles: ['signpost-officers'] });
    const result = await browseOidcSignIn(env.url);
    expect(refusalOf(result, 403, 'FORBIDDEN').extensions).toEqual({ code: 'FORBIDDEN', permission: null, reason: 'ACCOUNT_DISABLED' });
  });

  it('refuses a callback without the sign-in cookie (login CSRF, replay) before talking to the provider', async () => {
    const before = idp.tokenRequests;
    const res = await fetch(`${env.url}/auth/oidc/callback?code=stolen&state=guessed`, { redirect: 'manual', headers: { accept: 'application/json' } });
    expect(res.headers.get('cache-control')).toBe('no-store');
    const expired = refusalOf({ callback: res, body: await res.json(), sessionCookie: null }, 401, 'UNAUTHENTICATED');
    expect(expired.extensions).toEqual({ code: 'UNAUTHENTICATED', reason: 'SIGN_IN_EXPIRED' });
    expect(res.headers.getSetCookie().some((c) => c.startsWith('signpost_session='))).toBe(false);
    // A sign-in cookie that is not even valid percent-encoding is no sign-in either, not a server error.
    const garbled = await fetch(`${env.url}/auth/oidc/callback?code=stolen&state=guessed`, {
      redirect: 'manual', headers: { accept: 'application/json', cookie: 'signpost_oidc=%E0%A4%A' },
    });
    expect(refusalOf({ callback: garbled, body: await garbled.json(), sessionCookie: null }, 401, 'UNAUTHENTICATED').extensions.reason).toBe('SIGN_IN_EXPIRED');
    expect(idp.tokenRequests).toBe(before);
  });

  /** Runs a sign-in whose ID token is forged, and checks it is refused for the expected reason after the code exchange. */
  async function expectIdTokenRefused(forgery: IdTokenForgery, check: string): Promise<void> {
    idp.signInAs(alice);
    idp.forgeIdTokens(forgery);
    const before = idp.tokenRequests;
    const result = await browseOidcSignIn(env.url);
    expect(idp.tokenRequests).toBe(before + 1);
    expect(refusalOf(result, 401, 'UNAUTHENTICATED').extensions).toEqual({ code: 'UNAUTHENTICATED', reason: 'ID_TOKEN_REJECTED' });
    expect(await lastRefusal()).toEqual({ reason: 'ID_TOKEN_REJECTED', check });
  }

  it('accepts an ID token re-signed with the provider key (the forging harness itself changes nothing)', async () => {
    idp.signInAs(alice);
    idp.forgeIdTokens(({ claims }, keys) => signRs256(claims, keys.providerKey, keys.providerKid));
    const result = await browseOidcSignIn(env.url);
    expect(continuePageTarget(result)).toBe('/');
    expect((await signedIn(result.sessionCookie!).ok(ME)).me.email).toBe('alice@uni.test');
  });

  it('refuses an ID token from the wrong issuer', async () => {
    await expectIdTokenRefused(({ claims }, keys) => signRs256({ ...claims, iss: 'https://evil.example' }, keys.providerKey, keys.providerKid), 'issuer');
  });

  it('refuses an ID token for another audience', async () => {
    await expectIdTokenRefused(({ claims }, keys) => signRs256({ ...claims, aud: 'some-other-client' }, keys.providerKey, keys.providerKid), 'audience');
  });

  it('refuses an ID token signed with HS256 (the client secret) when RS256 is expected', async () => {
    await expectIdTokenRefused(({ claims }, keys) => signHs256(claims, keys.clientSecret), 'algorithm');
  });

  it('refuses an unsigned ID token (alg none)', async () => {
    await expectIdTokenRefused(async ({ claims }) => unsigned(claims), 'algorithm');
  });

  it('refuses an expired ID token', async () => {
    const now = Math.floor(Date.now() / 1000);
    await expectIdTokenRefused(({ claims }, keys) => signRs256({ ...claims, iat: now - 7200, exp: now - 3600 }, keys.providerKey, keys.providerKid), 'expired');
  });

  it('refuses an ID token signed by a key that is not in the provider JWKS', async () => {
    await expectIdTokenRefused(({ claims }, keys) => signRs256(claims, keys.strangerKey, 'not-in-the-jwks'), 'unknown_key');
  });

  it("refuses an ID token signed by an unknown key that claims the provider's key id", async () => {
    await expectIdTokenRefused(({ claims }, keys) => signRs256(claims, keys.strangerKey, keys.providerKid), 'signature');
  });
});
