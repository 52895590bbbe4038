import type { EntityManager } from 'typeorm';
import DataLoader from 'dataloader';
import { accessOf, NO_ACCESS, type Access, type Role } from '@signpost/policy';
import type { AppConfig } from '../config.js';

export interface SignedInUser {
  id: string;
  email: string;
  displayName: string;
}

/** One authorization decision of the guard, kept for the request's diagnostics. */
export interface AuthorizationDecision {
  path: string;
  required: readonly string[];
  granted: boolean;
}

/**
 * What every resolver and service gets first: who is asking and what they may
 * do (`access`, decided once by the policy for the whole request), and the one
 * database transaction the whole request runs in.
 */
export interface RequestContext {
  requestId: string;
  access: Access;
  user: SignedInUser | null;
  /** The request's transaction. Never query through the DataSource inside a request. */
  manager: EntityManager;
  config: AppConfig;
  /** Per-request DataLoaders, created on first use and keyed by name. */
  loader<K, V>(name: string, batch: (keys: readonly K[]) => Promise<(V | Error)[]>): DataLoader<K, V>;
  /** The guard's decisions in this request, in order (see `authChecker`). */
  readonly decisions: AuthorizationDecision[];
}

export function createLoaderRegistry(): RequestContext['loader'] {
  const loaders = new Map<string, DataLoader<unknown, unknown>>();
  return <K, V>(name: string, batch: (keys: readonly K[]) => Promise<(V | Error)[]>) => {
    let loader = loaders.get(name) as DataLoader<K, V> | undefined;
    if (!loader) {
      loader = new DataLoader<K, V>(batch, { maxBatchSize: 500 });
      loaders.set(name, loader as DataLoader<unknown, unknown>);
    }
    return loader;
  };
}

/** Groups rows by a key, in the order of `keys`: the usual shape of a one-to-many batch. */
export function groupRows<K, R>(keys: readonly K[], rows: R[], keyOf: (row: R) => K): R[][] {
  const byKey = new Map<K, R[]>();
  for (const row of rows) {
    const k = keyOf(row);
    const list = byKey.get(k);
    if (list) list.push(row);
    else byKey.set(k, [row]);
  }
  return keys.map((k) => byKey.get(k) ?? []);
}

/** One row per key, or null. */
export function indexRows<K, R>(keys: readonly K[], rows: R[], keyOf: (row: R) => K): (R | null)[] {
  const byKey = new Map<K, R>();
  for (const row of rows) byKey.set(keyOf(row), row);
  return keys.map((k) => byKey.get(k) ?? null);
}

/**
 * A context for work done outside an HTTP request (demo seed, jobs), acting as
 * a given person so the same services, checks and audit events apply.
 */
export function contextFor(
  manager: EntityManager,
  config: AppConfig,
  user: SignedInUser & { roles: readonly Role[] },
  requestId = 'system',
): RequestContext {
  return {
    requestId,
    access: accessOf({ kind: 'user', id: user.id, roles: user.roles, scopes: [] }),
    user: { id: user.id, email: user.email, displayName: user.displayName },
    manager,
    config,
    loader: createLoaderRegistry(),
    decisions: [],
  };
}

/** A context for audit events written by the system itself (sign-in routes, the command line): no person acts. */
export function systemContext(manager: EntityManager, config: AppConfig, requestId: string, actor?: SignedInUser & { roles: readonly Role[] }): RequestContext {
  if (actor) return contextFor(manager, config, actor, requestId);
  return { requestId, access: NO_ACCESS, user: null, manager, config, loader: createLoaderRegistry(), decisions: [] };
}
