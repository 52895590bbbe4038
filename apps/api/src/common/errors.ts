import { GraphQLError } from 'graphql';
import type { ErrorCode } from '@signpost/policy';

/**
 * Every failure a caller can cause is one of these: a GraphQL error whose
 * `extensions.code` is one of the contract's codes. Unexpected errors are
 * masked by the server's formatError.
 */
export class AppError extends GraphQLError {
  constructor(code: ErrorCode, message: string, extensions: Record<string, unknown> = {}) {
    super(message, { extensions: { code, ...extensions } });
  }
}

export const unauthenticated = (): AppError => new AppError('UNAUTHENTICATED', 'Sign in to use Signpost.');

export const forbidden = (what = 'do this'): AppError =>
  new AppError('FORBIDDEN', `Your role does not allow you to ${what}.`);

/** Same words whether the record is missing or out of the caller's scope. */
export const notFound = (entity: string): AppError => new AppError('NOT_FOUND', `${entity} not found.`, { entity });

export const badInput = (field: string, message: string): AppError =>
  new AppError('BAD_USER_INPUT', message, { field });

export const conflict = (entity: string): AppError =>
  new AppError(
    'CONFLICT',
    `This ${entity.toLowerCase()} was changed by someone else since you loaded it. Reload it and make your change again.`,
    { entity },
  );

export const transitionNotAllowed = (entity: string, from: string, to: string, unmet: string): AppError =>
  new AppError('TRANSITION_NOT_ALLOWED', `${entity} cannot move from ${from} to ${to}: ${unmet}`, { entity, from, to, unmet });
