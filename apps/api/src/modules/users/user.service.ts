import type { EntityManager } from 'typeorm';
import { ROLES, isOneOf, roleChangeUnmet, roleCombinationUnmet, type FieldError, type Role } from '@signpost/policy';
import { hashPassword } from '../../auth/password.js';
import type { RequestContext } from '../../common/context.js';
import { audit } from '../../common/audit.js';
import { badInput, badInputs, forbidden, notFound } from '../../common/errors.js';
import { requireId } from '../../common/ids.js';
import { User } from './user.entity.js';
import type { CreateUserInput, DisableUserInput, SetUserRolesInput } from './dto/user.inputs.js';

/**
 * Input the command line prints and GraphQL answers as BAD_USER_INPUT. `fields`
 * names every field at fault (GraphQL's dotted path), when the error is about
 * fields: the field is never guessed from the message's words.
 */
export class UserInputError extends Error {
  constructor(
    message: string,
    readonly fields: readonly FieldError[] = [],
  ) {
    super(message);
  }

  /** One error for every field at fault; its message has each field's, for the command line. */
  static of(fields: readonly FieldError[]): UserInputError {
    return new UserInputError(fields.map((f) => f.message).join(' '), fields);
  }
}

/**
 * Creating people and their roles: used by the CLI and the demo seed. Every field at fault is refused at once.
 * `hash` makes the password's hash (argon2id by default); the demo seed passes one that hashes its shared password once.
 */
export async function createUser(
  manager: EntityManager,
  input: { email: string; displayName: string; roles: string[]; password?: string | null },
  hash: (password: string) => Promise<string> = hashPassword,
): Promise<User> {
  const faults: FieldError[] = [];
  const email = input.email.trim().toLowerCase();
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) faults.push({ field: 'input.email', message: `"${input.email}" is not an email address.` });
  else if (await manager.existsBy(User, { email })) faults.push({ field: 'input.email', message: `A user with email ${email} already exists.` });
  let roles: Role[] = [];
  try {
    roles = parseRoles(input.roles);
  } catch (err) {
    if (!(err instanceof UserInputError)) throw err;
    faults.push(...err.fields);
  }
  if (input.password !== undefined && input.password !== null && input.password.length < 12) {
    faults.push({ field: 'input.password', message: 'Passwords must be at least 12 characters long.' });
  }
  if (faults.length > 0) throw UserInputError.of(faults);
  const passwordHash = input.password ? await hash(input.password) : null;
  return manager.save(manager.create(User, { email, displayName: input.displayName.trim() || email, roles, passwordHash }));
}

export async function setUserRoles(manager: EntityManager, email: string, roles: string[]): Promise<User> {
  const user = await manager.findOneBy(User, { email: email.trim().toLowerCase() });
  if (!user) throw new UserInputError(`No user has email ${email}.`);
  user.roles = parseRoles(roles);
  return manager.save(user);
}

/** Known roles, each once, that may be held together (separation of duties, policy `roleCombinationUnmet`). */
export function parseRoles(roles: string[]): Role[] {
  const unique = [...new Set(roles.map((r) => r.trim().toUpperCase()).filter(Boolean))];
  const unknown = unique.filter((r) => !isOneOf(ROLES, r));
  if (unknown.length) throw UserInputError.of([{ field: 'input.roles', message: `Unknown role ${unknown.join(', ')}. Roles are: ${ROLES.join(', ')}.` }]);
  const clash = roleCombinationUnmet(unique as Role[]);
  if (clash.length) throw UserInputError.of([{ field: 'input.roles', message: `${clash.map((c) => c.charAt(0).toUpperCase() + c.slice(1)).join('. ')}.` }]);
  return unique as Role[];
}

// ---- The administrator's GraphQL operations (user.manage), on the request's transaction. ----

export function listUsers(ctx: RequestContext): Promise<User[]> {
  return ctx.manager.find(User, { order: { email: 'ASC' } });
}

/**
 * The user to change, its row locked to the end of the request: two
 * administrators changing one account at once take turns, the second
 * reading what the first committed (no global lock orders writers).
 */
async function requireUser(ctx: RequestContext, id: string): Promise<User> {
  const user = await ctx.manager.findOne(User, { where: { id: requireId(id, 'input.id') }, lock: { mode: 'pessimistic_write' } });
  if (!user) throw notFound('User');
  return user;
}

export async function createUserFor(ctx: RequestContext, input: CreateUserInput): Promise<User> {
  let user: User;
  try {
    user = await createUser(ctx.manager, input);
  } catch (err) {
    if (err instanceof UserInputError) throw badInputs(err.fields.length > 0 ? err.fields : [{ field: 'input', message: err.message }]);
    throw err;
  }
  // Roles, never the email: audit events outlive erasure.
  await audit(ctx, { action: 'user.create', entityType: 'User', entityId: user.id, details: { roles: user.roles, password: Boolean(input.password) } });
  return user;
}

export async function setUserRolesFor(ctx: RequestContext, input: SetUserRolesInput): Promise<User> {
  const user = await requireUser(ctx, input.id);
  // Separation of duties: nobody changes their own roles (so no administrator can give themselves a team's referrals).
  if (roleChangeUnmet({ actorId: ctx.user?.id ?? null, targetId: user.id, roles: user.roles }).length > 0) {
    throw forbidden(null, 'SEPARATION_OF_DUTIES', 'Nobody changes their own roles: ask another administrator.');
  }
  let roles: Role[];
  try {
    roles = parseRoles(input.roles);
  } catch (err) {
    if (err instanceof UserInputError) throw badInputs(err.fields.length > 0 ? err.fields : [{ field: 'input.roles', message: err.message }]);
    throw err;
  }
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
