import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import Provider from 'oidc-provider';
import { decodeJwt, decodeProtectedHeader, exportJWK, generateKeyPair, SignJWT, UnsecuredJWT, type CryptoKey, type JWK, type JWTPayload } from 'jose';

/** A person at the test identity provider: their `sub` and the claims it vouches for. */
export interface TestAccount {
  sub: string;
  email?: string;
  email_verified?: boolean;
  name?: string;
  roles?: string[];
}

/**
 * Replaces the ID token in the next token response: gets the genuine token's
 * header and claims (so nonce, sub and the rest stay right) and returns the
 * token to send instead.
 */
export type IdTokenForgery = (genuine: { header: Record<string, unknown>; claims: JWTPayload }, keys: ForgeryKeys) => Promise<string>;

export interface ForgeryKeys {
  /** The provider's own signing key (in its JWKS). */
  providerKey: CryptoKey;
  providerKid: string;
  /** A key the provider never published. */
  strangerKey: CryptoKey;
  clientSecret: string;
}

export interface TestIdentityProvider {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** Who signs in at the next authorization request. */
  signInAs(account: TestAccount): void;
  /** Tamper with the ID token of token responses until cleared (null). */
  forgeIdTokens(forgery: IdTokenForgery | null): void;
  /** How many token requests the provider has answered (to show a refusal came after the exchange). */
  tokenRequests: number;
  close(): Promise<void>;
}

/**
 * A real OpenID provider (oidc-provider) on 127.0.0.1 for the OIDC sign-in
 * tests: discovery, JWKS, authorization with PKCE, and a token endpoint whose
 * ID tokens the test can forge (wrong issuer, audience, algorithm, expiry,
 * unknown key) to show each is refused. Consent is implicit and the login
 * step signs in whichever account the test chose.
 */
export async function startTestIdentityProvider(options: { clientId: string; redirectUri: string }): Promise<TestIdentityProvider> {
  const clientSecret = randomBytes(32).toString('base64url');
  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  const stranger = await generateKeyPair('RS256');
  const providerKid = 'test-provider-key';
  const jwk: JWK = { ...(await exportJWK(privateKey)), kid: providerKid, alg: 'RS256', use: 'sig' };

  const accounts = new Map<string, TestAccount>();
  let current: TestAccount | null = null;
  let forgery: IdTokenForgery | null = null;

  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const provider = new Provider(issuer, {
    clients: [{
      client_id: options.clientId,
      client_secret: clientSecret,
      redirect_uris: [options.redirectUri],
      grant_types: ['authorization_code'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_basic',
    }],
    jwks: { keys: [jwk] },
    cookies: { keys: [randomBytes(32).toString('hex')] },
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name', 'roles'] },
    // Scope claims in the ID token itself, as Signpost reads them there.
    conformIdTokenClaims: false,
    features: { devInteractions: { enabled: false } },
    pkce: { required: () => true },
    async findAccount(_ctx: unknown, sub: string) {
      const account = accounts.get(sub);
      if (!account) return undefined;
      return { accountId: sub, claims: async () => ({ ...account }) };
    },
    // First-party client: no consent screen, every requested scope granted.
    async loadExistingGrant(ctx: any) {
      const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client.clientId, accountId: ctx.oidc.session.accountId });
      grant.addOIDCScope('openid email profile');
      await grant.save();
      return grant;
    },
  });
  const handle = provider.callback();

  let tokenRequests = 0;
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    if (req.url?.startsWith('/interaction/')) return void login(req, res);
    if (req.method === 'POST' && req.url?.startsWith('/token')) {
      tokenRequests++;
      if (forgery) interceptIdToken(res, forgery);
    }
    handle(req, res);
  });

  async function login(req: IncomingMessage, res: ServerResponse): Promise<void> {
    try {
      await provider.interactionDetails(req, res);
      if (!current) throw new Error('test identity provider: call signInAs() first');
      await provider.interactionFinished(req, res, { login: { accountId: current.sub } }, { mergeWithLastSubmission: false });
    } catch (err) {
      res.statusCode = 500;
      res.end(String(err));
    }
  }

  const keys: ForgeryKeys = { providerKey: privateKey, providerKid, strangerKey: stranger.privateKey, clientSecret };

  /** Buffers the token response, swaps its id_token for the forged one, then sends it. */
  function interceptIdToken(res: ServerResponse, forge: IdTokenForgery): void {
    const chunks: Buffer[] = [];
    const write = res.write.bind(res);
    const end = res.end.bind(res);
    res.write = ((chunk: any) => {
      if (chunk) chunks.push(Buffer.from(chunk));
      return true;
    }) as typeof res.write;
    res.end = ((chunk?: any) => {
      if (chunk && typeof chunk !== 'function') chunks.push(Buffer.from(chunk));
      void (async () => {
        let body = Buffer.concat(chunks).toString('utf8');
        try {
          const json = JSON.parse(body);
          if (typeof json.id_token === 'string') {
            json.id_token = await forge({ header: decodeProtectedHeader(json.id_token) as Record<string, unknown>, claims: decodeJwt(json.id_token) }, keys);
            body = JSON.stringify(json);
          }
        } catch {
          // Not JSON (an error page): pass it on untouched.
        }
        if (!res.headersSent) res.setHeader('content-length', Buffer.byteLength(body));
        write(body);
        end();
      })();
      return res;
    }) as typeof res.end;
  }

  return {
    issuer,
    clientId: options.clientId,
    clientSecret,
    signInAs(account) {
      accounts.set(account.sub, account);
      current = account;
    },
    forgeIdTokens(f) {
      forgery = f;
    },
    get tokenRequests() {
      return tokenRequests;
    },
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}

/** Signs `claims` as an RS256 ID token with `key` and `kid`. */
export function signRs256(claims: JWTPayload, key: CryptoKey, kid: string): Promise<string> {
  return new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid, typ: 'JWT' }).sign(key);
}

/** An HS256 token keyed with the client secret: the classic algorithm-confusion forgery. */
export function signHs256(claims: JWTPayload, secret: string): Promise<string> {
  return new SignJWT(claims).setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).sign(new TextEncoder().encode(secret));
}

/** An unsigned token (`alg: none`). */
export function unsigned(claims: JWTPayload): string {
  return new UnsecuredJWT(claims).encode();
}

/**
 * A browser, as far as sign-in needs one: follows redirects by hand across
 * Signpost and the provider, keeping each origin's cookies, and stops at
 * Signpost's callback, whose response it returns.
 */
export async function browseOidcSignIn(signpostUrl: string, path = '/auth/oidc/login'): Promise<{ callback: Response; body: any; sessionCookie: string | null; stateCookieSet: boolean }> {
  const jar = new Map<string, Map<string, string>>();
  let url = new URL(path, signpostUrl);
  let stateCookieSet = false;
  for (let hop = 0; hop < 20; hop++) {
    const cookies = jar.get(url.origin);
    const res = await fetch(url, {
      redirect: 'manual',
      headers: { accept: 'application/json', ...(cookies?.size ? { cookie: [...cookies].map(([k, v]) => `${k}=${v}`).join('; ') } : {}) },
    });
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const eq = pair!.indexOf('=');
      const name = pair!.slice(0, eq).trim();
      const value = pair!.slice(eq + 1).trim();
      const forOrigin = jar.get(url.origin) ?? new Map<string, string>();
      if (value === '' || /expires=Thu, 01 Jan 1970/i.test(line)) forOrigin.delete(name);
      else forOrigin.set(name, value);
      jar.set(url.origin, forOrigin);
      if (name === 'signpost_oidc' && value) stateCookieSet = true;
    }
    if (url.pathname === '/auth/oidc/callback') {
      const text = await res.text();
      let body: any = text;
      try {
        body = JSON.parse(text);
      } catch {
        // Not JSON: the page a successful sign-in answers (or a refusal for browsers).
      }
      const session = res.headers.getSetCookie().find((c) => c.startsWith('signpost_session='));
      return { callback: res, body, sessionCookie: session ? session.split(';')[0]! : null, stateCookieSet };
    }
    const location = res.headers.get('location');
    if (res.status < 300 || res.status >= 400 || !location) {
      throw new Error(`sign-in stopped at ${url.href} with ${res.status}: ${(await res.text()).slice(0, 500)}`);
    }
    url = new URL(location, url);
  }
  throw new Error('sign-in did not reach the callback in 20 redirects');
}

/** A port free right now on 127.0.0.1, for a server whose URL must be known before it starts (a redirect URI). */
export async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}
