import { expect } from 'vitest';

export interface GraphQLErrorShape {
  message: string;
  path?: (string | number)[];
  extensions?: { code?: string; field?: string; unmet?: string; [key: string]: unknown };
}

export interface GraphQLResult<T = Record<string, any>> {
  status: number;
  data?: T | null;
  errors?: GraphQLErrorShape[];
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

  async gql<T = Record<string, any>>(query: string, variables?: Record<string, unknown>): Promise<GraphQLResult<T>> {
    const res = await fetch(`${this.baseUrl}/graphql`, {
      method: 'POST',
      headers: this.headers(),
      body: JSON.stringify({ query, variables }),
    });
    const body = (await res.json()) as { data?: T; errors?: GraphQLErrorShape[] };
    return { status: res.status, data: body.data, errors: body.errors };
  }

  /** Runs an operation that must succeed, and returns its data. */
  async ok<T = Record<string, any>>(query: string, variables?: Record<string, unknown>): Promise<T> {
    const result = await this.gql<T>(query, variables);
    expect(result.errors, JSON.stringify(result.errors)).toBeUndefined();
    return result.data as T;
  }

  /** Runs an operation that must fail with `code`, and returns the first error. */
  async fails(code: string, query: string, variables?: Record<string, unknown>): Promise<GraphQLErrorShape> {
    const result = await this.gql(query, variables);
    expect(result.errors?.[0]?.extensions?.code, JSON.stringify(result.errors ?? result.data)).toBe(code);
    return result.errors![0]!;
  }
}
