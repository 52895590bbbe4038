/**
 * The policy's constants that the database's own rules need: row-level
 * security and the guarded `transfer_referral` function cannot import this
 * package, so a migration writes these values into the SQL function
 * `policy_constant(name)`, and a test compares what the database answers with
 * this table. Change a value here and that test fails until a new migration
 * redefines the function.
 *
 * @packageDocumentation
 */
import { AUDIT_ACTIONS_OFF_GROUP_TIMELINE } from './audit-actions.js';
import { REFERRAL_STATUSES_HIDDEN_FROM_TEAMS } from './principal.js';
import {
  EDITABLE_REFERRAL_STATUSES, NOTEABLE_REFERRAL_STATUSES, REFERRAL_STATUS_AFTER_TRANSFER, REFERRAL_STATUSES_AWAITING_ACKNOWLEDGEMENT, TRANSFERABLE_REFERRAL_STATUSES,
} from './referral-lifecycle.js';
import { SERVICE_SCOPES, TEAMS } from './vocabulary.js';

/** Name → values, each a list of text. */
export const DATABASE_CONSTANTS: Readonly<Record<string, readonly string[]>> = Object.freeze({
  teams: TEAMS,
  referral_statuses_hidden_from_teams: REFERRAL_STATUSES_HIDDEN_FROM_TEAMS,
  editable_referral_statuses: EDITABLE_REFERRAL_STATUSES,
  transferable_referral_statuses: TRANSFERABLE_REFERRAL_STATUSES,
  noteable_referral_statuses: NOTEABLE_REFERRAL_STATUSES,
  referral_status_after_transfer: [REFERRAL_STATUS_AFTER_TRANSFER],
  referral_statuses_awaiting_acknowledgement: REFERRAL_STATUSES_AWAITING_ACKNOWLEDGEMENT,
  service_scopes: SERVICE_SCOPES,
  audit_actions_off_group_timeline: AUDIT_ACTIONS_OFF_GROUP_TIMELINE,
});

/** Quote a text value for SQL (single quotes doubled). */
const sqlText = (v: string): string => `'${v.replace(/'/g, "''")}'`;

/**
 * The body of `policy_constant(name text) RETURNS text[]` for these
 * constants: what a migration writes, generated here so it is never typed by
 * hand. IMMUTABLE, so PostgreSQL folds each call to its value once per query.
 */
export function policyConstantFunctionSql(constants: Readonly<Record<string, readonly string[]>> = DATABASE_CONSTANTS): string {
  const cases = Object.entries(constants)
    .map(([name, values]) => `    WHEN ${sqlText(name)} THEN ARRAY[${values.map(sqlText).join(', ')}]::text[]`)
    .join('\n');
  return `CREATE OR REPLACE FUNCTION policy_constant(p_name text) RETURNS text[]
  LANGUAGE sql IMMUTABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
  SELECT CASE p_name
${cases}
  END
$$`;
}
