import type { EntityTarget, ObjectLiteral } from 'typeorm';
import type { RequestContext } from './context.js';
import { conflict, notFound } from './errors.js';

/**
 * The only way a versioned record is changed: an UPDATE that names the version
 * the caller read. TypeORM's save() would silently overwrite a concurrent edit.
 */
export async function updateVersioned<T extends ObjectLiteral & { id: string; version: number }>(
  ctx: RequestContext,
  entity: EntityTarget<T>,
  label: string,
  id: string,
  expectedVersion: number,
  patch: Partial<Record<keyof T, unknown>>,
): Promise<T> {
  const result = await ctx.manager
    .createQueryBuilder()
    .update(entity)
    .set({ ...(patch as object), version: () => 'version + 1' } as never)
    .where('id = :id AND version = :expectedVersion', { id, expectedVersion })
    .returning('id')
    .execute();
  if (!result.affected) {
    const current = await ctx.manager.getRepository(entity).findOne({ select: { version: true } as never, where: { id } as never });
    throw current ? conflict(label, (current as { version: number }).version) : notFound(label);
  }
  return ctx.manager.getRepository(entity).findOneByOrFail({ id } as never);
}

/** Refuse early when the caller's version is already stale, before any work is done. */
export function assertVersion(label: string, current: { version: number }, expected: number): void {
  if (current.version !== expected) throw conflict(label, current.version);
}
