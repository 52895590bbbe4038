import { graphql, type GraphQLSchema } from 'graphql';
import type { DataSource, EntityManager } from 'typeorm';
import { WORDING_EXAMPLE } from '@signpost/policy';
import type { AppConfig } from '../config.js';
import { contextFor } from '../common/context.js';
import { serialize } from '../common/request-transaction.js';
import { User } from '../modules/users/user.entity.js';
import { createUser } from '../modules/users/user.service.js';
import { hashPassword } from '../auth/password.js';
import { DEMO_PASSWORD, DEMO_USERS } from './demo-users.js';
import { DEMO_SCENARIO } from './demo-scenario.js';

/** The demo accounts, one per role (README lists them). */
export async function seedDemoAccounts(manager: EntityManager): Promise<void> {
  // They share the password the README gives: one argon2id hash (about 60 ms) serves them all, rather than eight made one after another.
  let demoHash: Promise<string> | undefined;
  const hashOnce = (password: string) => (demoHash ??= hashPassword(password));
  for (const u of DEMO_USERS) await createUser(manager, { ...u, password: DEMO_PASSWORD }, hashOnce);
}

export type DemoRunner = (who: DemoActor, query: string, variables?: Record<string, unknown>) => Promise<Record<string, any>>;
export type DemoActor = 'officer' | 'lead' | 'discipline' | 'hr' | 'legal';

/**
 * Seeds the demo accounts and a realistic register into an empty database, in
 * one transaction. The data is made through the public GraphQL operations, as
 * the demo people, so it obeys the same rules, checks and audit trail as data
 * typed into Signpost. Returns false when the database had users already.
 */
export async function seedDemoData(dataSource: DataSource, config: AppConfig, schema: GraphQLSchema): Promise<boolean> {
  // The scenario's operations resolve fields in parallel on this one connection, as a request's do: queue them the same way.
  const runner = serialize(dataSource.createQueryRunner());
  await runner.connect();
  try {
    await runner.startTransaction();
    const seeded = await seedInto(runner.manager, config, schema);
    await runner.commitTransaction();
    return seeded;
  } catch (err) {
    if (runner.isTransactionActive) await runner.rollbackTransaction();
    throw err;
  } finally {
    await runner.release();
  }
}

async function seedInto(manager: EntityManager, config: AppConfig, schema: GraphQLSchema): Promise<boolean> {
  if ((await manager.count(User)) > 0) return false;
  await seedDemoAccounts(manager);
  const users = await manager.find(User);
  const run: DemoRunner = async (who, query, variables) => {
    const user = users.find((u) => u.email === `${who}@signpost.test`)!;
    const result = await graphql({ schema, source: query, variableValues: variables, contextValue: contextFor(manager, config, user, 'demo-seed') });
    if (result.errors?.length) {
      throw new Error(`Demo seed step failed as ${who}: ${result.errors.map((e) => e.message).join('; ')}\n${query}`);
    }
    return result.data as Record<string, any>;
  };
  await DEMO_SCENARIO(run, manager, WORDING_EXAMPLE);
  return true;
}
