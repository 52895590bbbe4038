import { Authorized, type AuthChecker } from 'type-graphql';
import { can, canAny, type Permission } from '@signpost/policy';
import type { RequestContext } from './context.js';
import { forbidden, unauthenticated } from './errors.js';

/**
 * The one place a resolver's declared permissions are enforced. Several
 * permissions mean any of them. An empty list means "signed in".
 */
export const authChecker: AuthChecker<RequestContext, Permission> = ({ context }, permissions) => {
  if (context.principal.kind === 'anonymous') throw unauthenticated();
  if (permissions.length === 0 || canAny(context.principal, permissions)) return true;
  throw forbidden(describe(permissions[0]!));
};

/** Declares what a resolver, field or whole resolver class needs. */
export const Allow = (...permissions: Permission[]): MethodDecorator & PropertyDecorator & ClassDecorator =>
  Authorized<Permission>(...permissions);

/** For checks inside services, where the permission depends on the input. */
export function requirePermission(ctx: RequestContext, permission: Permission): void {
  if (ctx.principal.kind === 'anonymous') throw unauthenticated();
  if (!can(ctx.principal, permission)) throw forbidden(describe(permission));
}

function describe(permission: Permission): string {
  const [resource, action] = permission.split('.');
  const words = (s: string) => s.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
  return `${words(action ?? '')} ${words(resource ?? '')}s`.replace(/ss$/, 's');
}
