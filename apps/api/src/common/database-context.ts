import type { QueryRunner } from 'typeorm';
import type { Access } from '@signpost/policy';
import { escapeLiteral } from 'pg';

/** The database role every API request runs as: not superuser, no BYPASSRLS (see the RowLevelSecurity migration). */
export const API_DATABASE_ROLE = 'signpost_app';

/**
 * What row-level security needs to know about the caller: the request's
 * access, copied as it is into transaction-local settings (the
 * OneSourceOfRules migration reads them). Nothing is derived here.
 */
export function databaseSettings(access: Access): Record<string, string> {
  return {
    'app.user_id': access.kind === 'user' && access.principalId ? access.principalId : '',
    'app.service_id': access.kind === 'service' && access.principalId ? access.principalId : '',
    'app.permissions': [...access.permissions].join(','),
    'app.referral_scope': access.referralScope,
    'app.read_teams': access.readTeams.join(','),
    'app.act_teams': access.actTeams.join(','),
    'app.note_teams': access.noteTeams.join(','),
  };
}

/**
 * Takes the API's database role with the caller's settings for the rest of
 * this transaction, in one statement. Both are transaction-local, so nothing
 * survives into the next request on the same pooled connection.
 */
export async function enterDatabaseContext(runner: QueryRunner, access: Access): Promise<void> {
  const settings = Object.entries(databaseSettings(access));
  const calls = settings.map((_, i) => `set_config($${2 * i + 1}, $${2 * i + 2}, true)`);
  await runner.query(`SELECT ${calls.join(', ')}, set_config('role', '${API_DATABASE_ROLE}', true)`, settings.flat());
}

/**
 * The same statement with its values inlined as literals, for a batch sent in
 * one round trip (the simple query protocol takes no parameters).
 */
export function databaseContextSql(settings: Readonly<Record<string, string>>): string {
  const calls = Object.entries(settings).map(([name, value]) => `set_config(${escapeLiteral(name)}, ${escapeLiteral(value)}, true)`);
  return `SELECT ${calls.join(', ')}, set_config('role', '${API_DATABASE_ROLE}', true)`;
}
