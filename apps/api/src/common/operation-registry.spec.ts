import 'reflect-metadata';
import { describe, expect, it } from 'vitest';
import { getMetadataStorage } from 'type-graphql';
import { PERMISSIONS } from '@signpost/policy';
import { createSchema } from '../schema.js';
import { RESOLVERS } from '../modules/resolvers.js';
import { operationPermissions } from './operation-registry.js';

describe('permissions from one source: the resolvers\' own declarations', () => {
  it('every resolver class carries a default guard, so a new method cannot go unguarded', async () => {
    await createSchema();
    const guarded = new Set(getMetadataStorage().authorizedResolver.map((a) => a.target));
    expect(RESOLVERS.filter((r) => !guarded.has(r)).map((r) => r.name)).toEqual([]);
  });

  it('every query, mutation and field resolver ends up with a known permission or "signed in"', async () => {
    await createSchema();
    const storage = getMetadataStorage();
    const resolvers = new Set<Function>(RESOLVERS);
    const unguarded = [...storage.queries, ...storage.mutations, ...storage.fieldResolvers]
      .filter((d) => resolvers.has(d.target) && d.roles === undefined)
      .map((d) => `${d.target.name}.${d.methodName}`);
    expect(unguarded).toEqual([]);
    const table = operationPermissions();
    expect(table.unguarded).toEqual([]);
    for (const required of [...Object.values(table.Query), ...Object.values(table.Mutation)]) {
      if (required !== 'signed-in') for (const p of required) expect(PERMISSIONS).toContain(p);
    }
  });

  it('lists the idempotent mutations from their @Idempotent() declarations', async () => {
    await createSchema();
    expect(operationPermissions().idempotent.sort()).toEqual([
      'addAdministrator', 'addReferralNote', 'createGroup', 'createWordingTemplate', 'draftReferral', 'logContact', 'proposeWording',
      'recordConcern', 'recordEscalation', 'recordReview', 'reportGroupSighting', 'reviseWordingTemplate', 'submitReferral', 'transferReferral',
    ]);
  });
});
