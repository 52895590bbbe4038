import { describe, expect, it } from 'vitest';
import { loadOidcConfig, parseRoleMap } from '../config.js';
import { claimValues, rolesFromClaims } from './oidc-claims.js';
import { failedCheck } from './oidc.routes.js';

const BASE = {
  SIGNPOST_OIDC_ISSUER: 'https://login.uni.example',
  SIGNPOST_OIDC_CLIENT_ID: 'signpost',
  SIGNPOST_OIDC_REDIRECT_URI: 'https://signpost.uni.example/auth/oidc/callback',
};

describe('OIDC configuration', () => {
  it('is off without an issuer, and has safe defaults with one', () => {
    expect(loadOidcConfig({}, false)).toBeNull();
    expect(loadOidcConfig(BASE, true)).toEqual({
      issuer: 'https://login.uni.example', label: 'your university account', clientId: 'signpost', clientSecret: null,
      redirectUri: 'https://signpost.uni.example/auth/oidc/callback', scopes: 'openid email profile',
      rolesClaim: 'roles', roleMap: {}, createUsers: true, idTokenAlg: 'RS256', allowInsecureRequests: false,
    });
  });

  it('names the provider on the sign-in page as configured', () => {
    expect(loadOidcConfig({ ...BASE, SIGNPOST_OIDC_LABEL: '  University of Example login ' }, false)?.label).toBe('University of Example login');
  });

  it('refuses a half-configured provider at start-up, naming the variable', () => {
    expect(() => loadOidcConfig({ SIGNPOST_OIDC_ISSUER: 'https://login.uni.example' }, false)).toThrow(/SIGNPOST_OIDC_CLIENT_ID is required/);
    expect(() => loadOidcConfig({ ...BASE, SIGNPOST_OIDC_REDIRECT_URI: '' }, false)).toThrow(/SIGNPOST_OIDC_REDIRECT_URI is required/);
    expect(() => loadOidcConfig({ ...BASE, SIGNPOST_OIDC_ID_TOKEN_ALG: 'HS256' }, false)).toThrow(/SIGNPOST_OIDC_ID_TOKEN_ALG/);
    expect(() => loadOidcConfig({ ...BASE, SIGNPOST_OIDC_ID_TOKEN_ALG: 'none' }, false)).toThrow(/SIGNPOST_OIDC_ID_TOKEN_ALG/);
  });

  it('allows a plain-http provider only outside production', () => {
    expect(loadOidcConfig({ ...BASE, SIGNPOST_OIDC_ALLOW_HTTP: 'true' }, false)?.allowInsecureRequests).toBe(true);
    expect(() => loadOidcConfig({ ...BASE, SIGNPOST_OIDC_ALLOW_HTTP: 'true' }, true)).toThrow(/cannot be used with NODE_ENV=production/);
    expect(() => loadOidcConfig({ SIGNPOST_OIDC_ALLOW_HTTP: 'true' }, true)).toThrow(/cannot be used with NODE_ENV=production/);
  });

  it('reads the role map as claim value → role or roles, refusing unknown roles and bad JSON', () => {
    expect(parseRoleMap('{"sm-team": "SOCIAL_MEDIA_OFFICER", "sm-head": ["SOCIAL_MEDIA_LEAD", "SOCIAL_MEDIA_OFFICER", "SOCIAL_MEDIA_LEAD"]}')).toEqual({
      'sm-team': ['SOCIAL_MEDIA_OFFICER'], 'sm-head': ['SOCIAL_MEDIA_LEAD', 'SOCIAL_MEDIA_OFFICER'],
    });
    expect(parseRoleMap(undefined)).toEqual({});
    expect(() => parseRoleMap('{"x": "ROOT"}')).toThrow(/"x" to "ROOT", which is not a role/);
    expect(() => parseRoleMap('["SOCIAL_MEDIA_OFFICER"]')).toThrow(/JSON object/);
    expect(() => parseRoleMap('{oops')).toThrow(/JSON object/);
  });
});

describe('roles from claims', () => {
  const oidc = { rolesClaim: 'roles', roleMap: { staff: ['HR'], 'sm-team': ['SOCIAL_MEDIA_OFFICER'], 'sm-head': ['SOCIAL_MEDIA_LEAD', 'SOCIAL_MEDIA_OFFICER'] } } as const;

  it('maps each claim value through the role map; values not in it grant nothing', () => {
    expect(rolesFromClaims({ roles: ['sm-head', 'staff', 'students'] }, oidc)).toEqual(['SOCIAL_MEDIA_OFFICER', 'SOCIAL_MEDIA_LEAD', 'HR']);
    expect(rolesFromClaims({ roles: 'sm-team' }, oidc)).toEqual(['SOCIAL_MEDIA_OFFICER']);
    expect(rolesFromClaims({ roles: ['students'] }, oidc)).toEqual([]);
    expect(rolesFromClaims({}, oidc)).toEqual([]);
    // Names of the object's prototype are not map entries.
    expect(rolesFromClaims({ roles: ['constructor', 'toString', '__proto__'] }, oidc)).toEqual([]);
  });

  it('reads nested claims by a dotted path and ignores values that are not strings', () => {
    expect(claimValues({ realm_access: { roles: ['a', 2, null, 'b'] } }, 'realm_access.roles')).toEqual(['a', 'b']);
    expect(claimValues({ realm_access: ['a'] }, 'realm_access.roles')).toEqual([]);
    expect(claimValues({ roles: { nested: true } }, 'roles')).toEqual([]);
  });
});

describe('which ID token check failed', () => {
  const chain = (message: string, code?: string) => Object.assign(new Error('outer'), { cause: Object.assign(new Error(message), { code }) });
  it('names the check from the error chain', () => {
    expect(failedCheck(chain('unexpected JWT "iss" (issuer) claim value'))).toBe('issuer');
    expect(failedCheck(chain('unexpected JWT "aud" (audience) claim value'))).toBe('audience');
    expect(failedCheck(chain('unexpected JWT "alg" header parameter'))).toBe('algorithm');
    expect(failedCheck(chain('unexpected JWT "exp" (expiration time) claim value, expiration is past current timestamp'))).toBe('expired');
    expect(failedCheck(chain('no applicable keys found', 'OAUTH_KEY_SELECTION_FAILED'))).toBe('unknown_key');
    expect(failedCheck(chain('JWT signature verification failed'))).toBe('signature');
    expect(failedCheck(new Error('something else'))).toBe('other');
  });
});
