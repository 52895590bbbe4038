import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Tables whose rows are scoped by who is asking; FORCE so even their owner is subject to policies. */
const SCOPED = ['referrals', 'referral_snapshots', 'referral_notes', 'referral_transfers', 'administrators', 'audit_events'];

/**
 * Row-level security as the backstop under the API's own checks. Every API
 * request runs `SET LOCAL ROLE signpost_app` (not superuser, no BYPASSRLS) with
 * the caller's identity in transaction-local settings (common/database-context.ts):
 *   app.user_id, app.roles, app.permissions   who is asking and what the policy lets them do
 *   app.referral_scope ('all'|'teams'|'none') and app.read_teams   which referrals they see
 *   app.team_roles   the receiving teams whose role they hold (to act, and to read notes)
 * The policies below mirror packages/policy. A request with no settings sees none of
 * these rows. Work outside the API role (migrations, the CLI, jobs) is unaffected.
 */
export class RowLevelSecurity1795800000000 implements MigrationInterface {
  name = 'RowLevelSecurity1795800000000';

  public async up(q: QueryRunner): Promise<void> {
    // Roles belong to the cluster, so another database may have made it already.
    await q.query(`DO $$ BEGIN
      IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'signpost_app') THEN
        CREATE ROLE signpost_app NOLOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE NOINHERIT;
      END IF;
    END $$`);
    await q.query(`GRANT USAGE ON SCHEMA public TO signpost_app`);
    await q.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO signpost_app`);
    await q.query(`GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO signpost_app`);
    await q.query(`ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO signpost_app`);
    await q.query(`ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO signpost_app`);
    // Sessions are resolved before the request takes the API role; migrations are not its business.
    await q.query(`REVOKE ALL ON sessions, migrations FROM signpost_app`);
    await q.query(`REVOKE DELETE ON referrals, referral_snapshots, referral_notes, referral_transfers, audit_events FROM signpost_app`);

    await q.query(`CREATE FUNCTION app_setting(name text) RETURNS text LANGUAGE sql STABLE
      AS $$ SELECT NULLIF(current_setting(name, true), '') $$`);
    await q.query(`CREATE FUNCTION app_list(name text) RETURNS text[] LANGUAGE sql STABLE
      AS $$ SELECT coalesce(string_to_array(NULLIF(current_setting(name, true), ''), ','), '{}'::text[]) $$`);
    await q.query(`CREATE FUNCTION app_can(permission text) RETURNS boolean LANGUAGE sql STABLE
      AS $$ SELECT permission = ANY(app_list('app.permissions')) $$`);

    for (const table of SCOPED) {
      await q.query(`ALTER TABLE ${table} ENABLE ROW LEVEL SECURITY`);
      await q.query(`ALTER TABLE ${table} FORCE ROW LEVEL SECURITY`);
      // Migrations, the CLI, jobs and SECURITY DEFINER functions run as other roles.
      await q.query(`CREATE POLICY ${table}_privileged ON ${table} USING (current_user <> 'signpost_app') WITH CHECK (current_user <> 'signpost_app')`);
    }

    // Referrals: the social media team sees all (drafts included); receiving teams only their non-draft ones.
    await q.query(`CREATE POLICY referrals_read ON referrals FOR SELECT TO signpost_app USING (
      app_setting('app.referral_scope') = 'all'
      OR (app_setting('app.referral_scope') = 'teams' AND status <> 'DRAFT' AND team = ANY(app_list('app.read_teams'))))`);
    await q.query(`CREATE POLICY referrals_draft ON referrals FOR INSERT TO signpost_app WITH CHECK (
      app_setting('app.referral_scope') = 'all' AND app_can('referral.draft') AND (status = 'DRAFT' OR app_can('referral.submit')))`);
    await q.query(`CREATE POLICY referrals_edit_draft ON referrals FOR UPDATE TO signpost_app
      USING (app_setting('app.referral_scope') = 'all' AND app_can('referral.draft') AND status = 'DRAFT')
      WITH CHECK (app_setting('app.referral_scope') = 'all' AND (status = 'DRAFT' OR app_can('referral.submit')))`);
    // A team acts only on its own referrals and cannot hand one to another team: transfers go through transfer_referral().
    await q.query(`CREATE POLICY referrals_team_action ON referrals FOR UPDATE TO signpost_app
      USING (status <> 'DRAFT' AND team = ANY(app_list('app.team_roles')))
      WITH CHECK (status <> 'DRAFT' AND team = ANY(app_list('app.team_roles')))`);

    // Snapshots travel with the referral they belong to.
    await q.query(`CREATE POLICY referral_snapshots_read ON referral_snapshots FOR SELECT TO signpost_app USING (
      EXISTS (SELECT 1 FROM referrals r WHERE r.id = referral_id AND r.team = referral_snapshots.team))`);
    await q.query(`CREATE POLICY referral_snapshots_take ON referral_snapshots FOR INSERT TO signpost_app WITH CHECK (
      app_can('referral.submit') AND EXISTS (SELECT 1 FROM referrals r WHERE r.id = referral_id AND r.team = referral_snapshots.team))`);

    // Team notes: only holders of that team's role, and only while the referral is theirs to see.
    await q.query(`CREATE POLICY referral_notes_read ON referral_notes FOR SELECT TO signpost_app USING (
      team = ANY(app_list('app.team_roles')) AND EXISTS (SELECT 1 FROM referrals r WHERE r.id = referral_id))`);
    await q.query(`CREATE POLICY referral_notes_write ON referral_notes FOR INSERT TO signpost_app WITH CHECK (
      app_can('referral.note') AND team = ANY(app_list('app.team_roles'))
      AND EXISTS (SELECT 1 FROM referrals r WHERE r.id = referral_id AND r.team = referral_notes.team))`);

    await q.query(`CREATE POLICY referral_transfers_read ON referral_transfers FOR SELECT TO signpost_app USING (
      EXISTS (SELECT 1 FROM referrals r WHERE r.id = referral_id))`);

    // Administrators are personal data: the social media team's, by permission.
    await q.query(`CREATE POLICY administrators_read ON administrators FOR SELECT TO signpost_app USING (app_can('administrator.read'))`);
    await q.query(`CREATE POLICY administrators_add ON administrators FOR INSERT TO signpost_app WITH CHECK (app_can('administrator.write'))`);
    await q.query(`CREATE POLICY administrators_change ON administrators FOR UPDATE TO signpost_app
      USING (app_can('administrator.write')) WITH CHECK (app_can('administrator.write'))`);

    // The audit trail: the data protection officer reads it all; the social media team a group's story.
    // Anyone may append, but only as themselves.
    await q.query(`CREATE POLICY audit_events_read ON audit_events FOR SELECT TO signpost_app USING (
      app_can('audit.read')
      OR (app_can('group.readInternal') AND group_id IS NOT NULL AND action NOT IN ('referral.read', 'referral.note')))`);
    await q.query(`CREATE POLICY audit_events_append ON audit_events FOR INSERT TO signpost_app WITH CHECK (
      actor_id IS NOT DISTINCT FROM app_setting('app.user_id')::uuid)`);

    // The guarded path for moving a referral to another team, which RLS WITH CHECK rightly forbids the
    // API role. It checks the caller itself from the transaction's settings, never from its arguments.
    await q.query(`CREATE FUNCTION transfer_referral(p_id uuid, p_version integer, p_to_team text, p_reason text)
      RETURNS integer LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
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
      END $$`);
    await q.query(`REVOKE ALL ON FUNCTION transfer_referral(uuid, integer, text, text) FROM PUBLIC`);
    await q.query(`GRANT EXECUTE ON FUNCTION transfer_referral(uuid, integer, text, text) TO signpost_app`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP FUNCTION transfer_referral(uuid, integer, text, text)`);
    for (const table of SCOPED) {
      const policies: { policyname: string }[] = await q.query(`SELECT policyname FROM pg_policies WHERE tablename = $1`, [table]);
      for (const p of policies) await q.query(`DROP POLICY "${p.policyname}" ON ${table}`);
      await q.query(`ALTER TABLE ${table} NO FORCE ROW LEVEL SECURITY`);
      await q.query(`ALTER TABLE ${table} DISABLE ROW LEVEL SECURITY`);
    }
    await q.query(`DROP FUNCTION app_can(text)`);
    await q.query(`DROP FUNCTION app_list(text)`);
    await q.query(`DROP FUNCTION app_setting(text)`);
    await q.query(`ALTER DEFAULT PRIVILEGES IN SCHEMA public REVOKE SELECT, INSERT, UPDATE, DELETE ON TABLES FROM signpost_app`);
    await q.query(`ALTER DEFAULT PRIVILEGES IN SCHEMA public REVOKE USAGE, SELECT ON SEQUENCES FROM signpost_app`);
    await q.query(`REVOKE ALL ON ALL TABLES IN SCHEMA public FROM signpost_app`);
    await q.query(`REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM signpost_app`);
    await q.query(`REVOKE USAGE ON SCHEMA public FROM signpost_app`);
    // The role is left: other databases in the cluster may use it.
  }
}
