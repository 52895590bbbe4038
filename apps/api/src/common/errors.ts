import { GraphQLError } from 'graphql';
import {
  permissionRefusal, type ConflictReason, type ErrorCode, type ErrorExtensionsByCode, type FieldError, type Permission,
} from '@signpost/policy';

/**
 * The API's one way of making an error a caller sees: a GraphQL error whose
 * `extensions` are exactly the policy's contract for its code
 * (`ErrorExtensionsByCode`). The HTTP status, when the error decides the
 * response (before execution), travels in `extensions.http` for Apollo and is
 * removed by the formatter.
 */
export class AppError<C extends ErrorCode = ErrorCode> extends GraphQLError {
  constructor(
    readonly code: C,
    message: string,
    readonly contract: ErrorExtensionsByCode[C],
    http?: { status?: number; headers?: Map<string, string> },
  ) {
    super(message, { extensions: { code, ...contract, ...(http ? { http } : {}) } });
  }
}

export function appError<C extends ErrorCode>(code: C, message: string, extensions: ErrorExtensionsByCode[C], http?: { status?: number; headers?: Map<string, string> }): AppError<C> {
  return new AppError(code, message, extensions, http);
}

/** First letter up, final full stop: unmet conditions are written as clauses. */
export const sentence = (clause: string): string => {
  const s = clause.charAt(0).toUpperCase() + clause.slice(1);
  return /[.!?]$/.test(s) ? s : `${s}.`;
};

export const unauthenticated = (): AppError<'UNAUTHENTICATED'> =>
  appError('UNAUTHENTICATED', 'Sign in to use Signpost.', { reason: 'NOT_SIGNED_IN' });

/** A missing permission, named in words from the permission registry. */
export const forbidden = (permission: Permission | null, reason?: string, message?: string): AppError<'FORBIDDEN'> =>
  appError('FORBIDDEN', message ?? (permission ? sentence(permissionRefusal(permission)) : 'Your role does not allow you to do this.'), {
    permission,
    ...(reason ? { reason } : {}),
  });

/** Same words whether the record is missing or out of the caller's scope. */
export const notFound = (entity: string): AppError<'NOT_FOUND'> => appError('NOT_FOUND', `${entity} not found.`, { entity });

/** Every field at fault, in one error; the message is the first field's. */
export function badInputs(fields: readonly FieldError[]): AppError<'BAD_USER_INPUT'> {
  const list = fields.length > 0 ? [...fields] : [{ field: 'input', message: 'The input is not valid.' }];
  const message = list.length === 1 ? list[0]!.message : `${list[0]!.message} (and ${list.length - 1} more field${list.length > 2 ? 's' : ''} to correct)`;
  return appError('BAD_USER_INPUT', message, { field: list[0]!.field, fields: list });
}

export const badInput = (field: string, message: string): AppError<'BAD_USER_INPUT'> => badInputs([{ field, message }]);

/** Collects field errors of one input, to refuse them all at once. */
export class FieldErrors {
  private readonly list: FieldError[] = [];
  add(field: string, message: string): this {
    this.list.push({ field, message });
    return this;
  }
  /** Throws BAD_USER_INPUT with every field collected, if any. */
  throwIfAny(): void {
    if (this.list.length > 0) throw badInputs(this.list);
  }
}

export function conflict(entity: string, currentVersion: number | null, reason: ConflictReason = 'STALE_VERSION', message?: string): AppError<'CONFLICT'> {
  return appError(
    'CONFLICT',
    message ?? `This ${entity.toLowerCase()} was changed by someone else since you loaded it (it is now at version ${currentVersion ?? 'unknown'}). Reload it and make your change again.`,
    { reason, entity, currentVersion },
  );
}

/** A move or action the lifecycle refuses: every unmet condition, the states, and the action when there is one. */
export function transitionNotAllowed(
  entity: string,
  from: string | null,
  to: string | null,
  unmet: readonly string[],
  action: string | null = null,
): AppError<'TRANSITION_NOT_ALLOWED'> {
  const what = from !== null && to !== null && from !== to ? `The ${entity.toLowerCase()} cannot move from ${from} to ${to}` : `This ${entity.toLowerCase()} cannot be changed that way now`;
  return appError('TRANSITION_NOT_ALLOWED', `${what}: ${unmet.join('; ')}.`, { entity, from, to, action, unmet: [...unmet] });
}

/**
 * The body of an error answered outside GraphQL (the sign-in routes, the HTTP
 * guard): the same envelope as GraphQL's, `{ errors: [{ message, extensions }] }`,
 * with the contract's extensions for the code.
 */
export function errorBody<C extends ErrorCode>(code: C, message: string, extensions: ErrorExtensionsByCode[C]): { errors: [{ message: string; extensions: { code: C } & ErrorExtensionsByCode[C] }] } {
  return { errors: [{ message, extensions: { code, ...extensions } }] };
}
