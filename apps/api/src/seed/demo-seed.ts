import type { DataSource, EntityManager } from 'typeorm';
import type { AppConfig } from '../config.js';
import { User } from '../modules/users/user.entity.js';
import { createUser } from '../modules/users/user.service.js';
import { DEMO_PASSWORD, DEMO_USERS } from './demo-users.js';

/** The demo accounts, one per role (README lists them). */
export async function seedDemoAccounts(manager: EntityManager): Promise<void> {
  for (const u of DEMO_USERS) await createUser(manager, { ...u, password: DEMO_PASSWORD });
}

/** Seeds the demo accounts and data into an empty database. Returns false when there was data already. */
export async function seedDemoData(dataSource: DataSource, _config: AppConfig): Promise<boolean> {
  return dataSource.transaction(async (manager) => {
    if ((await manager.count(User)) > 0) return false;
    await seedDemoAccounts(manager);
    return true;
  });
}
