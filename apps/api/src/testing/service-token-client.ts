import { TestClient } from './test-client.js';

/** A client that calls the API as a service: `Authorization: Bearer <token>`, no cookie. */
export class ServiceTokenClient extends TestClient {
  constructor(baseUrl: string, readonly token: string) {
    super(baseUrl);
  }

  override headers(extra: Record<string, string> = {}): Record<string, string> {
    return { 'content-type': 'application/json', authorization: `Bearer ${this.token}`, ...extra };
  }
}
