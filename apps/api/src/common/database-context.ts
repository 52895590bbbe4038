import type { QueryRunner } from 'typeorm';
import { canReadReferralNotes, permissionsOf, referralScope, TEAMS, type Principal } from '@signpost/policy';

/** The database role every API request runs as: not superuser, no BYPASSRLS (see the RowLevelSecurity migration). */
export const API_DATABASE_ROLE = 'signpost_app';

/**
 * What row-level security needs to know about the caller, derived from the
 * policy package exactly as the API's own checks are, so the two agree.
 */
export function databaseSettings(principal: Principal): Record<string, string> {
  const scope = referralScope(principal);
  return {
    'app.user_id': principal.kind === 'user' && principal.id ? principal.id : '',
    'app.service_id': principal.kind === 'service' && principal.id ? principal.id : '',
    'app.roles': principal.roles.join(','),
    'app.permissions': [...permissionsOf(principal)].join(','),
    'app.referral_scope': scope.kind,
    'app.read_teams': scope.kind === 'teams' ? scope.teams.join(',') : '',
    'app.team_roles': TEAMS.filter((team) => canReadReferralNotes(principal, team)).join(','),
  };
}

/**
 * Takes the API's database role with the caller's settings for the rest of
 * this transaction, in one statement. Both are transaction-local, so nothing
 * survives into the next request on the same pooled connection.
 */
export async function enterDatabaseContext(runner: QueryRunner, principal: Principal): Promise<void> {
  const settings = Object.entries(databaseSettings(principal));
  const calls = settings.map((_, i) => `set_config($${2 * i + 1}, $${2 * i + 2}, true)`);
  await runner.query(`SELECT ${calls.join(', ')}, set_config('role', '${API_DATABASE_ROLE}', true)`, settings.flat());
}
