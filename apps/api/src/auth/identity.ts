import type { EntityManager } from 'typeorm';
import { appError, type AppError } from '../common/errors.js';
import { readCookie, resolveSession, SESSION_COOKIE, type ResolvedIdentity } from './session.service.js';
import { resolveServiceToken } from './service-token.js';

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
 * Who is calling: a service client with `Authorization: Bearer <token>`, a
 * person with a session cookie, or nobody. A request with an Authorization
 * header is judged by that header alone, so a browser session never mixes
 * with a service's scopes.
 */
export async function resolveIdentity(manager: EntityManager, headers: RequestHeaders): Promise<ResolvedIdentity> {
  const authorization = header(headers, 'authorization')?.trim();
  if (authorization) {
    const match = /^Bearer +(\S{1,200})$/i.exec(authorization);
    const resolved = match ? await resolveServiceToken(manager, match[1]!) : null;
    if (!resolved || resolved === 'AWAITING_APPROVAL') throw invalidBearerToken(resolved === 'AWAITING_APPROVAL');
    const principal = resolved;
    // ctx.user stays null: a service is not a person (audit labels it service:<id>).
    return { principal, user: null };
  }
  return resolveSession(manager, readCookie(header(headers, 'cookie'), SESSION_COOKIE));
}
