import { Authorized, type AuthChecker } from 'type-graphql';
import { allows, allowsAny, type ActionAvailability, type Permission } from '@signpost/policy';
import type { RequestContext } from './context.js';
import { forbidden, transitionNotAllowed, unauthenticated, type AppError } from './errors.js';

/**
 * The one place a resolver's declared permissions are enforced, against the
 * request's access (decided once by the policy). Several permissions mean any
 * of them; none means "signed in". Each decision is kept on the context.
 */
export const authChecker: AuthChecker<RequestContext, Permission> = ({ context, info }, permissions) => {
  const path = pathOf(info.path);
  const granted = context.access.kind !== 'anonymous' && (permissions.length === 0 || allowsAny(context.access, permissions));
  context.decisions.push({ path, required: permissions, granted });
  if (context.access.kind === 'anonymous') throw unauthenticated();
  if (granted) return true;
  throw forbidden(permissions.length === 1 ? permissions[0]! : null);
};

function pathOf(path: { key: string | number; prev: unknown } | undefined): string {
  const keys: (string | number)[] = [];
  for (let p = path as { key: string | number; prev: unknown } | undefined; p; p = p.prev as typeof p) keys.unshift(p.key);
  return keys.join('.');
}

/**
 * Declares what a query, mutation, field or whole resolver class needs: any
 * one of the permissions. On a class it is the default for every method that
 * declares nothing, so a new method cannot go unguarded; the operation table
 * (`operationPermissions`) is read from these declarations.
 */
export const Allow = (...permissions: [Permission, ...Permission[]]): MethodDecorator & PropertyDecorator & ClassDecorator =>
  Authorized<Permission>(...permissions);

/** Any signed-in caller, whatever their roles (`me`; fields whose parent was already guarded). */
export const SignedIn = (): MethodDecorator & PropertyDecorator & ClassDecorator => Authorized<Permission>();

/** For checks inside services, where the permission depends on the input. */
export function requirePermission(ctx: RequestContext, permission: Permission): void {
  if (ctx.access.kind === 'anonymous') throw unauthenticated();
  if (!allows(ctx.access, permission)) throw forbidden(permission);
}

/**
 * Enforces an answer of the policy's `check…Action`: the same answer a client
 * was given in `availableActions`. Role reasons answer FORBIDDEN, lifecycle
 * reasons TRANSITION_NOT_ALLOWED with every unmet condition.
 */
export function requireAvailable(entity: string, from: string, answer: ActionAvailability, permission?: Permission): void {
  if (answer.allowed) return;
  throw refusalOf(entity, from, answer, permission);
}

export function refusalOf(entity: string, from: string, answer: ActionAvailability, permission?: Permission): AppError {
  if (answer.refusedBy === 'role') {
    const [first, ...rest] = answer.unmet;
    return forbidden(permission ?? null, 'ROLE', `${first!.charAt(0).toUpperCase()}${first!.slice(1)}${rest.length ? `; ${rest.join('; ')}` : ''}.`);
  }
  return transitionNotAllowed(entity, from, answer.to, answer.unmet, answer.action);
}
