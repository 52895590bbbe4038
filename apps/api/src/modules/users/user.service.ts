import type { EntityManager } from 'typeorm';
import { ROLES, isOneOf, type Role } from '@signpost/policy';
import { hashPassword } from '../../auth/password.js';
import { User } from './user.entity.js';

export class UserInputError extends Error {}

/** Creating people and their roles: used by the CLI and the demo seed. */
export async function createUser(
  manager: EntityManager,
  input: { email: string; displayName: string; roles: string[]; password?: string | null },
): Promise<User> {
  const email = input.email.trim().toLowerCase();
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) throw new UserInputError(`"${input.email}" is not an email address.`);
  const roles = parseRoles(input.roles);
  if (input.password !== undefined && input.password !== null && input.password.length < 12) {
    throw new UserInputError('Passwords must be at least 12 characters long.');
  }
  if (await manager.existsBy(User, { email })) throw new UserInputError(`A user with email ${email} already exists.`);
  const passwordHash = input.password ? await hashPassword(input.password) : null;
  return manager.save(manager.create(User, { email, displayName: input.displayName.trim() || email, roles, passwordHash }));
}

export async function setUserRoles(manager: EntityManager, email: string, roles: string[]): Promise<User> {
  const user = await manager.findOneBy(User, { email: email.trim().toLowerCase() });
  if (!user) throw new UserInputError(`No user has email ${email}.`);
  user.roles = parseRoles(roles);
  return manager.save(user);
}

export function parseRoles(roles: string[]): Role[] {
  const unique = [...new Set(roles.map((r) => r.trim().toUpperCase()).filter(Boolean))];
  const unknown = unique.filter((r) => !isOneOf(ROLES, r));
  if (unknown.length) throw new UserInputError(`Unknown role ${unknown.join(', ')}. Roles are: ${ROLES.join(', ')}.`);
  return unique as Role[];
}
