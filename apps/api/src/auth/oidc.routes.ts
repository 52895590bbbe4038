import { sha256Hex } from '../common/hash.js';
import { randomBytes } from 'node:crypto';
import { Router, type Request, type Response } from 'express';
import type { DataSource, EntityManager } from 'typeorm';
import type { Logger } from 'pino';
import * as oidcClient from 'openid-client';
import { roleCombinationUnmet, type Role, type UnauthenticatedReason } from '@signpost/policy';
import { errorBody } from '../common/errors.js';
import type { AppConfig, OidcConfig } from '../config.js';
import { audit } from '../common/audit.js';
import { systemContext, type SignedInUser } from '../common/context.js';
import { createSession, readCookie, SESSION_COOKIE } from './session.service.js';
import { rolesFromClaims } from './oidc-claims.js';

/** Holds the handle of a sign-in under way; scoped to the OIDC routes, gone after ten minutes. */
export const OIDC_STATE_COOKIE = 'signpost_oidc';
const STATE_TTL_MS = 10 * 60_000;

const sha256 = sha256Hex;

/** Why a sign-in was refused: `reason` for people and logs, `check` for which ID token check failed. */
interface Refusal {
  status: 401 | 403 | 503;
  code: 'UNAUTHENTICATED' | 'FORBIDDEN' | 'SERVICE_UNAVAILABLE';
  reason: string;
  message: string;
  check?: string;
  userId?: string | null;
  error?: unknown;
}

const refusal = {
  expired: (): Refusal => ({ status: 401, code: 'UNAUTHENTICATED', reason: 'SIGN_IN_EXPIRED', message: 'This sign-in has expired or was already used. Start again.' }),
  providerRefused: (): Refusal => ({ status: 401, code: 'UNAUTHENTICATED', reason: 'PROVIDER_REFUSED', message: 'The sign-in provider did not sign you in.' }),
  idToken: (check: string, error: unknown): Refusal => ({
    status: 401, code: 'UNAUTHENTICATED', reason: 'ID_TOKEN_REJECTED', check, error,
    message: "The sign-in provider's answer could not be verified, so you have not been signed in.",
  }),
  unavailable: (error: unknown): Refusal => ({ status: 503, code: 'SERVICE_UNAVAILABLE', reason: 'PROVIDER_UNAVAILABLE', error, message: 'The sign-in provider cannot be reached. Try again shortly.' }),
  noRole: (userId: string | null): Refusal => ({ status: 403, code: 'FORBIDDEN', reason: 'NO_ROLE', userId, message: 'Your account at the sign-in provider gives you no role in Signpost. Ask an administrator.' }),
  roleConflict: (userId: string | null): Refusal => ({ status: 403, code: 'FORBIDDEN', reason: 'ROLE_CONFLICT', userId, message: 'Your account at the sign-in provider gives you roles that may not be held together in Signpost (ADMIN with a receiving team or data protection). Ask an administrator.' }),
  notProvisioned: (): Refusal => ({ status: 403, code: 'FORBIDDEN', reason: 'NOT_PROVISIONED', message: 'You do not have a Signpost account. Ask an administrator.' }),
  emailUnverified: (): Refusal => ({ status: 403, code: 'FORBIDDEN', reason: 'EMAIL_UNVERIFIED', message: 'The sign-in provider did not give a verified email address, which Signpost needs to know you.' }),
  linkedElsewhere: (userId: string): Refusal => ({ status: 403, code: 'FORBIDDEN', reason: 'ACCOUNT_LINKED_ELSEWHERE', userId, message: 'This email belongs to a Signpost account linked to another sign-in identity. Ask an administrator.' }),
  disabled: (userId: string): Refusal => ({ status: 403, code: 'FORBIDDEN', reason: 'ACCOUNT_DISABLED', userId, message: 'Your Signpost account is disabled.' }),
};

/**
 * OIDC sign-in for people: authorization code flow with PKCE, state and nonce.
 *
 * - `GET /auth/oidc/login[?returnTo=/path]` keeps the state, nonce and PKCE
 *   verifier in a database row named by a random handle in a short-lived
 *   HttpOnly, SameSite=Lax cookie, and redirects to the provider.
 * - `GET /auth/oidc/callback` uses that row once, exchanges the code and
 *   validates the ID token (issuer, audience, expiry, nonce, the one configured
 *   algorithm, and its signature against the provider's JWKS), maps the roles
 *   claim through the configured role map, finds or creates the person, and
 *   sets the same session cookie as `POST /auth/login`, and answers a page
 *   that moves on to `returnTo` (see sendContinuePage).
 *
 * Every refusal sets no session, answers with a code and a reason, is logged
 * and leaves an audit event. Without SIGNPOST_OIDC_ISSUER there are no routes.
 */
export function oidcRoutes(dataSource: DataSource, config: AppConfig, logger: Logger): Router {
  const router = Router();
  const oidc = config.oidc;
  if (!oidc) return router;

  let discovered: Promise<oidcClient.Configuration> | null = null;
  // Discovered on first use and kept; a failure is retried on the next sign-in rather than stopping the API.
  const provider = (): Promise<oidcClient.Configuration> =>
    (discovered ??= discover(oidc).catch((err) => {
      discovered = null;
      throw err;
    }));

  router.get('/auth/oidc/login', async (req: Request, res: Response) => {
    let configuration: oidcClient.Configuration;
    try {
      configuration = await provider();
    } catch (err) {
      return refuse(req, res, refusal.unavailable(err));
    }
    const handle = randomBytes(32).toString('base64url');
    const state = oidcClient.randomState();
    const nonce = oidcClient.randomNonce();
    const codeVerifier = oidcClient.randomPKCECodeVerifier();
    const returnTo = safeReturnTo(req.query.returnTo);
    await dataSource.transaction(async (m) => {
      // Abandoned sign-ins are swept here: the table stays tiny without a job.
      await m.query('DELETE FROM oidc_sign_in_states WHERE expires_at < now()');
      await m.query(
        'INSERT INTO oidc_sign_in_states (handle_hash, state, nonce, code_verifier, return_to, expires_at) VALUES ($1, $2, $3, $4, $5, $6)',
        [sha256(handle), state, nonce, codeVerifier, returnTo, new Date(Date.now() + STATE_TTL_MS)],
      );
    });
    const url = oidcClient.buildAuthorizationUrl(configuration, {
      redirect_uri: oidc.redirectUri,
      scope: oidc.scopes,
      response_type: 'code',
      state,
      nonce,
      code_challenge: await oidcClient.calculatePKCECodeChallenge(codeVerifier),
      code_challenge_method: 'S256',
    });
    // Lax, not Strict: the provider's redirect back to the callback is a cross-site navigation.
    res.cookie(OIDC_STATE_COOKIE, handle, { httpOnly: true, sameSite: 'lax', secure: config.cookieSecure, path: '/auth/oidc', maxAge: STATE_TTL_MS });
    res.redirect(302, url.href);
  });

  router.get('/auth/oidc/callback', async (req: Request, res: Response) => {
    const handle = readCookie(req.headers.cookie, OIDC_STATE_COOKIE);
    res.clearCookie(OIDC_STATE_COOKIE, { httpOnly: true, sameSite: 'lax', secure: config.cookieSecure, path: '/auth/oidc' });
    // Used once: a replayed callback finds nothing.
    const rows: { state: string; nonce: string; code_verifier: string; return_to: string | null }[] =
      handle && handle.length <= 100
        ? await dataSource.query(
            // As a SELECT, so the driver returns plain rows (TypeORM wraps a bare DELETE's result).
            `WITH used AS (DELETE FROM oidc_sign_in_states WHERE handle_hash = $1 RETURNING state, nonce, code_verifier, return_to, expires_at)
             SELECT state, nonce, code_verifier, return_to FROM used WHERE expires_at > now()`,
            [sha256(handle)],
          )
        : [];
    const attempt = rows[0];
    if (!attempt) return refuse(req, res, refusal.expired());

    // The URL the provider redirected to, rebuilt on the configured redirect URI rather than the Host header.
    const query = new URL(req.originalUrl, 'http://callback.invalid').searchParams;
    if (query.has('error')) return refuse(req, res, { ...refusal.providerRefused(), check: query.get('error')?.slice(0, 100) ?? undefined });
    const currentUrl = new URL(oidc.redirectUri);
    currentUrl.search = query.toString();

    let configuration: oidcClient.Configuration;
    try {
      configuration = await provider();
    } catch (err) {
      return refuse(req, res, refusal.unavailable(err));
    }
    let claims: oidcClient.IDToken;
    try {
      const tokens = await oidcClient.authorizationCodeGrant(configuration, currentUrl, {
        pkceCodeVerifier: attempt.code_verifier,
        expectedState: attempt.state,
        expectedNonce: attempt.nonce,
        idTokenExpected: true,
      });
      const idClaims = tokens.claims();
      if (!idClaims) return refuse(req, res, refusal.idToken('missing', null));
      claims = idClaims;
    } catch (err) {
      if (err instanceof oidcClient.AuthorizationResponseError) return refuse(req, res, { ...refusal.providerRefused(), error: err });
      if (isNetworkError(err)) return refuse(req, res, refusal.unavailable(err));
      return refuse(req, res, refusal.idToken(failedCheck(err), err));
    }

    const roles = rolesFromClaims(claims, oidc);
    const outcome = await dataSource.transaction((m) => signIn(m, config, oidc, claims, roles));
    if ('refused' in outcome) return refuse(req, res, outcome.refused);
    res.cookie(SESSION_COOKIE, outcome.session.token, {
      httpOnly: true,
      sameSite: 'strict',
      secure: config.cookieSecure,
      path: '/',
      expires: outcome.session.expiresAt,
    });
    logger.info({ event: 'oidc_sign_in', userId: outcome.userId }, 'signed in with OIDC');
    sendContinuePage(res, attempt.return_to ?? '/');
  });

  /** Answers a refusal (JSON for programs, a short page for browsers), logs it and records it in the audit trail. */
  async function refuse(req: Request, res: Response, r: Refusal): Promise<void> {
    const cause = r.error instanceof Error ? errorChain(r.error) : undefined;
    logger.warn({ event: 'oidc_sign_in_refused', reason: r.reason, check: r.check, cause }, 'OIDC sign-in refused');
    try {
      await dataSource.transaction((m) =>
        audit(systemContext(m, config, oidcRequestId()), {
          action: 'auth.oidcRefused',
          entityType: 'User',
          entityId: r.userId ?? null,
          // No claims here: who tried is often unknown or unverified, and audit events outlive erasure.
          details: { reason: r.reason, ...(r.check ? { check: r.check } : {}) },
        }),
      );
    } catch (err) {
      logger.error({ err }, 'could not record a refused OIDC sign-in');
    }
    if (res.headersSent) return;
    res.status(r.status);
    // The same envelope as GraphQL's; `reason` says which refusal it was.
    const body = r.code === 'UNAUTHENTICATED'
      ? errorBody('UNAUTHENTICATED', r.message, { reason: r.reason as UnauthenticatedReason })
      : r.code === 'FORBIDDEN'
        ? errorBody('FORBIDDEN', r.message, { permission: null, reason: r.reason })
        : errorBody('SERVICE_UNAVAILABLE', r.message, {});
    if (req.accepts(['json', 'html']) === 'html') {
      res.type('html').send(`<!doctype html><meta charset="utf-8"><title>Sign-in refused</title><p>${escapeHtml(r.message)}</p><p><a href="/">Back to Signpost</a></p>`);
    } else {
      res.json(body);
    }
  }

  return router;
}

/**
 * The answer to a successful callback: a page that goes on to `returnTo` by
 * itself. Not a redirect: the navigation began at the provider, so a browser
 * would send the next request as cross-site, without the SameSite=Strict
 * session cookie just set, and the person would look signed out. A refresh
 * from this page is a new navigation from our own origin, which carries it.
 * No script; the policy allows nothing the page does not need.
 */
function sendContinuePage(res: Response, returnTo: string): void {
  const target = escapeHtml(returnTo);
  res
    .status(200)
    .set({
      'Content-Security-Policy': "default-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
      // The callback URL holds the (spent) authorization code: not for the next page's logs.
      'Referrer-Policy': 'no-referrer',
      'Cache-Control': 'no-store',
    })
    .type('html')
    .send(
      `<!doctype html><meta charset="utf-8"><meta http-equiv="refresh" content="0;url=${target}"><title>Signed in</title>` +
        `<p>You are signed in. <a href="${target}">Continue to Signpost</a></p>`,
    );
}

async function discover(oidc: OidcConfig): Promise<oidcClient.Configuration> {
  const execute = [oidcClient.enableNonRepudiationChecks];
  // Plain http only where configuration allowed it (tests, local development): config.ts refuses it in production.
  if (oidc.allowInsecureRequests) execute.push(oidcClient.allowInsecureRequests);
  const metadata: Partial<oidcClient.ClientMetadata> = {
    // Pinned: the provider's metadata cannot widen what an ID token may be signed with.
    id_token_signed_response_alg: oidc.idTokenAlg,
    redirect_uris: [oidc.redirectUri],
    response_types: ['code'],
  };
  return oidcClient.discovery(new URL(oidc.issuer), oidc.clientId, metadata, clientAuth(oidc), { execute, timeout: 10 });
}

function clientAuth(oidc: OidcConfig): oidcClient.ClientAuth {
  return oidc.clientSecret ? oidcClient.ClientSecretBasic(oidc.clientSecret) : oidcClient.None();
}

type SignInOutcome = { userId: string; session: { token: string; expiresAt: Date } } | { refused: Refusal };

/** Finds the person by provider subject, else by verified email; creates them if allowed; sets their roles from the claims. */
async function signIn(m: EntityManager, config: AppConfig, oidc: OidcConfig, claims: oidcClient.IDToken, roles: Role[]): Promise<SignInOutcome> {
  type Row = { id: string; email: string; display_name: string; disabled: boolean; oidc_issuer: string | null; oidc_subject: string | null };
  const columns = 'id, email, display_name, disabled, oidc_issuer, oidc_subject';
  const email = typeof claims.email === 'string' ? claims.email.trim().toLowerCase() : null;
  // Most providers assert it; one that says "not verified" cannot be trusted to name an existing account.
  const trustedEmail = email && claims.email_verified !== false && /^[^\s@]+@[^\s@]+$/.test(email) && email.length <= 254 ? email : null;

  let user: Row | undefined = (await m.query(`SELECT ${columns} FROM users WHERE oidc_issuer = $1 AND oidc_subject = $2`, [claims.iss, claims.sub]))[0];
  if (!user && trustedEmail) {
    user = (await m.query(`SELECT ${columns} FROM users WHERE email = $1`, [trustedEmail]))[0];
    if (user && user.oidc_subject !== null) return { refused: refusal.linkedElsewhere(user.id) };
  }
  if (roles.length === 0) return { refused: refusal.noRole(user?.id ?? null) };
  // Separation of duties holds for provider-given roles too (policy roleCombinationUnmet).
  if (roleCombinationUnmet(roles).length > 0) return { refused: refusal.roleConflict(user?.id ?? null) };
  if (!user) {
    if (!oidc.createUsers) return { refused: refusal.notProvisioned() };
    if (!trustedEmail) return { refused: refusal.emailUnverified() };
    const displayName = (typeof claims.name === 'string' && claims.name.trim().slice(0, 200)) || trustedEmail;
    user = (await m.query(`INSERT INTO users (email, display_name, roles) VALUES ($1, $2, $3) RETURNING ${columns}`, [trustedEmail, displayName, roles]))[0] as Row;
  }
  if (user.disabled) return { refused: refusal.disabled(user.id) };
  // The provider is the source of truth for roles of people who sign in with it.
  await m.query('UPDATE users SET roles = $2, oidc_issuer = $3, oidc_subject = $4, last_sign_in_at = now() WHERE id = $1', [user.id, roles, claims.iss, claims.sub]);
  const person: SignedInUser = { id: user.id, email: user.email, displayName: user.display_name };
  await audit(systemContext(m, config, oidcRequestId(), { ...person, roles }), {
    action: 'auth.login',
    entityType: 'User',
    entityId: user.id,
    details: { method: 'oidc', roles },
  });
  return { userId: user.id, session: await createSession(m, user.id, config.sessionTtlHours) };
}

const oidcRequestId = (): string => `oidc-${randomBytes(6).toString('hex')}`;

/** Which ID token check failed, from openid-client's error chain: for the audit trail and the tests. */
export function failedCheck(err: unknown): string {
  const chain: { message?: string; code?: string }[] = [];
  for (let e: any = err; e && chain.length < 6; e = e.cause) chain.push(e);
  const text = chain.map((e) => e.message ?? '').join(' | ');
  if (chain.some((e) => e.code === 'OAUTH_KEY_SELECTION_FAILED')) return 'unknown_key';
  if (/"alg"|JWS algorithm/.test(text)) return 'algorithm';
  if (/"exp"/.test(text)) return 'expired';
  if (/"iss"/.test(text)) return 'issuer';
  if (/"aud"|"azp"/.test(text)) return 'audience';
  if (/"nonce"/.test(text)) return 'nonce';
  if (/"state"/.test(text)) return 'state';
  if (/signature/i.test(text)) return 'signature';
  if (chain.some((e) => e.code === 'OAUTH_RESPONSE_BODY_ERROR')) return 'token_exchange';
  return 'other';
}

function errorChain(err: Error): string {
  const parts: string[] = [];
  for (let e: any = err; e && parts.length < 6; e = e.cause) if (typeof e.message === 'string') parts.push(e.message);
  return parts.join(' <- ');
}

function isNetworkError(err: unknown): boolean {
  for (let e: any = err; e; e = e.cause) {
    if (e instanceof TypeError && /fetch failed/i.test(e.message)) return true;
    if (e?.name === 'TimeoutError' || e?.name === 'AbortError') return true;
  }
  return false;
}

/** A path on this site only: never another origin (`//evil`, `/\evil`) or a scheme. */
function safeReturnTo(value: unknown): string | null {
  return typeof value === 'string' && value.length <= 500 && /^\/(?![/\\])[\x21-\x7e]*$/.test(value) ? value : null;
}

const escapeHtml = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
