import { sha256Hex } from '../common/hash.js';
import { randomBytes } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { ANONYMOUS, isOneOf, ROLES, type Principal, type Role } from '@signpost/policy';
import type { SignedInUser } from '../common/context.js';

export const SESSION_COOKIE = 'signpost_session';

const sha256 = sha256Hex;

export async function createSession(manager: EntityManager, userId: string, ttlHours: number): Promise<{ token: string; expiresAt: Date }> {
  const token = randomBytes(32).toString('base64url');
  const expiresAt = new Date(Date.now() + ttlHours * 3_600_000);
  await manager.query('INSERT INTO sessions (token_hash, user_id, expires_at) VALUES ($1, $2, $3)', [sha256(token), userId, expiresAt]);
  return { token, expiresAt };
}

export async function deleteSession(manager: EntityManager, token: string): Promise<void> {
  await manager.query('DELETE FROM sessions WHERE token_hash = $1', [sha256(token)]);
}

export interface ResolvedIdentity {
  principal: Principal;
  user: SignedInUser | null;
}

/** The session cookie's user, with the roles they hold now (a role removed takes effect at once). */
/** The person a session token names ($1: the token's SHA-256 in hex): valid, unexpired, not disabled. */
export const SESSION_LOOKUP_SQL = `SELECT u.id, u.email, u.display_name, u.roles
       FROM sessions s JOIN users u ON u.id = s.user_id
      WHERE s.token_hash = $1 AND s.expires_at > now() AND NOT u.disabled`;

/** The digest SESSION_LOOKUP_SQL takes, or null when the cookie names no session worth looking up. */
export function sessionDigest(token: string | undefined): string | null {
  return !token || token.length > 200 ? null : sha256(token);
}

/** The identity in SESSION_LOOKUP_SQL's rows: anonymous when there is none. */
export function sessionIdentity(rows: readonly { id: string; email: string; display_name: string; roles: string[] }[]): ResolvedIdentity {
  const row = rows[0];
  if (!row) return { principal: ANONYMOUS, user: null };
  const roles = row.roles.filter((r): r is Role => isOneOf(ROLES, r));
  return {
    principal: { kind: 'user', id: row.id, roles, scopes: [] },
    user: { id: row.id, email: row.email, displayName: row.display_name },
  };
}

export async function resolveSession(manager: EntityManager, token: string | undefined): Promise<ResolvedIdentity> {
  const digest = sessionDigest(token);
  return sessionIdentity(digest ? await manager.query(SESSION_LOOKUP_SQL, [digest]) : []);
}

/** The first cookie called `name`, decoded; undefined when absent or not valid percent-encoding (no credential, not an error). */
export function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) {
      try {
        return decodeURIComponent(part.slice(eq + 1).trim());
      } catch {
        // URIError: anyone can send `%E0%A4%A`; it names no session, so the caller is simply anonymous.
        return undefined;
      }
    }
  }
  return undefined;
}
