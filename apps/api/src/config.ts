import { readFileSync } from 'node:fs';
import path from 'node:path';
import {
  DEFAULT_POLICY_CONFIG, DEFAULT_WORDING_CONFIG, type PolicyConfig, type WordingConfig,
} from '@signpost/policy';

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
  portalDir: string | null;
  policy: PolicyConfig;
  wording: WordingConfig;
}

const bool = (v: string | undefined): boolean | undefined =>
  v === undefined || v === '' ? undefined : ['1', 'true', 'yes', 'on'].includes(v.toLowerCase());

/** Reads the environment; every variable is listed in the README. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const production = env.NODE_ENV === 'production';
  const databaseUrl = env.DATABASE_URL?.trim() || null;
  // npm runs workspace scripts inside the workspace: INIT_CWD is where the user typed `npm start`.
  const baseDir = env.INIT_CWD ?? process.cwd();
  const fileConfig = env.SIGNPOST_CONFIG_FILE ? JSON.parse(readFileSync(env.SIGNPOST_CONFIG_FILE, 'utf8')) : {};
  return {
    port: Number(env.PORT ?? 4000),
    host: env.HOST ?? '127.0.0.1',
    databaseUrl,
    dataDir: path.resolve(baseDir, env.SIGNPOST_DATA_DIR ?? '.signpost-data'),
    // Demo data only ever goes into the embedded database unless asked for explicitly.
    seedDemo: bool(env.SIGNPOST_SEED_DEMO) ?? databaseUrl === null,
    production,
    sessionTtlHours: Number(env.SIGNPOST_SESSION_TTL_HOURS ?? 12),
    cookieSecure: bool(env.SIGNPOST_COOKIE_SECURE) ?? production,
    logLevel: env.LOG_LEVEL ?? (env.NODE_ENV === 'test' ? 'silent' : 'info'),
    portalDir: env.SIGNPOST_PORTAL_DIR ?? null,
    policy: { ...DEFAULT_POLICY_CONFIG, ...(fileConfig.policy ?? {}) },
    wording: { ...DEFAULT_WORDING_CONFIG, ...(fileConfig.wording ?? {}) },
  };
}
