import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * One source for the rules the database enforces itself.
 *
 * - `policy_constant(name)`: the policy package's constants that row-level
 *   security and the guarded functions need (teams, which referral statuses a
 *   team never sees, which may be transferred or noted on, …), written here from
 *   `policyConstantFunctionSql()` of packages/policy. database/policy-constants.e2e-spec.ts
 *   compares what this function answers with the policy's DATABASE_CONSTANTS and
 *   fails when they drift; it also fails if any policy or function restates one
 *   of these values as a literal. Change a constant: write a new migration that
 *   redefines the function (never edit this one).
 * - Row-level security reads the request's access exactly as the policy decided
 *   it (common/database-context.ts): app.read_teams, app.act_teams (the teams
 *   the caller acts for) and app.note_teams (whose notes it reads) replace
 *   app.team_roles and app.roles. Settings are read once per statement
 *   (scalar sub-selects), not once per row.
 * - transfer_referral() takes the new team's acknowledgement deadline, computed
 *   by the API from the policy's working days, and checks the caller and the
 *   move against the same constants.
 * - New columns: groups.logo_status_changed_at and groups.first_compliant_at
 *   (the policy checklist and the time from sighting to compliance),
 *   referrals.acknowledge_by, concerns.administrator_id (what a split
 *   referral's snapshot may carry), service_clients.approved_by/approved_at (a
 *   second administrator approves clients that read referrals).
 */
export class OneSourceOfRules1796300000000 implements MigrationInterface {
  name = 'OneSourceOfRules1796300000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE OR REPLACE FUNCTION policy_constant(p_name text) RETURNS text[]
  LANGUAGE sql IMMUTABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
  SELECT CASE p_name
    WHEN 'teams' THEN ARRAY['DISCIPLINE', 'HR', 'LEGAL']::text[]
    WHEN 'referral_statuses_hidden_from_teams' THEN ARRAY['DRAFT']::text[]
    WHEN 'editable_referral_statuses' THEN ARRAY['DRAFT']::text[]
    WHEN 'transferable_referral_statuses' THEN ARRAY['SUBMITTED', 'ACKNOWLEDGED', 'IN_PROGRESS']::text[]
    WHEN 'noteable_referral_statuses' THEN ARRAY['SUBMITTED', 'ACKNOWLEDGED', 'IN_PROGRESS']::text[]
    WHEN 'referral_status_after_transfer' THEN ARRAY['SUBMITTED']::text[]
    WHEN 'referral_statuses_awaiting_acknowledgement' THEN ARRAY['SUBMITTED']::text[]
    WHEN 'service_scopes' THEN ARRAY['groups:read', 'groups:report', 'referrals:read:DISCIPLINE', 'referrals:read:HR', 'referrals:read:LEGAL']::text[]
    WHEN 'audit_actions_off_group_timeline' THEN ARRAY['referral.read', 'referral.note']::text[]
  END
$$`);

    await q.query(`ALTER TABLE "groups" ADD "logo_status_changed_at" TIMESTAMP WITH TIME ZONE`);
    await q.query(`ALTER TABLE "groups" ADD "first_compliant_at" TIMESTAMP WITH TIME ZONE`);
    await q.query(`ALTER TABLE "concerns" ADD "administrator_id" uuid`);
    await q.query(`ALTER TABLE "referrals" ADD "acknowledge_by" TIMESTAMP WITH TIME ZONE`);
    await q.query(`ALTER TABLE "service_clients" ADD "approved_by" uuid`);
    await q.query(`ALTER TABLE "service_clients" ADD "approved_at" TIMESTAMP WITH TIME ZONE`);
    await q.query(`CREATE INDEX "concerns_administrator_id_idx" ON "concerns"  ("administrator_id") `);
    await q.query(`ALTER TABLE "concerns" ADD CONSTRAINT "concerns_administrator_id_fkey" FOREIGN KEY ("administrator_id") REFERENCES "administrators"("id") ON DELETE SET NULL ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "service_clients" ADD CONSTRAINT "service_clients_approved_by_fkey" FOREIGN KEY ("approved_by") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE NO ACTION`);

    // What the trail already knows: first compliance, the last logo change.
    await q.query(`UPDATE groups g SET first_compliant_at = e.at FROM (
        SELECT group_id, min(at) AS at FROM audit_events WHERE action = 'group.status' AND details->>'to' = 'COMPLIANT' GROUP BY group_id
      ) e WHERE e.group_id = g.id`);
    await q.query(`UPDATE groups g SET logo_status_changed_at = e.at FROM (
        SELECT group_id, max(at) AS at FROM audit_events WHERE action = 'logo.record' GROUP BY group_id
      ) e WHERE e.group_id = g.id`);
    // Referrals awaiting acknowledgement get the default deadline: 5 working days (Saturdays and Sundays skipped) after routing.
    await q.query(`UPDATE referrals r SET acknowledge_by = (
        SELECT d FROM generate_series(coalesce((SELECT max(t.created_at) FROM referral_transfers t WHERE t.referral_id = r.id), r.submitted_at) + interval '1 day',
                                      coalesce((SELECT max(t.created_at) FROM referral_transfers t WHERE t.referral_id = r.id), r.submitted_at) + interval '14 days',
                                      interval '1 day') d
         WHERE extract(isodow FROM d) < 6 ORDER BY d OFFSET 4 LIMIT 1)
      WHERE r.submitted_at IS NOT NULL`);
    // Clients that read referrals and already work keep working: they were made before approval existed.
    await q.query(`UPDATE service_clients SET approved_at = created_at WHERE scopes && ARRAY['referrals:read:DISCIPLINE', 'referrals:read:HR', 'referrals:read:LEGAL']::text[]`);
    await q.query(`ALTER TABLE "service_clients" ADD CONSTRAINT "service_clients_second_approver" CHECK (approved_by IS NULL OR created_by IS NULL OR approved_by <> created_by)`);
    await q.query(`GRANT UPDATE ("approved_at", "approved_by") ON "service_clients" TO signpost_app`);

    // Row-level security, re-read from the request's access and the policy's constants.
    for (const [policy, table] of [
      ['referrals_read', 'referrals'], ['referrals_draft', 'referrals'], ['referrals_edit_draft', 'referrals'], ['referrals_team_action', 'referrals'],
      ['referral_notes_read', 'referral_notes'], ['referral_notes_write', 'referral_notes'], ['audit_events_read', 'audit_events'],
    ]) {
      await q.query(`DROP POLICY ${policy} ON ${table}`);
    }
    await q.query(`CREATE POLICY referrals_read ON referrals FOR SELECT TO signpost_app USING (
      (SELECT app_setting('app.referral_scope')) = 'all'
      OR ((SELECT app_setting('app.referral_scope')) = 'teams'
          AND NOT (status = ANY (policy_constant('referral_statuses_hidden_from_teams')))
          AND team = ANY ((SELECT app_list('app.read_teams'))::text[])))`);
    await q.query(`CREATE POLICY referrals_draft ON referrals FOR INSERT TO signpost_app WITH CHECK (
      (SELECT app_setting('app.referral_scope')) = 'all' AND app_can('referral.draft')
      AND (status = ANY (policy_constant('editable_referral_statuses')) OR app_can('referral.submit')))`);
    await q.query(`CREATE POLICY referrals_edit_draft ON referrals FOR UPDATE TO signpost_app
      USING ((SELECT app_setting('app.referral_scope')) = 'all' AND app_can('referral.draft') AND status = ANY (policy_constant('editable_referral_statuses')))
      WITH CHECK ((SELECT app_setting('app.referral_scope')) = 'all'
                  AND (status = ANY (policy_constant('editable_referral_statuses')) OR app_can('referral.submit')))`);
    // A team acts only on its own referrals and cannot hand one to another team: transfers go through transfer_referral().
    await q.query(`CREATE POLICY referrals_team_action ON referrals FOR UPDATE TO signpost_app
      USING (NOT (status = ANY (policy_constant('referral_statuses_hidden_from_teams'))) AND team = ANY ((SELECT app_list('app.act_teams'))::text[]))
      WITH CHECK (NOT (status = ANY (policy_constant('referral_statuses_hidden_from_teams'))) AND team = ANY ((SELECT app_list('app.act_teams'))::text[]))`);
    await q.query(`CREATE POLICY referral_notes_read ON referral_notes FOR SELECT TO signpost_app USING (
      team = ANY ((SELECT app_list('app.note_teams'))::text[]) AND EXISTS (SELECT 1 FROM referrals r WHERE r.id = referral_id))`);
    // Notes only while the team works on the referral: never on a closed one.
    await q.query(`CREATE POLICY referral_notes_write ON referral_notes FOR INSERT TO signpost_app WITH CHECK (
      app_can('referral.note') AND team = ANY ((SELECT app_list('app.act_teams'))::text[])
      AND EXISTS (SELECT 1 FROM referrals r WHERE r.id = referral_id AND r.team = referral_notes.team
                    AND r.status = ANY (policy_constant('noteable_referral_statuses'))))`);
    await q.query(`CREATE POLICY audit_events_read ON audit_events FOR SELECT TO signpost_app USING (
      app_can('audit.read')
      OR (app_can('group.readInternal') AND group_id IS NOT NULL AND NOT (action = ANY (policy_constant('audit_actions_off_group_timeline')))))`);

    await q.query(`DROP FUNCTION transfer_referral(uuid, integer, text, text)`);
    await q.query(`CREATE FUNCTION transfer_referral(p_id uuid, p_version integer, p_to_team text, p_reason text, p_acknowledge_by timestamptz)
      RETURNS integer LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS \$\$
      DECLARE
        r referrals%ROWTYPE;
      BEGIN
        SELECT * INTO r FROM referrals WHERE id = p_id FOR UPDATE;
        IF NOT FOUND OR r.status = ANY (policy_constant('referral_statuses_hidden_from_teams'))
           OR NOT (r.team = ANY (app_list('app.act_teams'))) OR NOT app_can('referral.transfer') THEN
          RAISE EXCEPTION 'referral not found' USING ERRCODE = 'SPNFD';
        END IF;
        IF r.version <> p_version THEN
          RAISE EXCEPTION 'stale version' USING ERRCODE = 'SPCON';
        END IF;
        IF NOT (r.status = ANY (policy_constant('transferable_referral_statuses'))) OR p_to_team = r.team
           OR NOT (p_to_team = ANY (policy_constant('teams'))) OR coalesce(btrim(p_reason), '') = '' OR p_acknowledge_by IS NULL THEN
          RAISE EXCEPTION 'transfer not allowed' USING ERRCODE = 'SPTRN';
        END IF;
        UPDATE referrals SET team = p_to_team, status = (policy_constant('referral_status_after_transfer'))[1], acknowledged_at = NULL,
               acknowledge_by = p_acknowledge_by, version = version + 1, updated_at = now() WHERE id = p_id;
        UPDATE referral_snapshots SET team = p_to_team WHERE referral_id = p_id;
        INSERT INTO referral_transfers (referral_id, from_team, to_team, reason, by_id)
             VALUES (p_id, r.team, p_to_team, btrim(p_reason), app_setting('app.user_id')::uuid);
        RETURN r.version + 1;
      END \$\$`);
    await q.query(`REVOKE ALL ON FUNCTION transfer_referral(uuid, integer, text, text, timestamptz) FROM PUBLIC`);
    await q.query(`GRANT EXECUTE ON FUNCTION transfer_referral(uuid, integer, text, text, timestamptz) TO signpost_app`);
  }

  public async down(q: QueryRunner): Promise<void> {
    // Back to the RowLevelSecurity migration's policies and function.
    await q.query(`DROP FUNCTION transfer_referral(uuid, integer, text, text, timestamptz)`);
    await q.query(`CREATE FUNCTION transfer_referral(p_id uuid, p_version integer, p_to_team text, p_reason text)
      RETURNS integer LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS \$\$
      DECLARE
        r referrals%ROWTYPE;
      BEGIN
        SELECT * INTO r FROM referrals WHERE id = p_id FOR UPDATE;
        IF NOT FOUND OR r.status = 'DRAFT' OR NOT (r.team = ANY(app_list('app.team_roles'))) OR NOT app_can('referral.transfer') THEN
          RAISE EXCEPTION 'referral not found' USING ERRCODE = 'SPNFD';
        END IF;
        IF r.version <> p_version THEN
          RAISE EXCEPTION 'stale version' USING ERRCODE = 'SPCON';
        END IF;
        IF r.status NOT IN ('SUBMITTED', 'ACKNOWLEDGED', 'IN_PROGRESS') OR p_to_team = r.team
           OR p_to_team NOT IN ('DISCIPLINE', 'HR', 'LEGAL') OR coalesce(btrim(p_reason), '') = '' THEN
          RAISE EXCEPTION 'transfer not allowed' USING ERRCODE = 'SPTRN';
        END IF;
        UPDATE referrals SET team = p_to_team, status = 'SUBMITTED', acknowledged_at = NULL,
               version = version + 1, updated_at = now() WHERE id = p_id;
        UPDATE referral_snapshots SET team = p_to_team WHERE referral_id = p_id;
        INSERT INTO referral_transfers (referral_id, from_team, to_team, reason, by_id)
             VALUES (p_id, r.team, p_to_team, btrim(p_reason), app_setting('app.user_id')::uuid);
        RETURN r.version + 1;
      END \$\$`);
    await q.query(`REVOKE ALL ON FUNCTION transfer_referral(uuid, integer, text, text) FROM PUBLIC`);
    await q.query(`GRANT EXECUTE ON FUNCTION transfer_referral(uuid, integer, text, text) TO signpost_app`);
    for (const [policy, table] of [
      ['referrals_read', 'referrals'], ['referrals_draft', 'referrals'], ['referrals_edit_draft', 'referrals'], ['referrals_team_action', 'referrals'],
      ['referral_notes_read', 'referral_notes'], ['referral_notes_write', 'referral_notes'], ['audit_events_read', 'audit_events'],
    ]) {
      await q.query(`DROP POLICY ${policy} ON ${table}`);
    }
    await q.query(`CREATE POLICY referrals_read ON referrals FOR SELECT TO signpost_app USING (
      app_setting('app.referral_scope') = 'all'
      OR (app_setting('app.referral_scope') = 'teams' AND status <> 'DRAFT' AND team = ANY(app_list('app.read_teams'))))`);
    await q.query(`CREATE POLICY referrals_draft ON referrals FOR INSERT TO signpost_app WITH CHECK (
      app_setting('app.referral_scope') = 'all' AND app_can('referral.draft') AND (status = 'DRAFT' OR app_can('referral.submit')))`);
    await q.query(`CREATE POLICY referrals_edit_draft ON referrals FOR UPDATE TO signpost_app
      USING (app_setting('app.referral_scope') = 'all' AND app_can('referral.draft') AND status = 'DRAFT')
      WITH CHECK (app_setting('app.referral_scope') = 'all' AND (status = 'DRAFT' OR app_can('referral.submit')))`);
    await q.query(`CREATE POLICY referrals_team_action ON referrals FOR UPDATE TO signpost_app
      USING (status <> 'DRAFT' AND team = ANY(app_list('app.team_roles')))
      WITH CHECK (status <> 'DRAFT' AND team = ANY(app_list('app.team_roles')))`);
    await q.query(`CREATE POLICY referral_notes_read ON referral_notes FOR SELECT TO signpost_app USING (
      team = ANY(app_list('app.team_roles')) AND EXISTS (SELECT 1 FROM referrals r WHERE r.id = referral_id))`);
    await q.query(`CREATE POLICY referral_notes_write ON referral_notes FOR INSERT TO signpost_app WITH CHECK (
      app_can('referral.note') AND team = ANY(app_list('app.team_roles'))
      AND EXISTS (SELECT 1 FROM referrals r WHERE r.id = referral_id AND r.team = referral_notes.team))`);
    await q.query(`CREATE POLICY audit_events_read ON audit_events FOR SELECT TO signpost_app USING (
      app_can('audit.read')
      OR (app_can('group.readInternal') AND group_id IS NOT NULL AND action NOT IN ('referral.read', 'referral.note')))`);
    await q.query(`REVOKE UPDATE ("approved_at", "approved_by") ON "service_clients" FROM signpost_app`);
    await q.query(`ALTER TABLE "service_clients" DROP CONSTRAINT "service_clients_second_approver"`);
    await q.query(`ALTER TABLE "service_clients" DROP CONSTRAINT "service_clients_approved_by_fkey"`);
    await q.query(`ALTER TABLE "concerns" DROP CONSTRAINT "concerns_administrator_id_fkey"`);
    await q.query(`DROP INDEX "public"."concerns_administrator_id_idx"`);
    for (const [table, column] of [['service_clients', 'approved_at'], ['service_clients', 'approved_by'], ['referrals', 'acknowledge_by'], ['concerns', 'administrator_id'], ['groups', 'first_compliant_at'], ['groups', 'logo_status_changed_at']]) {
      await q.query(`ALTER TABLE "${table}" DROP COLUMN "${column}"`);
    }
    await q.query(`DROP FUNCTION policy_constant(text)`);
  }
}
