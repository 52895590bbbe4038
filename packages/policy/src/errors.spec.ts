import { describe, expect, it } from 'vitest';
import { ERROR_CODES, ERROR_HTTP_STATUS, ERROR_MESSAGES, isErrorCode, type ErrorExtensions, type ErrorExtensionsByCode } from './errors.js';

describe('the error contract', () => {
  it('lists the six codes of the domain contract first, then the protocol ones', () => {
    expect(ERROR_CODES.slice(0, 6)).toEqual(['UNAUTHENTICATED', 'FORBIDDEN', 'NOT_FOUND', 'BAD_USER_INPUT', 'CONFLICT', 'TRANSITION_NOT_ALLOWED']);
    expect(new Set(ERROR_CODES).size).toBe(ERROR_CODES.length);
    for (const code of ERROR_CODES) expect(code).toMatch(/^[A-Z][A-Z_]+$/);
  });

  it('has a human sentence and an HTTP status for every code and nothing else', () => {
    expect(Object.keys(ERROR_MESSAGES).sort()).toEqual([...ERROR_CODES].sort());
    expect(Object.keys(ERROR_HTTP_STATUS).sort()).toEqual([...ERROR_CODES].sort());
    for (const code of ERROR_CODES) {
      expect(ERROR_MESSAGES[code]).toMatch(/^[A-Z].{10,}\.$/);
      expect(ERROR_MESSAGES[code]).not.toContain(code);
      expect(ERROR_HTTP_STATUS[code]).toBeGreaterThanOrEqual(400);
      expect(ERROR_HTTP_STATUS[code]).toBeLessThan(600);
    }
    // Only the server's own failures are 5xx: nothing a caller sends may produce one.
    expect(ERROR_CODES.filter((c) => ERROR_HTTP_STATUS[c] >= 500)).toEqual(['SERVICE_UNAVAILABLE', 'INTERNAL_SERVER_ERROR']);
  });

  it('NOT_FOUND does not hint that the record exists but is out of scope', () => {
    expect(ERROR_MESSAGES.NOT_FOUND).not.toMatch(/permission|access|scope/i);
  });

  it('recognises its codes only', () => {
    for (const code of ERROR_CODES) expect(isErrorCode(code)).toBe(true);
    for (const other of ['', 'forbidden', 'NOT_A_CODE', 42, null]) expect(isErrorCode(other)).toBe(false);
  });

  it('names a documentId that is not registered with a 4xx code of its own, and refuses a session\'s own documents as FORBIDDEN', () => {
    // Trusted documents: a request names a document registered when the portal was built; an unknown one is the caller's fault.
    expect(ERROR_HTTP_STATUS.PERSISTED_DOCUMENT_NOT_FOUND).toBe(400);
    expect(ERROR_MESSAGES.PERSISTED_DOCUMENT_NOT_FOUND).toMatch(/Reload/);
    // No extensions besides the code: the id the caller sent is not echoed.
    const notFound: ErrorExtensionsByCode['PERSISTED_DOCUMENT_NOT_FOUND'] = {};
    // A person's session sending a document of its own in production: no permission decided it, the reason says what did.
    const trustedOnly: ErrorExtensions<'FORBIDDEN'> = { code: 'FORBIDDEN', permission: null, reason: 'TRUSTED_DOCUMENTS_ONLY' };
    expect([Object.keys(notFound), trustedOnly.reason, ERROR_HTTP_STATUS[trustedOnly.code]]).toEqual([[], 'TRUSTED_DOCUMENTS_ONLY', 403]);
  });

  it('types each code with its own extensions', () => {
    const input: ErrorExtensions<'BAD_USER_INPUT'> = { code: 'BAD_USER_INPUT', field: 'input.url', fields: [{ field: 'input.url', message: 'x' }] };
    const transition: ErrorExtensions<'TRANSITION_NOT_ALLOWED'> = {
      code: 'TRANSITION_NOT_ALLOWED', entity: 'Group', from: 'DISCOVERED', to: 'COMPLIANT', action: null, unmet: ['a', 'b'],
    };
    // @ts-expect-error: a code's extensions cannot be another's.
    const wrong: ErrorExtensions<'CONFLICT'> = { code: 'CONFLICT', unmet: [] };
    expect([input.fields.length, transition.unmet.length, wrong.code]).toEqual([1, 2, 'CONFLICT']);
  });
});
