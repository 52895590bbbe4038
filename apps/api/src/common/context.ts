import type { EntityManager } from 'typeorm';
import DataLoader from 'dataloader';
import type { Principal } from '@signpost/policy';
import type { AppConfig } from '../config.js';

export interface SignedInUser {
  id: string;
  email: string;
  displayName: string;
}

/**
 * What every resolver and service gets first: who is asking, and the one
 * database transaction the whole request runs in.
 */
export interface RequestContext {
  requestId: string;
  principal: Principal;
  user: SignedInUser | null;
  /** The request's transaction. Never query through the DataSource inside a request. */
  manager: EntityManager;
  config: AppConfig;
  /** Per-request DataLoaders, created on first use and keyed by name. */
  loader<K, V>(name: string, batch: (keys: readonly K[]) => Promise<(V | Error)[]>): DataLoader<K, V>;
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
  user: SignedInUser & { roles: Principal['roles'] },
  requestId = 'system',
): RequestContext {
  return {
    requestId,
    principal: { kind: 'user', id: user.id, roles: user.roles, scopes: [] },
    user: { id: user.id, email: user.email, displayName: user.displayName },
    manager,
    config,
    loader: createLoaderRegistry(),
  };
}
