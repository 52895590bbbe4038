import type { GraphQLFormattedError } from 'graphql';
import { unwrapResolverError } from '@apollo/server/errors';
import { ArgumentValidationError } from 'type-graphql';
import type { ValidationError } from 'class-validator';
import type { Logger } from 'pino';
import { AppError } from './errors.js';

const PASS_THROUGH = new Set([
  'GRAPHQL_PARSE_FAILED', 'GRAPHQL_VALIDATION_FAILED', 'BAD_USER_INPUT', 'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED', 'OPERATION_RESOLUTION_FAILURE', 'BAD_REQUEST', 'SERVICE_UNAVAILABLE',
]);

/** Depth-first: the first constraint that failed, and the dotted path of its field. */
function firstViolation(errors: ValidationError[], prefix: string): { field: string; message: string } | null {
  for (const e of errors) {
    const field = prefix ? `${prefix}.${e.property}` : e.property;
    if (e.constraints) {
      const message = Object.values(e.constraints)[0] ?? 'is not valid';
      return { field, message: message.startsWith(e.property) ? `${field}${message.slice(e.property.length)}` : message };
    }
    const nested = firstViolation(e.children ?? [], field);
    if (nested) return nested;
  }
  return null;
}

/**
 * Errors leave the API with a contract code and, for bad input, the field;
 * never a stack trace, SQL or table name. Anything unexpected is logged and
 * masked.
 */
export function createFormatError(logger: Logger) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const original = unwrapResolverError(error);
    const base = { locations: formatted.locations, path: formatted.path };
    if (original instanceof ArgumentValidationError) {
      const errors = original.extensions.validationErrors;
      // Mutations take one `input` argument (an *Input class); lists take plain arguments such as `first`.
      const prefix = errors[0]?.target?.constructor.name.endsWith('Input') ? 'input' : '';
      const v = firstViolation(errors, prefix) ?? { field: prefix || 'input', message: 'The input is not valid.' };
      return { ...base, message: v.message, extensions: { code: 'BAD_USER_INPUT', field: v.field } };
    }
    if (original instanceof AppError) {
      return { ...base, message: original.message, extensions: { ...original.extensions } };
    }
    const code = formatted.extensions?.code;
    if (typeof code === 'string' && PASS_THROUGH.has(code)) {
      const extensions: Record<string, unknown> = { code };
      const field = /at "([A-Za-z0-9_.[\]]+)"/.exec(formatted.message)?.[1] ?? /Variable "\$([A-Za-z0-9_]+)"/.exec(formatted.message)?.[1];
      if (code === 'BAD_USER_INPUT' && field) extensions.field = field;
      return { ...base, message: formatted.message, extensions };
    }
    logger.error({ err: original, path: formatted.path }, 'unexpected error');
    return { ...base, message: 'Something went wrong on our side. Try again; if it keeps happening, tell the Signpost team.', extensions: { code: 'INTERNAL_SERVER_ERROR' } };
  };
}
