import type { EntityManager } from 'typeorm';
import { ROLES, isOneOf, type Role } from '@signpost/policy';
import { hashPassword } from '../../auth/password.js';
import type { RequestContext } from '../../common/context.js';
import { audit } from '../../common/audit.js';
import { badInput, notFound } from '../../common/errors.js';
import { requireId } from '../../common/ids.js';
import { User } from './user.entity.js';
import type { CreateUserInput, DisableUserInput, SetUserRolesInput } from './dto/user.inputs.js';

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

// ---- The administrator's GraphQL operations (user.manage), on the request's transaction. ----

export function listUsers(ctx: RequestContext): Promise<User[]> {
  return ctx.manager.find(User, { order: { email: 'ASC' } });
}

async function requireUser(ctx: RequestContext, id: string): Promise<User> {
  const user = await ctx.manager.findOneBy(User, { id: requireId(id, 'input.id') });
  if (!user) throw notFound('User');
  return user;
}

export async function createUserFor(ctx: RequestContext, input: CreateUserInput): Promise<User> {
  let user: User;
  try {
    user = await createUser(ctx.manager, input);
  } catch (err) {
    if (err instanceof UserInputError) throw badInput(/password/i.test(err.message) ? 'input.password' : /role/i.test(err.message) ? 'input.roles' : 'input.email', err.message);
    throw err;
  }
  // Roles, never the email: audit events outlive erasure.
  await audit(ctx, { action: 'user.create', entityType: 'User', entityId: user.id, details: { roles: user.roles, password: Boolean(input.password) } });
  return user;
}

export async function setUserRolesFor(ctx: RequestContext, input: SetUserRolesInput): Promise<User> {
  const user = await requireUser(ctx, input.id);
  const roles = parseRoles(input.roles);
  // An administrator cannot lock the last door behind them.
  if (user.id === ctx.user?.id && !roles.includes('ADMIN')) throw badInput('input.roles', 'You cannot remove your own ADMIN role; ask another administrator.');
  await ctx.manager.update(User, { id: user.id }, { roles });
  await audit(ctx, { action: 'user.setRoles', entityType: 'User', entityId: user.id, details: { from: user.roles, to: roles } });
  return ctx.manager.findOneByOrFail(User, { id: user.id });
}

/**
 * Stops a person signing in. Their sessions stop working at once (every
 * request checks `disabled`); the rows themselves expire.
 */
export async function disableUserFor(ctx: RequestContext, input: DisableUserInput): Promise<User> {
  const user = await requireUser(ctx, input.id);
  if (user.id === ctx.user?.id) throw badInput('input.id', 'You cannot disable your own account; ask another administrator.');
  if (!user.disabled) {
    await ctx.manager.update(User, { id: user.id }, { disabled: true });
    await audit(ctx, { action: 'user.disable', entityType: 'User', entityId: user.id });
  }
  return ctx.manager.findOneByOrFail(User, { id: user.id });
}
