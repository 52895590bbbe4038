import { expect } from 'vitest';
import { print, type DocumentNode } from 'graphql';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { isErrorCode, type ContractError, type ErrorCode } from '@signpost/policy';

export interface GraphQLErrorShape {
  message: string;
  path?: (string | number)[];
  extensions?: { code?: string; field?: string; unmet?: string[]; [key: string]: unknown };
}

export interface GraphQLResult<T = Record<string, any>> {
  status: number;
  data?: T | null;
  errors?: GraphQLErrorShape[];
  extensions?: Record<string, unknown>;
}

/** A document: typed by GraphQL Code Generator from a `.graphql` file, or plain text for hand-made (hostile, generated) ones. */
export type Document<R, V> = TypedDocumentNode<R, V> | DocumentNode | string;

const textOf = (doc: Document<unknown, unknown>): string => (typeof doc === 'string' ? doc : print(doc));

/** The id GraphQL Code Generator gave a `.graphql` document (`sha256:<hex>`): a trusted document the test servers register. */
export const registeredIdOf = (doc: Document<unknown, unknown>): string | undefined =>
  typeof doc === 'string' ? undefined : (doc as { __meta__?: { hash?: string } }).__meta__?.hash;

/**
 * How an operation travels: a typed document by its `documentId`, as the
 * portal sends its own (it is registered, like the portal's); text written in
 * a spec as `query`, an ad-hoc document held to the ad-hoc limits.
 */
export function requestBody(doc: Document<unknown, unknown>, variables?: unknown): { documentId: string; variables?: unknown } | { query: string; variables?: unknown } {
  const documentId = registeredIdOf(doc);
  return documentId ? { documentId, variables } : { query: textOf(doc), variables };
}

/**
 * Every error the API answers must be the contract's (packages/policy
 * errors.ts): a known code and, for each code, the extensions it promises.
 * Checked on every error a spec asserts on, so the contract holds everywhere
 * the specs go.
 */
export function expectContractError(error: GraphQLErrorShape): void {
  const ext = error.extensions ?? {};
  const where = JSON.stringify(error);
  expect(isErrorCode(ext.code), `unknown error code: ${where}`).toBe(true);
  expect(typeof error.message, where).toBe('string');
  switch (ext.code as ErrorCode) {
    case 'BAD_USER_INPUT': {
      const fields = ext.fields as { field: unknown; message: unknown }[];
      expect(Array.isArray(fields) && fields.length > 0, `BAD_USER_INPUT without fields: ${where}`).toBe(true);
      for (const f of fields) expect([typeof f.field, typeof f.message], where).toEqual(['string', 'string']);
      expect(ext.field, where).toBe(fields[0]!.field);
      break;
    }
    case 'TRANSITION_NOT_ALLOWED':
      expect(Array.isArray(ext.unmet) && (ext.unmet as unknown[]).length > 0 && (ext.unmet as unknown[]).every((u) => typeof u === 'string'), `unmet must be a list: ${where}`).toBe(true);
      expect(typeof ext.entity, where).toBe('string');
      expect('from' in ext && 'to' in ext && 'action' in ext, where).toBe(true);
      break;
    case 'CONFLICT':
      expect('currentVersion' in ext && typeof ext.reason === 'string', where).toBe(true);
      break;
    case 'NOT_FOUND':
      expect(typeof ext.entity, where).toBe('string');
      break;
    case 'FORBIDDEN':
      expect('permission' in ext, where).toBe(true);
      break;
    case 'UNAUTHENTICATED':
      expect(typeof ext.reason, where).toBe('string');
      break;
    default:
      break;
  }
}

/** Speaks real HTTP to a running Signpost, keeping its session cookie like a browser. */
export class TestClient {
  cookie: string | null = null;

  constructor(readonly baseUrl: string) {}

  async login(email: string, password: string): Promise<Response> {
    const res = await fetch(`${this.baseUrl}/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password }),
    });
    const setCookie = res.headers.get('set-cookie');
    if (res.ok && setCookie) this.cookie = setCookie.split(';')[0]!;
    return res;
  }

  async logout(): Promise<Response> {
    const res = await fetch(`${this.baseUrl}/auth/logout`, { method: 'POST', headers: this.headers() });
    return res;
  }

  headers(extra: Record<string, string> = {}): Record<string, string> {
    return { 'content-type': 'application/json', ...(this.cookie ? { cookie: this.cookie } : {}), ...extra };
  }

  async gql<R = Record<string, any>, V = Record<string, unknown>>(doc: Document<R, V>, variables?: V, headers: Record<string, string> = {}): Promise<GraphQLResult<R>> {
    const res = await fetch(`${this.baseUrl}/graphql`, {
      method: 'POST',
      headers: this.headers(headers),
      body: JSON.stringify(requestBody(doc, variables)),
    });
    const body = (await res.json()) as { data?: R; errors?: GraphQLErrorShape[]; extensions?: Record<string, unknown> };
    return { status: res.status, data: body.data, errors: body.errors, extensions: body.extensions };
  }

  /** Runs an operation that must succeed, and returns its data. */
  async ok<R = Record<string, any>, V = Record<string, unknown>>(doc: Document<R, V>, variables?: V): Promise<R> {
    const result = await this.gql<R, V>(doc, variables);
    expect(result.errors, JSON.stringify(result.errors)).toBeUndefined();
    return result.data as R;
  }

  /**
   * Runs a mutation that must be refused with `code`: the error is the
   * contract's, the answer carries no data and says the transaction was
   * rolled back (so nothing it did stays). Returns the error, typed.
   */
  async refuses<C extends ErrorCode, R = unknown, V = Record<string, unknown>>(code: C, doc: Document<R, V>, variables?: V): Promise<ContractError<C>> {
    const result = await this.gql<R, V>(doc, variables);
    const error = result.errors?.[0];
    expect(error?.extensions?.code, JSON.stringify(result.errors ?? result.data)).toBe(code);
    expectContractError(error!);
    expect(result.data, 'a refused mutation answers no data').toBeNull();
    expect(result.extensions?.transaction, 'a refused mutation says it was rolled back').toBe('ROLLED_BACK');
    return error as unknown as ContractError<C>;
  }

  /** Runs an operation that must fail with `code`, checks the error against the contract, and returns it with its typed extensions. */
  async fails<C extends ErrorCode, R = unknown, V = Record<string, unknown>>(code: C, doc: Document<R, V>, variables?: V): Promise<ContractError<C>> {
    const result = await this.gql<R, V>(doc, variables);
    const error = result.errors?.[0];
    expect(error?.extensions?.code, JSON.stringify(result.errors ?? result.data)).toBe(code);
    expectContractError(error!);
    return error as unknown as ContractError<C>;
  }
}
