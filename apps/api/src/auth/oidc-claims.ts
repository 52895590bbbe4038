import { ROLES, type Role } from '@signpost/policy';
import type { OidcConfig } from '../config.js';

/**
 * The values of the configured roles claim: a string or a list of strings,
 * reached by a dotted path for nested claims (e.g. `realm_access.roles`).
 * Anything else counts as no value.
 */
export function claimValues(claims: Record<string, unknown>, path: string): string[] {
  let value: unknown = claims;
  for (const key of path.split('.')) {
    if (!value || typeof value !== 'object' || Array.isArray(value) || !Object.hasOwn(value, key)) return [];
    value = (value as Record<string, unknown>)[key];
  }
  if (typeof value === 'string') return [value];
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

/** Signpost roles from the ID token: the union of what the role map gives each claim value, in ROLES order. */
export function rolesFromClaims(claims: Record<string, unknown>, oidc: Pick<OidcConfig, 'rolesClaim' | 'roleMap'>): Role[] {
  const granted = new Set<Role>();
  for (const value of claimValues(claims, oidc.rolesClaim)) {
    if (Object.hasOwn(oidc.roleMap, value)) for (const role of oidc.roleMap[value]!) granted.add(role);
  }
  return ROLES.filter((r) => granted.has(r));
}
