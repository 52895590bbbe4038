import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as v from 'valibot';
import { ROLES, isOneOf, type PolicyConfig, type Role, type WordingConfig } from '@signpost/policy';
import { ConfigFileSchema, EnvironmentSchema, describeIssues } from './config-schema.js';

/** SIGNPOST_DATA_DIR's value for an embedded database in memory only. */
export const IN_MEMORY = ':memory:';

/** OIDC sign-in for people; null (routes off) unless SIGNPOST_OIDC_ISSUER is set. */
export interface OidcConfig {
  issuer: string;
  /** How the sign-in page names the provider: "Sign in with <label>". */
  label: string;
  clientId: string;
  /** Unset: a public client (PKCE only, no client authentication at the token endpoint). */
  clientSecret: string | null;
  redirectUri: string;
  scopes: string;
  /** Claim holding the person's groups or roles at the provider; a dotted path reaches nested claims. */
  rolesClaim: string;
  /** Claim value → Signpost roles. Values not listed grant nothing. */
  roleMap: Readonly<Record<string, readonly Role[]>>;
  /** Whether a person the provider vouches for, with at least one mapped role, gets an account on first sign-in. */
  createUsers: boolean;
  /** The only algorithm an ID token may be signed with (the provider's metadata cannot widen it). */
  idTokenAlg: string;
  /** Plain-http provider (tests and local development only; refused in production). */
  allowInsecureRequests: boolean;
}

export interface AppConfig {
  port: number;
  host: string;
  databaseUrl: string | null;
  dataDir: string;
  seedDemo: boolean;
  production: boolean;
  sessionTtlHours: number;
  cookieSecure: boolean;
  logLevel: string;
  /** The portal's build (index.html, assets/), served at `/`; without index.html `/` says the portal is not built. */
  portalDir: string;
  /** After SIGTERM, how long to keep serving with readiness at 503 so load balancers stop sending. */
  shutdownGraceMs: number;
  /** Failed sign-ins for one email within 15 minutes before further attempts wait. */
  loginMaxFailures: number;
  /** Tests only: add the guard's decisions to every GraphQL response (never in production). */
  exposeAuthorizationDecisions: boolean;
  /**
   * Manifests of trusted documents (`sha256:<hex>` → document) registered at
   * start besides the portal's own (`persisted-documents.json` in portalDir).
   * Not read from the environment: tests register the API's spec documents.
   */
  trustedDocumentFiles: readonly string[];
  policy: PolicyConfig;
  wording: WordingConfig;
  oidc: OidcConfig | null;
}

/**
 * The portal's build folder beside the API's: this module is
 * apps/api/src/config.ts (tests) or apps/api/dist/config.js (built), both two
 * folders below apps/, so this is apps/portal/dist either way.
 */
export const DEFAULT_PORTAL_DIR = path.resolve(fileURLToPath(new URL('../../portal/dist/', import.meta.url)));

const bool = (v: string | undefined): boolean | undefined =>
  v === undefined || v === '' ? undefined : ['1', 'true', 'yes', 'on'].includes(v.toLowerCase());

/**
 * The configuration cannot be used: one line per problem, each naming the
 * variable or key. An expected mistake of whoever runs Signpost, so it is
 * reported as these lines, not as a stack trace.
 */
export class ConfigError extends Error {
  /** E.g. "2 problems in the configuration". */
  readonly summary: string;

  constructor(readonly problems: readonly string[]) {
    const summary = `${problems.length === 1 ? '1 problem' : `${problems.length} problems`} in the configuration`;
    super(`${summary}:\n${problems.map((problem) => `  ${problem}`).join('\n')}`);
    this.name = 'ConfigError';
    this.summary = summary;
  }
}

/**
 * Reads the environment; every variable is listed in the README. Every
 * problem found, in the environment and in SIGNPOST_CONFIG_FILE, is reported
 * at once in a ConfigError, so one restart can fix them all.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const problems: string[] = [];
  const production = env.NODE_ENV === 'production';
  const databaseUrl = env.DATABASE_URL?.trim() || null;
  // npm runs workspace scripts inside the workspace: INIT_CWD is where the user typed `npm start`.
  const baseDir = env.INIT_CWD ?? process.cwd();

  // An empty variable means unset, as it does for every other variable here.
  const given = Object.fromEntries(Object.keys(EnvironmentSchema.entries).filter((name) => env[name]?.trim()).map((name) => [name, env[name]]));
  const checked = v.safeParse(EnvironmentSchema, given);
  if (!checked.success) problems.push(...describeIssues(checked.issues));
  const variables = checked.success ? checked.output : {};

  // Relative to where the user typed the command, like SIGNPOST_DATA_DIR.
  const file = env.SIGNPOST_CONFIG_FILE?.trim()
    ? loadConfigFile(path.resolve(baseDir, env.SIGNPOST_CONFIG_FILE.trim()), problems)
    : v.parse(ConfigFileSchema, {});

  let oidc: OidcConfig | null = null;
  try {
    oidc = loadOidcConfig(env, production);
  } catch (err) {
    problems.push((err as Error).message);
  }
  // `file` is null only when its problems were recorded.
  if (problems.length > 0 || !file) throw new ConfigError(problems);

  return {
    port: variables.PORT ?? 4000,
    host: env.HOST ?? '127.0.0.1',
    databaseUrl,
    // `:memory:` is an embedded database kept in memory (gone when the process ends), never a folder of that name.
    dataDir: env.SIGNPOST_DATA_DIR === IN_MEMORY ? IN_MEMORY : path.resolve(baseDir, env.SIGNPOST_DATA_DIR ?? '.signpost-data'),
    // Demo data only ever goes into the embedded database unless asked for explicitly.
    seedDemo: bool(env.SIGNPOST_SEED_DEMO?.trim()) ?? databaseUrl === null,
    production,
    sessionTtlHours: variables.SIGNPOST_SESSION_TTL_HOURS ?? 12,
    cookieSecure: bool(env.SIGNPOST_COOKIE_SECURE?.trim()) ?? production,
    logLevel: variables.LOG_LEVEL ?? (env.NODE_ENV === 'test' ? 'silent' : 'info'),
    // Relative to where the user typed the command, like SIGNPOST_DATA_DIR; by default the portal's own build.
    portalDir: path.resolve(baseDir, env.SIGNPOST_PORTAL_DIR?.trim() || DEFAULT_PORTAL_DIR),
    shutdownGraceMs: variables.SIGNPOST_SHUTDOWN_GRACE_MS ?? 0,
    loginMaxFailures: variables.SIGNPOST_LOGIN_MAX_FAILURES ?? 10,
    exposeAuthorizationDecisions: false,
    trustedDocumentFiles: [],
    policy: file.policy,
    wording: file.wording,
    oidc,
  };
}

/**
 * SIGNPOST_CONFIG_FILE, filled from the defaults: objects key by key at every
 * level, arrays as a whole. Problems are added to `problems`, each starting
 * with the variable and the file; the result is null when there are any.
 */
export function loadConfigFile(file: string, problems: string[]): { policy: PolicyConfig; wording: WordingConfig } | null {
  const where = `SIGNPOST_CONFIG_FILE ${file}`;
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'there is no such file' : code === 'EACCES' ? 'permission denied' : code === 'EISDIR' ? 'it is a folder' : (err as Error).message;
    problems.push(`${where}: cannot be read (${reason})`);
    return null;
  }
  let json: unknown;
  try {
    // An editor may save a byte order mark, which JSON.parse refuses.
    json = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (err) {
    problems.push(`${where}: is not valid JSON (${(err as Error).message})`);
    return null;
  }
  const result = v.safeParse(ConfigFileSchema, json);
  if (!result.success) {
    problems.push(...describeIssues(result.issues).map((problem) => `${where}: ${problem}`));
    return null;
  }
  return result.output;
}

const ID_TOKEN_ALGS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA', 'Ed25519'];

/** SIGNPOST_OIDC_*: a half-configured provider is a start-up error, not a silently open or broken sign-in. */
export function loadOidcConfig(env: NodeJS.ProcessEnv, production: boolean): OidcConfig | null {
  const issuer = env.SIGNPOST_OIDC_ISSUER?.trim();
  const allowInsecureRequests = bool(env.SIGNPOST_OIDC_ALLOW_HTTP) ?? false;
  if (allowInsecureRequests && production) throw new Error('SIGNPOST_OIDC_ALLOW_HTTP is for tests and local development; it cannot be used with NODE_ENV=production.');
  if (!issuer) return null;
  const required = (name: string): string => {
    const v = env[name]?.trim();
    if (!v) throw new Error(`${name} is required when SIGNPOST_OIDC_ISSUER is set.`);
    return v;
  };
  const idTokenAlg = env.SIGNPOST_OIDC_ID_TOKEN_ALG?.trim() || 'RS256';
  if (!ID_TOKEN_ALGS.includes(idTokenAlg)) throw new Error(`SIGNPOST_OIDC_ID_TOKEN_ALG must be one of ${ID_TOKEN_ALGS.join(', ')}.`);
  return {
    issuer,
    label: env.SIGNPOST_OIDC_LABEL?.trim() || 'your university account',
    clientId: required('SIGNPOST_OIDC_CLIENT_ID'),
    clientSecret: env.SIGNPOST_OIDC_CLIENT_SECRET?.trim() || null,
    redirectUri: required('SIGNPOST_OIDC_REDIRECT_URI'),
    scopes: env.SIGNPOST_OIDC_SCOPES?.trim() || 'openid email profile',
    rolesClaim: env.SIGNPOST_OIDC_ROLES_CLAIM?.trim() || 'roles',
    roleMap: parseRoleMap(env.SIGNPOST_OIDC_ROLE_MAP),
    createUsers: bool(env.SIGNPOST_OIDC_CREATE_USERS) ?? true,
    idTokenAlg,
    allowInsecureRequests,
  };
}

/** `{"claim value": "ROLE"}` or `{"claim value": ["ROLE", ...]}`; an unknown role is a start-up error. */
export function parseRoleMap(json: string | undefined): Record<string, Role[]> {
  if (!json?.trim()) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    throw new Error('SIGNPOST_OIDC_ROLE_MAP must be a JSON object, e.g. {"signpost-officers": "SOCIAL_MEDIA_OFFICER"}.');
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('SIGNPOST_OIDC_ROLE_MAP must be a JSON object.');
  const entries = Object.entries(parsed).map(([value, roles]): [string, Role[]] => {
    const list: unknown[] = Array.isArray(roles) ? roles : [roles];
    for (const role of list) {
      if (!isOneOf(ROLES, role)) throw new Error(`SIGNPOST_OIDC_ROLE_MAP maps "${value}" to ${JSON.stringify(role)}, which is not a role (${ROLES.join(', ')}).`);
    }
    return [value, [...new Set(list as Role[])]];
  });
  // fromEntries defines own properties, so even a claim value named "__proto__" is just a key.
  return Object.fromEntries(entries);
}
