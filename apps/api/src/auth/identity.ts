import type { EntityManager } from 'typeorm';
import { readCookie, resolveSession, SESSION_COOKIE, type ResolvedIdentity } from './session.service.js';

export type RequestHeaders = Record<string, string | string[] | undefined>;

export function header(headers: RequestHeaders, name: string): string | undefined {
  const v = headers[name];
  return Array.isArray(v) ? v[0] : v;
}

/** Who is calling: a person with a session cookie, or nobody. */
export async function resolveIdentity(manager: EntityManager, headers: RequestHeaders): Promise<ResolvedIdentity> {
  return resolveSession(manager, readCookie(header(headers, 'cookie'), SESSION_COOKIE));
}
