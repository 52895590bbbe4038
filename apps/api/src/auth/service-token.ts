import { sha256Hex } from '../common/hash.js';
import { randomBytes } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { isOneOf, SERVICE_SCOPES, serviceClientActive, type Principal, type ServiceScope } from '@signpost/policy';

/** `sp_` and 43 base64url characters (256 random bits): recognisable in logs and secret scanners. */
const TOKEN = /^sp_[A-Za-z0-9_-]{43}$/;
const PREFIX_LENGTH = 10;

export const hashServiceToken = sha256Hex;

/** A new token, its hash (all that is stored) and the prefix shown to tell tokens apart. */
export function newServiceToken(): { token: string; hash: string; prefix: string } {
  const token = `sp_${randomBytes(32).toString('base64url')}`;
  return { token, hash: hashServiceToken(token), prefix: token.slice(0, PREFIX_LENGTH) };
}

/**
 * The service principal for a bearer token; `AWAITING_APPROVAL` for a client
 * whose scopes need a second administrator's approval it does not have yet
 * (policy `serviceClientActive`); null when the token is malformed, unknown
 * or revoked (the caller cannot tell which). Runs before
 * the request takes the API's database role. `last_used_at` is written at
 * most every five minutes, in the same statement, so a busy client costs no
 * extra round trip and few row versions.
 */
export async function resolveServiceToken(manager: EntityManager, token: string): Promise<Principal | 'AWAITING_APPROVAL' | null> {
  const digest = serviceTokenDigest(token);
  return digest ? servicePrincipal(await manager.query(SERVICE_TOKEN_LOOKUP_SQL, [digest])) : null;
}

/** The active client a token names ($1: the token's SHA-256 in hex), touching last_used_at at most every five minutes. */
export const SERVICE_TOKEN_LOOKUP_SQL = `WITH client AS (
       SELECT id, scopes, approved_at, last_used_at FROM service_clients WHERE token_hash = $1 AND revoked_at IS NULL
     ), touched AS (
       UPDATE service_clients s SET last_used_at = now() FROM client c
        WHERE s.id = c.id AND (c.last_used_at IS NULL OR c.last_used_at < now() - interval '5 minutes')
       RETURNING s.id
     )
     SELECT id, scopes, approved_at FROM client`;

/** The digest SERVICE_TOKEN_LOOKUP_SQL takes; null for a token that is not even well-formed. */
export function serviceTokenDigest(token: string): string | null {
  return TOKEN.test(token) ? hashServiceToken(token) : null;
}

/** The principal in SERVICE_TOKEN_LOOKUP_SQL's rows (see resolveServiceToken). */
export function servicePrincipal(rows: readonly { id: string; scopes: string[]; approved_at: Date | null }[]): Principal | 'AWAITING_APPROVAL' | null {
  const row = rows[0];
  if (!row) return null;
  if (!serviceClientActive({ scopes: row.scopes, revokedAt: null, approvedAt: row.approved_at })) return 'AWAITING_APPROVAL';
  const scopes = row.scopes.filter((s): s is ServiceScope => isOneOf(SERVICE_SCOPES, s));
  return { kind: 'service', id: row.id, roles: [], scopes };
}
