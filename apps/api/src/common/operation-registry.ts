import { getMetadataStorage } from 'type-graphql';
import { PERMISSIONS, type Permission } from '@signpost/policy';

export type OperationKind = 'Query' | 'Mutation';

/** What an operation needs: any one of the permissions, or just being signed in. */
export type OperationRequirement = readonly Permission[] | 'signed-in';

const IDEMPOTENT = new Set<string>();

/**
 * Marks a mutation as honouring an `Idempotency-Key` (see idempotency.ts):
 * those that create a record, where a blind retry would create it twice.
 */
export function Idempotent(): MethodDecorator {
  return (target, propertyKey) => {
    IDEMPOTENT.add(`${(target as { constructor: Function }).constructor.name}.${String(propertyKey)}`);
  };
}

/**
 * Every query and mutation of the schema with what it requires, read from the
 * resolvers' own `@Allow` / `@SignedIn` declarations (a method's own, else its
 * class's default) as type-graphql recorded them when the schema was built.
 * `unguarded` lists operations that declare nothing at all: there must be none.
 */
export function operationPermissions(): { Query: Record<string, OperationRequirement>; Mutation: Record<string, OperationRequirement>; unguarded: string[]; idempotent: string[] } {
  const storage = getMetadataStorage();
  const out = { Query: {} as Record<string, OperationRequirement>, Mutation: {} as Record<string, OperationRequirement>, unguarded: [] as string[], idempotent: [] as string[] };
  const read = (kind: OperationKind, defs: { schemaName: string; methodName: string; target: Function; roles?: unknown[] }[]) => {
    for (const def of defs) {
      const roles = def.roles;
      if (roles === undefined) out.unguarded.push(`${kind}.${def.schemaName}`);
      else {
        const unknown = roles.filter((r) => !(PERMISSIONS as readonly unknown[]).includes(r));
        if (unknown.length) throw new Error(`${kind}.${def.schemaName} declares unknown permissions ${unknown.join(', ')}`);
        out[kind][def.schemaName] = roles.length === 0 ? 'signed-in' : (roles as Permission[]);
      }
      if (kind === 'Mutation' && IDEMPOTENT.has(`${def.target.name}.${def.methodName}`)) out.idempotent.push(def.schemaName);
    }
  };
  read('Query', storage.queries);
  read('Mutation', storage.mutations);
  return out;
}

let cached: ReturnType<typeof operationPermissions> | null = null;

/** The table, read once (after the schema is built; the declarations do not change at runtime). */
export function operationTable(): ReturnType<typeof operationPermissions> {
  return (cached ??= operationPermissions());
}
