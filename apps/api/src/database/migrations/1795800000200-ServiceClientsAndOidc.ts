import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Service clients (bearer tokens limited to scopes) and OIDC sign-in for people.
 *
 * Privileges of the API's role (signpost_app, see RowLevelSecurity):
 * - service_clients: row-level security lets it see and change clients only with
 *   the serviceClient.manage permission (an ADMIN's request), so a resolver that
 *   forgets its check still lists nothing; a service sees its own row only. Tokens are resolved before a request
 *   takes the role. It may only ever change `revoked_at`: never a client's
 *   scopes or token hash, and never delete one (the audit trail names them).
 * - oidc_sign_in_states: only the sign-in routes use it, outside any request's
 *   role, like sessions.
 */
export class ServiceClientsAndOidc1795800000200 implements MigrationInterface {
  name = 'ServiceClientsAndOidc1795800000200';

  public async up(q: QueryRunner): Promise<void> {
    // Scopes are checked against the policy's SERVICE_SCOPES; a new scope needs a migration that widens this.
    await q.query(`CREATE TABLE "service_clients" (
      "id" uuid NOT NULL DEFAULT gen_random_uuid(),
      "name" text NOT NULL,
      "scopes" text array NOT NULL,
      "token_hash" text NOT NULL,
      "token_prefix" text NOT NULL,
      "created_by" uuid,
      "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
      "revoked_at" TIMESTAMP WITH TIME ZONE,
      "last_used_at" TIMESTAMP WITH TIME ZONE,
      CONSTRAINT "service_clients_scopes_check" CHECK (cardinality(scopes) > 0 AND scopes <@ ARRAY['groups:read','groups:report','referrals:read:DISCIPLINE','referrals:read:HR','referrals:read:LEGAL']::text[]),
      CONSTRAINT "service_clients_pkey" PRIMARY KEY ("id"))`);
    await q.query(`CREATE UNIQUE INDEX "service_clients_name_key" ON "service_clients" ("name")`);
    await q.query(`CREATE UNIQUE INDEX "service_clients_token_hash_key" ON "service_clients" ("token_hash")`);
    await q.query(`ALTER TABLE "service_clients" ADD CONSTRAINT "service_clients_created_by_fkey"
      FOREIGN KEY ("created_by") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE NO ACTION`);

    await q.query(`CREATE TABLE "oidc_sign_in_states" (
      "handle_hash" text NOT NULL,
      "state" text NOT NULL,
      "nonce" text NOT NULL,
      "code_verifier" text NOT NULL,
      "return_to" text,
      "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
      "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL,
      CONSTRAINT "oidc_sign_in_states_pkey" PRIMARY KEY ("handle_hash"))`);

    await q.query(`ALTER TABLE "users" ADD "oidc_issuer" text`);
    await q.query(`ALTER TABLE "users" ADD "oidc_subject" text`);
    await q.query(`CREATE UNIQUE INDEX "users_oidc_subject_key" ON "users" ("oidc_issuer", "oidc_subject")`);

    // The default privileges from RowLevelSecurity granted the API role everything on the new tables: narrow them.
    await q.query(`REVOKE ALL ON "oidc_sign_in_states" FROM signpost_app`);
    await q.query(`REVOKE UPDATE, DELETE ON "service_clients" FROM signpost_app`);
    await q.query(`GRANT UPDATE ("revoked_at") ON "service_clients" TO signpost_app`);
    await q.query(`ALTER TABLE "service_clients" ENABLE ROW LEVEL SECURITY`);
    await q.query(`ALTER TABLE "service_clients" FORCE ROW LEVEL SECURITY`);
    // Migrations, the CLI and token resolution run as other roles.
    await q.query(`CREATE POLICY service_clients_privileged ON "service_clients"
      USING (current_user <> 'signpost_app') WITH CHECK (current_user <> 'signpost_app')`);
    await q.query(`CREATE POLICY service_clients_manage ON "service_clients" TO signpost_app
      USING (app_can('serviceClient.manage')) WITH CHECK (app_can('serviceClient.manage'))`);
    // A service may read its own row (to name itself on a sighting report), nothing else.
    await q.query(`CREATE POLICY service_clients_self ON "service_clients" FOR SELECT TO signpost_app
      USING (id = app_setting('app.service_id')::uuid)`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "public"."users_oidc_subject_key"`);
    await q.query(`ALTER TABLE "users" DROP COLUMN "oidc_subject"`);
    await q.query(`ALTER TABLE "users" DROP COLUMN "oidc_issuer"`);
    await q.query(`DROP TABLE "oidc_sign_in_states"`);
    // Policies, grants, indexes and constraints go with the table.
    await q.query(`DROP TABLE "service_clients"`);
  }
}
