import {
  GraphQLError, getNamedType, isInputObjectType, isInterfaceType, isObjectType,
  type GraphQLFieldMap, type GraphQLFormattedError, type GraphQLSchema,
} from 'graphql';
import { unwrapResolverError } from '@apollo/server/errors';
import type { ApolloServerPlugin } from '@apollo/server';
import { ArgumentValidationError } from 'type-graphql';
import type { ValidationError } from 'class-validator';
import type { Logger } from 'pino';
import { ERROR_MESSAGES, type ErrorCode, type FieldError } from '@signpost/policy';
import { AppError } from './errors.js';
import { isDataException, isTransientDatabaseError } from './database-errors.js';

/** Apollo's and graphql-js's own codes, as the contract's (ERROR_CODES in the policy). */
const LIBRARY_CODES: Readonly<Record<string, ErrorCode>> = {
  GRAPHQL_PARSE_FAILED: 'GRAPHQL_PARSE_FAILED',
  GRAPHQL_VALIDATION_FAILED: 'GRAPHQL_VALIDATION_FAILED',
  BAD_USER_INPUT: 'BAD_USER_INPUT',
  BAD_REQUEST: 'BAD_REQUEST',
  SERVICE_UNAVAILABLE: 'SERVICE_UNAVAILABLE',
  PERSISTED_QUERY_NOT_FOUND: 'BAD_REQUEST',
  PERSISTED_QUERY_NOT_SUPPORTED: 'BAD_REQUEST',
  OPERATION_RESOLUTION_FAILURE: 'BAD_REQUEST',
};

const INTERNAL_MESSAGE = ERROR_MESSAGES.INTERNAL_SERVER_ERROR;
const NAME = '[A-Za-z_][A-Za-z0-9_]*';
const PATH = /^[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*|\[\d+\])*$/;

export interface FormatErrorOptions {
  /** Production: no "Did you mean" hints, which would spell out the schema to a caller who may not read it. */
  production?: boolean;
  /** To name the argument a class-validator failure belongs to (`filter.search`, `input.url`). */
  schema?: GraphQLSchema;
}

/** Depth-first: every field whose constraints failed, with the dotted path, one message each (the first constraint's). */
function violations(errors: ValidationError[], prefix: string, out: FieldError[] = []): FieldError[] {
  for (const e of errors) {
    const field = prefix ? `${prefix}.${e.property}` : e.property;
    if (e.constraints) {
      const message = Object.values(e.constraints)[0] ?? 'is not valid';
      out.push({ field, message: message.startsWith(e.property) ? `${field}${message.slice(e.property.length)}` : message });
    }
    violations(e.children ?? [], field, out);
  }
  return out;
}

/**
 * Which argument of the field at `path` has the input type `typeName`:
 * `input` for mutations, `filter` for lists; '' for flattened arguments
 * (`first`, `after`), whose properties are the argument names themselves.
 */
function argumentNameFor(schema: GraphQLSchema | undefined, path: readonly (string | number)[] | undefined, typeName: string | undefined): string | null {
  if (!schema || !path?.length || !typeName) return null;
  const root = schema.getMutationType()?.getFields()[path[0] as string] ? schema.getMutationType() : schema.getQueryType();
  let fields: GraphQLFieldMap<unknown, unknown> | undefined = root?.getFields();
  let field = undefined;
  for (const step of path) {
    if (typeof step === 'number') continue;
    field = fields?.[step];
    if (!field) return null;
    const named = getNamedType(field.type);
    fields = isObjectType(named) || isInterfaceType(named) ? named.getFields() : undefined;
  }
  const arg = field?.args.find((a) => {
    const named = getNamedType(a.type);
    return isInputObjectType(named) && named.name === typeName;
  });
  return arg ? arg.name : '';
}

/**
 * graphql-js reports a variable that does not fit its type as
 * `Variable "$input" got invalid value <value> at "input.platform"; <reason>`.
 * The field is the path (plus the named field when one is missing or
 * unknown); the message is rebuilt without the value, which can be anything
 * the caller sent (10,000 characters, control characters...).
 */
export function describeCoercionError(message: string, reason: string | undefined, production: boolean): { field: string; message: string } | null {
  const missing = new RegExp(`^Variable "\\$(${NAME})" of (?:required|non-null) type "([^"]+)" (?:was not provided|must not be null)\\.$`).exec(message);
  if (missing) return { field: missing[1]!, message: `${missing[1]} is required (${missing[2]}).` };
  if (!reason || reason === message || !message.endsWith(`; ${reason}`)) return null;
  const prefix = message.slice(0, message.length - reason.length - 2);
  const variable = new RegExp(`^Variable "\\$(${NAME})" got invalid value `).exec(prefix)?.[1];
  if (!variable) return null;
  // Anchored at the end: a quoted value before it cannot end in an unescaped `"`.
  const at = / at "([^"]+)"$/.exec(prefix)?.[1];
  let field = at && PATH.test(at) ? at : variable;
  const named = new RegExp(`^Field "(${NAME})" (is not defined by type|of required type) "([^"]+)"`).exec(reason);
  const hint = production ? '' : (/ (Did you mean [^]*\?)$/.exec(reason)?.[1] ?? '');
  let text: string;
  if (named) {
    field = `${field}.${named[1]}`;
    text = named[2] === 'is not defined by type' ? `${field} is not a field of ${named[3]}.` : `${field} is required (${named[3]}).`;
  } else {
    const enumName = new RegExp(`does not exist in "(${NAME})" enum`).exec(reason)?.[1] ?? new RegExp(`^Enum "(${NAME})" cannot represent`).exec(reason)?.[1];
    const typeName = new RegExp(`^Expected type "(${NAME})"`).exec(reason)?.[1] ?? new RegExp(`^(${NAME}) cannot represent`).exec(reason)?.[1];
    if (enumName) text = `${field} must be one of the values of ${enumName}.`;
    else if (/^Expected non-nullable type/.test(reason)) text = `${field} must not be null.`;
    else if (typeName) text = `${field} is not a valid ${typeName}.`;
    else text = `${field} is not valid.`;
  }
  return { field, message: hint ? `${text} ${hint}` : text };
}

/**
 * Errors leave the API with a contract code and, for bad input, the field;
 * never a stack trace, SQL or table name. Anything unexpected is logged and
 * masked.
 */
export function createFormatError(logger: Logger, options: FormatErrorOptions = {}) {
  const production = options.production ?? false;
  const stripHints = (m: string): string => (production ? m.replace(/ ?Did you mean [^]*\?$/, '') : m);

  const format = (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const original = unwrapResolverError(error);
    const base = { locations: formatted.locations, path: formatted.path };
    if (original instanceof ArgumentValidationError) {
      const errors = original.extensions.validationErrors;
      const typeName = errors[0]?.target?.constructor.name;
      // Mutations take one `input` argument (an *Input class); lists take plain arguments such as `first`.
      const prefix = argumentNameFor(options.schema, formatted.path, typeName) ?? (typeName?.endsWith('Input') ? 'input' : '');
      const found = violations(errors, prefix);
      const fields = found.length > 0 ? found : [{ field: prefix || 'input', message: 'The input is not valid.' }];
      const message = fields.length === 1 ? fields[0]!.message : `${fields[0]!.message} (and ${fields.length - 1} more field${fields.length > 2 ? 's' : ''} to correct)`;
      return { ...base, message, extensions: { code: 'BAD_USER_INPUT', field: fields[0]!.field, fields } };
    }
    if (original instanceof AppError) {
      // `http` (status, headers) is for Apollo, which has already read it; it is not part of the answer.
      const { http: _http, ...extensions } = original.extensions;
      return { ...base, message: original.message, extensions };
    }
    const libraryCode = formatted.extensions?.code;
    const code = typeof libraryCode === 'string' ? LIBRARY_CODES[libraryCode] : undefined;
    if (code) {
      const extensions: Record<string, unknown> = { code };
      let message = stripHints(formatted.message);
      if (code === 'BAD_USER_INPUT') {
        const reason = error instanceof GraphQLError && error.originalError && error.originalError !== error ? error.originalError.message : undefined;
        const coercion = describeCoercionError(formatted.message, reason, production);
        const field = coercion?.field ?? (typeof formatted.extensions?.field === 'string' ? formatted.extensions.field : 'variables');
        if (coercion) message = coercion.message;
        extensions.field = field;
        extensions.fields = [{ field, message }];
      }
      const limit = formatted.extensions?.limit;
      if (typeof limit === 'string') {
        extensions.limit = limit;
        extensions.max = formatted.extensions?.max;
      } else if (code === 'GRAPHQL_PARSE_FAILED') {
        const tokens = /^Syntax Error: Document contains more th(?:an|at) (\d+) tokens/.exec(formatted.message);
        if (tokens) {
          Object.assign(extensions, { limit: 'tokens', max: Number(tokens[1]) });
          message = `The document has more than ${tokens[1]} tokens; send a smaller one.`;
        }
      }
      return { ...base, message, extensions };
    }
    if (isTransientDatabaseError(original)) {
      logger.warn({ err: original, path: formatted.path }, 'database temporarily unavailable');
      return { ...base, message: 'The database was busy or unavailable. Try again in a moment.', extensions: { code: 'SERVICE_UNAVAILABLE' } };
    }
    if (isDataException(original)) {
      // Validation should have refused it; the database did. Still the caller's input, so not a 5xx.
      logger.warn({ err: original, path: formatted.path }, 'database refused a value as data');
      const message = 'A value in the request cannot be stored. Remove unusual characters and check dates and numbers.';
      return { ...base, message, extensions: { code: 'BAD_USER_INPUT', field: 'input', fields: [{ field: 'input', message }] } };
    }
    logger.error({ err: original, path: formatted.path }, 'unexpected error');
    return { ...base, message: INTERNAL_MESSAGE, extensions: { code: 'INTERNAL_SERVER_ERROR' } };
  };

  // Apollo answers "Internal server error" if formatting throws; make sure it cannot.
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    try {
      return format(formatted, error);
    } catch (err) {
      logger.error({ err }, 'formatting an error failed');
      return { message: INTERNAL_MESSAGE, extensions: { code: 'INTERNAL_SERVER_ERROR' } };
    }
  };
}

/**
 * graphql-js reports each variable that does not fit its type as an error of
 * its own. The contract is one BAD_USER_INPUT carrying every field at fault:
 * such errors (no path: nothing ran) are merged into the first.
 */
export const errorContractPlugin: ApolloServerPlugin = {
  async requestDidStart() {
    return {
      async willSendResponse({ response }) {
        if (response.body.kind !== 'single') return;
        const errors = response.body.singleResult.errors;
        if (!errors || errors.length < 2) return;
        const inputs = errors.filter((e) => e.extensions?.code === 'BAD_USER_INPUT' && !e.path);
        if (inputs.length < 2) return;
        const fields = inputs.flatMap((e) => (e.extensions?.fields as FieldError[] | undefined) ?? []);
        const first = inputs[0]!;
        const merged: GraphQLFormattedError = {
          ...first,
          message: `${fields[0]?.message ?? first.message} (and ${fields.length - 1} more field${fields.length > 2 ? 's' : ''} to correct)`,
          extensions: { ...first.extensions, fields },
        };
        response.body.singleResult.errors = [merged, ...errors.filter((e) => !inputs.includes(e))];
      },
    };
  },
};
