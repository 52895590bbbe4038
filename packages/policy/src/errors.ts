/**
 * The error contract: every `extensions.code` the API emits — over GraphQL
 * and from the sign-in routes alike — with the HTTP status it travels with,
 * a plain sentence for people, and the exact shape of its `extensions`. The
 * API has one mapper that builds these; clients (the portal, other services,
 * the API's own tests) read them with these types.
 *
 * @packageDocumentation
 */
import type { Permission } from './permissions.js';

/** Every error code, the six of the domain contract first. */
export const ERROR_CODES = [
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'NOT_FOUND',
  'BAD_USER_INPUT',
  'CONFLICT',
  'TRANSITION_NOT_ALLOWED',
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'PERSISTED_DOCUMENT_NOT_FOUND',
  'BAD_REQUEST',
  'PAYLOAD_TOO_LARGE',
  'RATE_LIMITED',
  'SERVICE_UNAVAILABLE',
  'INTERNAL_SERVER_ERROR',
] as const;
/** An error code. */
export type ErrorCode = (typeof ERROR_CODES)[number];

/** One field at fault: its dotted path in the request (`input.url`, `filter.search`) and what is wrong. */
export interface FieldError {
  field: string;
  message: string;
}

/** Why a caller is not signed in, where it helps them act. */
export type UnauthenticatedReason = 'NOT_SIGNED_IN' | 'INVALID_TOKEN' | 'AWAITING_APPROVAL' | 'BAD_CREDENTIALS' | 'SIGN_IN_EXPIRED' | 'PROVIDER_REFUSED' | 'ID_TOKEN_REJECTED';

/** What kind of conflict: a stale version, or an idempotency key used otherwise. */
export type ConflictReason = 'STALE_VERSION' | 'IDEMPOTENCY_KEY_REUSED' | 'IDEMPOTENCY_KEY_IN_USE';

/** Which of the server's limits a document or request went over. */
export type RequestLimit = 'depth' | 'aliases' | 'directives' | 'tokens' | 'cost' | 'body';

/** The `extensions` of each code, besides `code` itself. */
export interface ErrorExtensionsByCode {
  UNAUTHENTICATED: { reason: UnauthenticatedReason };
  /**
   * `permission`: the one the caller lacks, when a single permission decided it.
   * `reason` when something else decided it, e.g. `SEPARATION_OF_DUTIES`, or
   * `TRUSTED_DOCUMENTS_ONLY` (in production a person's session runs only the
   * portal's registered documents, named by `documentId`).
   */
  FORBIDDEN: { permission: Permission | null; reason?: string };
  NOT_FOUND: { entity: string };
  /** Every field at fault; `field` is the first of them (kept for callers that read one). */
  BAD_USER_INPUT: { field: string; fields: FieldError[] };
  /** `currentVersion`: the version the record has now, when the conflict is a stale version. */
  CONFLICT: { reason: ConflictReason; entity: string | null; currentVersion: number | null };
  /** `unmet`: every condition that is not met, in words. `action`: the move or action refused. */
  TRANSITION_NOT_ALLOWED: { entity: string; from: string | null; to: string | null; action: string | null; unmet: string[] };
  GRAPHQL_PARSE_FAILED: { limit?: RequestLimit; max?: number };
  GRAPHQL_VALIDATION_FAILED: { limit?: RequestLimit; max?: number };
  /** A `documentId` that names no registered document (documents are registered when the portal is built, never by a request). */
  PERSISTED_DOCUMENT_NOT_FOUND: Record<string, never>;
  BAD_REQUEST: Record<string, never>;
  PAYLOAD_TOO_LARGE: { limit: 'body'; max: number };
  RATE_LIMITED: { retryAfterSeconds: number };
  SERVICE_UNAVAILABLE: Record<string, never>;
  INTERNAL_SERVER_ERROR: Record<string, never>;
}

/** The full `extensions` of an error with this code. */
export type ErrorExtensions<C extends ErrorCode = ErrorCode> = { [K in C]: { code: K } & ErrorExtensionsByCode[K] }[C];

/** An error as it travels: GraphQL's `{ message, path?, extensions }`. */
export interface ContractError<C extends ErrorCode = ErrorCode> {
  message: string;
  path?: readonly (string | number)[];
  extensions: ErrorExtensions<C>;
}

/** The HTTP status each code answers with when it decides the response (GraphQL field errors ride a 200). */
export const ERROR_HTTP_STATUS: Readonly<Record<ErrorCode, number>> = Object.freeze({
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  BAD_USER_INPUT: 400,
  CONFLICT: 409,
  TRANSITION_NOT_ALLOWED: 409,
  GRAPHQL_PARSE_FAILED: 400,
  GRAPHQL_VALIDATION_FAILED: 400,
  PERSISTED_DOCUMENT_NOT_FOUND: 400,
  BAD_REQUEST: 400,
  PAYLOAD_TOO_LARGE: 413,
  RATE_LIMITED: 429,
  SERVICE_UNAVAILABLE: 503,
  INTERNAL_SERVER_ERROR: 500,
});

/**
 * A plain sentence for each error code, so the portal shows the same words
 * whatever page the error comes from. The specific detail (fields, unmet
 * conditions) travels in the error's extensions.
 *
 * `NOT_FOUND` deliberately does not hint at permissions: a record outside the
 * caller's scope must answer exactly as one that does not exist.
 */
export const ERROR_MESSAGES: Readonly<Record<ErrorCode, string>> = Object.freeze({
  UNAUTHENTICATED: 'You need to sign in to do that.',
  FORBIDDEN: 'You do not have permission to do that.',
  NOT_FOUND: 'We could not find that record.',
  BAD_USER_INPUT: 'Some of the information given is not valid. Check the highlighted fields and try again.',
  CONFLICT: 'Someone else changed this record after you opened it. Reload it to see their changes, then try again.',
  TRANSITION_NOT_ALLOWED: 'That is not possible yet. The reasons are given with the error.',
  GRAPHQL_PARSE_FAILED: 'The request could not be read as GraphQL.',
  GRAPHQL_VALIDATION_FAILED: 'The request asks for something this API does not offer, or more than it allows at once.',
  PERSISTED_DOCUMENT_NOT_FOUND: 'This version of the page is out of date. Reload it, then try again.',
  BAD_REQUEST: 'The request could not be read.',
  PAYLOAD_TOO_LARGE: 'The request is too large.',
  RATE_LIMITED: 'Too many attempts. Wait a little, then try again.',
  SERVICE_UNAVAILABLE: 'Signpost is unavailable just now. Try again in a moment.',
  INTERNAL_SERVER_ERROR: 'Something went wrong on our side. Try again; if it keeps happening, tell the Signpost team.',
});

/** Whether a value is one of the contract's error codes. */
export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && (ERROR_CODES as readonly string[]).includes(value);
}
