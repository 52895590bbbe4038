import type { EntityManager } from 'typeorm';
import { appError, type AppError } from '../common/errors.js';
import { readCookie, SESSION_COOKIE, SESSION_LOOKUP_SQL, sessionDigest, sessionIdentity, type ResolvedIdentity } from './session.service.js';
import { SERVICE_TOKEN_LOOKUP_SQL, servicePrincipal, serviceTokenDigest } from './service-token.js';

export type RequestHeaders = Record<string, string | string[] | undefined>;

export function header(headers: RequestHeaders, name: string): string | undefined {
  const v = headers[name];
  return Array.isArray(v) ? v[0] : v;
}

/**
 * A credential that was presented but is not valid. Thrown while the request's
 * context is built, so Apollo answers 401 before any resolver runs: a caller
 * with a bad token is told so, rather than quietly treated as anonymous.
 */
export const invalidBearerToken = (awaitingApproval = false): AppError<'UNAUTHENTICATED'> =>
  appError(
    'UNAUTHENTICATED',
    awaitingApproval
      ? "This service client's token works once a second administrator has approved the client (it reads referrals)."
      : 'The bearer token is not valid: it is malformed, unknown or revoked.',
    { reason: awaitingApproval ? 'AWAITING_APPROVAL' : 'INVALID_TOKEN' },
    { status: 401, headers: new Map([['www-authenticate', 'Bearer error="invalid_token"']]) },
  );

/**
 * How to find out who is calling, before asking the database: a service
 * client with `Authorization: Bearer <token>`, a person with a session cookie,
 * or nobody. A request with an Authorization header is judged by that header
 * alone, so a browser session never mixes with a service's scopes.
 *
 * `statement` is the one query to run (its only parameter, `$1`, a SHA-256 in
 * hex, so it may also be inlined as a literal in a batch); `resolve` reads its
 * rows, and throws for a bearer token that is not valid. `credential` names
 * the credential (kind and digest), or null for nobody.
 */
export interface IdentityLookup {
  credential: string | null;
  statement: { sql: string; digest: string } | null;
  resolve(rows: readonly any[]): ResolvedIdentity;
}

export function identityLookup(headers: RequestHeaders): IdentityLookup {
  const authorization = header(headers, 'authorization')?.trim();
  if (authorization) {
    const match = /^Bearer +(\S{1,200})$/i.exec(authorization);
    const digest = match ? serviceTokenDigest(match[1]!) : null;
    if (!digest) throw invalidBearerToken();
    return {
      credential: `service:${digest}`,
      statement: { sql: SERVICE_TOKEN_LOOKUP_SQL, digest },
      resolve(rows) {
        const resolved = servicePrincipal(rows);
        if (!resolved || resolved === 'AWAITING_APPROVAL') throw invalidBearerToken(resolved === 'AWAITING_APPROVAL');
        // ctx.user stays null: a service is not a person (audit labels it service:<id>).
        return { principal: resolved, user: null };
      },
    };
  }
  const digest = sessionDigest(readCookie(header(headers, 'cookie'), SESSION_COOKIE));
  if (!digest) return { credential: null, statement: null, resolve: () => sessionIdentity([]) };
  return { credential: `session:${digest}`, statement: { sql: SESSION_LOOKUP_SQL, digest }, resolve: (rows) => sessionIdentity(rows) };
}

/** Who is calling (see identityLookup), in one query on `manager`. */
export async function resolveIdentity(manager: EntityManager, headers: RequestHeaders): Promise<ResolvedIdentity> {
  const lookup = identityLookup(headers);
  return lookup.resolve(lookup.statement ? await manager.query(lookup.statement.sql, [lookup.statement.digest]) : []);
}
