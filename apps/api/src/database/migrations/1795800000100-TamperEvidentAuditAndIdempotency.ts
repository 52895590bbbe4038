import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Tamper-evident audit trail and idempotency keys.
 *
 * Audit trail: every event gets `seq` (1, 2, 3 … no gaps), `prev_hash` (the
 * previous event's hash; 64 zeros for the first) and `hash` = SHA-256 of a
 * canonical serialisation of its non-personal fields (audit_event_payload) and
 * prev_hash. A BEFORE INSERT trigger computes them, so no writer can skip or
 * choose them. `actor_label` (an email: personal data) is outside the hash, so
 * it can be erased or anonymised without breaking the chain. For the API's role
 * the table is append-only (privileges), and a trigger refuses any UPDATE of a
 * hashed column, any DELETE and TRUNCATE for everyone whose triggers run.
 * `npm run signpost -- audit verify` recomputes the chain (modules/audit/audit-chain.ts
 * holds the same serialisation in TypeScript; a test checks they agree byte for byte).
 *
 * Idempotency keys: one row per (principal, key) reserved inside the request's
 * transaction (common/idempotency.ts), holding the first response for 24 hours.
 *
 * Written by hand (TypeORM does not diff functions, triggers or grants); never
 * edit once committed: the SQL of audit_event_payload IS the chain's format.
 */
export class TamperEvidentAuditAndIdempotency1795800000100 implements MigrationInterface {
  name = 'TamperEvidentAuditAndIdempotency1795800000100';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "audit_events" ADD "seq" bigint, ADD "prev_hash" text, ADD "hash" text`);

    // One field of the payload: name, then the value's length in UTF-8 bytes and the value, or '-' for NULL.
    // Length-prefixed, so no value can imitate a field boundary, whatever characters it holds.
    await q.query(`CREATE FUNCTION audit_payload_field(p_name text, p_value text) RETURNS text
      LANGUAGE sql IMMUTABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
      SELECT E'\\n' || p_name || '=' || CASE WHEN p_value IS NULL THEN '-'
        ELSE octet_length(convert_to(p_value, 'UTF8'))::text || ':' || p_value END
    $$`);
    // Version 1 of the canonical serialisation. Timestamps in UTC to the microsecond, uuids in
    // canonical lower case, details in jsonb's normalised text form (keys sorted, fixed spacing).
    await q.query(`CREATE FUNCTION audit_event_payload(
        p_seq bigint, p_at timestamptz, p_actor_id uuid, p_action text, p_entity_type text, p_entity_id uuid,
        p_group_id uuid, p_referral_team text, p_request_id text, p_details jsonb, p_prev_hash text) RETURNS text
      LANGUAGE sql STABLE PARALLEL SAFE SET search_path = public, pg_temp AS $$
      SELECT 'signpost-audit-v1'
        || audit_payload_field('seq', p_seq::text)
        || audit_payload_field('at', to_char(p_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'))
        || audit_payload_field('actor_id', p_actor_id::text)
        || audit_payload_field('action', p_action)
        || audit_payload_field('entity_type', p_entity_type)
        || audit_payload_field('entity_id', p_entity_id::text)
        || audit_payload_field('group_id', p_group_id::text)
        || audit_payload_field('referral_team', p_referral_team)
        || audit_payload_field('request_id', p_request_id)
        || audit_payload_field('details', p_details::text)
        || audit_payload_field('prev_hash', p_prev_hash)
    $$`);

    // Events written before this migration join the chain in the order they were written.
    await q.query(`DO $$
      DECLARE
        r record;
        n bigint := 0;
        h text := repeat('0', 64);
      BEGIN
        FOR r IN SELECT * FROM audit_events ORDER BY id LOOP
          n := n + 1;
          UPDATE audit_events SET seq = n, prev_hash = h,
                 hash = encode(sha256(convert_to(audit_event_payload(n, r.at, r.actor_id, r.action, r.entity_type,
                   r.entity_id, r.group_id, r.referral_team, r.request_id, r.details, h), 'UTF8')), 'hex')
           WHERE id = r.id RETURNING hash INTO h;
        END LOOP;
      END $$`);
    await q.query(`ALTER TABLE "audit_events" ALTER "seq" SET NOT NULL, ALTER "prev_hash" SET NOT NULL, ALTER "hash" SET NOT NULL`);
    // Also the backstop should two writers ever read the same last event (e.g. under REPEATABLE READ).
    await q.query(`CREATE UNIQUE INDEX "audit_events_seq_key" ON "audit_events" ("seq") `);

    // SECURITY DEFINER: the API's role reads the trail only through row-level security (and a
    // receiving team not at all), but the chain must continue from the true last event.
    // The advisory lock makes writers extend the chain one transaction at a time, until commit;
    // in READ COMMITTED each statement below sees what the previous holder committed.
    await q.query(`CREATE FUNCTION audit_events_chain() RETURNS trigger
      LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
      DECLARE
        last_seq bigint;
        last_hash text;
      BEGIN
        PERFORM pg_advisory_xact_lock(7466349301);
        SELECT e.seq, e.hash INTO last_seq, last_hash FROM audit_events e ORDER BY e.seq DESC LIMIT 1;
        -- The writer chooses none of these: not even the time, so an event cannot be backdated.
        NEW.at := now();
        NEW.seq := coalesce(last_seq, 0) + 1;
        NEW.prev_hash := coalesce(last_hash, repeat('0', 64));
        NEW.hash := encode(sha256(convert_to(audit_event_payload(NEW.seq, NEW.at, NEW.actor_id, NEW.action,
          NEW.entity_type, NEW.entity_id, NEW.group_id, NEW.referral_team, NEW.request_id, NEW.details,
          NEW.prev_hash), 'UTF8')), 'hex');
        RETURN NEW;
      END $$`);
    await q.query(`REVOKE ALL ON FUNCTION audit_events_chain() FROM PUBLIC`);
    // BEFORE triggers fire in name order: "zz_" makes this one last, so it hashes the final row.
    await q.query(`CREATE TRIGGER zz_audit_events_chain BEFORE INSERT ON audit_events FOR EACH ROW EXECUTE FUNCTION audit_events_chain()`);

    // Append-only for everyone whose triggers run; only actor_label may change (erasure, anonymisation).
    await q.query(`CREATE FUNCTION audit_events_append_only() RETURNS trigger
      LANGUAGE plpgsql SET search_path = public, pg_temp AS $$
      BEGIN
        IF TG_OP = 'UPDATE' THEN
          IF (NEW.id, NEW.seq, NEW.at, NEW.actor_id, NEW.action, NEW.entity_type, NEW.entity_id, NEW.group_id,
              NEW.referral_team, NEW.request_id, NEW.details, NEW.prev_hash, NEW.hash)
             IS NOT DISTINCT FROM
             (OLD.id, OLD.seq, OLD.at, OLD.actor_id, OLD.action, OLD.entity_type, OLD.entity_id, OLD.group_id,
              OLD.referral_team, OLD.request_id, OLD.details, OLD.prev_hash, OLD.hash) THEN
            RETURN NEW;
          END IF;
          RAISE EXCEPTION 'audit events are append-only: only actor_label may be changed' USING ERRCODE = 'SPAUD';
        END IF;
        RAISE EXCEPTION 'audit events are append-only: % is not allowed', TG_OP USING ERRCODE = 'SPAUD';
      END $$`);
    await q.query(`CREATE TRIGGER audit_events_append_only BEFORE UPDATE OR DELETE ON audit_events FOR EACH ROW EXECUTE FUNCTION audit_events_append_only()`);
    await q.query(`CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events FOR EACH STATEMENT EXECUTE FUNCTION audit_events_append_only()`);

    // The API's role (created by the RowLevelSecurity migration) appends and may rewrite actor_label only.
    await q.query(`REVOKE UPDATE, DELETE, TRUNCATE ON audit_events FROM signpost_app`);
    await q.query(`GRANT UPDATE (actor_label) ON audit_events TO signpost_app`);

    await q.query(`CREATE TABLE "idempotency_keys" ("principal_key" text NOT NULL, "key" text NOT NULL, "request_hash" text NOT NULL, "operation" text NOT NULL, "response" json, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "idempotency_keys_pkey" PRIMARY KEY ("principal_key", "key"))`);
    await q.query(`CREATE INDEX "idempotency_keys_created_idx" ON "idempotency_keys" ("created_at") `);
    // Stored responses can hold personal data: under the API's role each principal sees only its own keys.
    await q.query(`CREATE FUNCTION app_principal_key() RETURNS text LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp AS $$
      SELECT CASE
        WHEN NULLIF(current_setting('app.user_id', true), '') IS NOT NULL THEN 'user:' || current_setting('app.user_id', true)
        WHEN NULLIF(current_setting('app.service_id', true), '') IS NOT NULL THEN 'service:' || current_setting('app.service_id', true)
      END
    $$`);
    await q.query(`ALTER TABLE idempotency_keys ENABLE ROW LEVEL SECURITY`);
    await q.query(`ALTER TABLE idempotency_keys FORCE ROW LEVEL SECURITY`);
    await q.query(`CREATE POLICY idempotency_keys_privileged ON idempotency_keys USING (current_user <> 'signpost_app') WITH CHECK (current_user <> 'signpost_app')`);
    await q.query(`CREATE POLICY idempotency_keys_own ON idempotency_keys TO signpost_app
      USING (principal_key = app_principal_key()) WITH CHECK (principal_key = app_principal_key())`);
    // Expired keys of every principal are removed a few at a time by whoever reserves a key.
    // SKIP LOCKED: never wait for, nor make wait, another request's reservation.
    await q.query(`CREATE FUNCTION purge_expired_idempotency_keys(p_limit integer) RETURNS integer
      LANGUAGE sql SECURITY DEFINER SET search_path = public, pg_temp AS $$
      WITH expired AS (
        SELECT principal_key, key FROM idempotency_keys
         WHERE created_at < now() - interval '24 hours'
         ORDER BY created_at LIMIT least(greatest(p_limit, 0), 1000)
           FOR UPDATE SKIP LOCKED
      ), gone AS (
        DELETE FROM idempotency_keys k USING expired x
         WHERE k.principal_key = x.principal_key AND k.key = x.key RETURNING 1
      )
      SELECT count(*)::integer FROM gone
    $$`);
    await q.query(`REVOKE ALL ON FUNCTION purge_expired_idempotency_keys(integer) FROM PUBLIC`);
    await q.query(`GRANT EXECUTE ON FUNCTION purge_expired_idempotency_keys(integer) TO signpost_app`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP FUNCTION purge_expired_idempotency_keys(integer)`);
    await q.query(`DROP TABLE "idempotency_keys"`);
    await q.query(`DROP FUNCTION app_principal_key()`);

    await q.query(`REVOKE UPDATE (actor_label) ON audit_events FROM signpost_app`);
    // As the RowLevelSecurity migration left it: UPDATE granted, DELETE revoked.
    await q.query(`GRANT UPDATE ON audit_events TO signpost_app`);
    await q.query(`DROP TRIGGER audit_events_no_truncate ON audit_events`);
    await q.query(`DROP TRIGGER audit_events_append_only ON audit_events`);
    await q.query(`DROP FUNCTION audit_events_append_only()`);
    await q.query(`DROP TRIGGER zz_audit_events_chain ON audit_events`);
    await q.query(`DROP FUNCTION audit_events_chain()`);
    await q.query(`DROP INDEX "public"."audit_events_seq_key"`);
    await q.query(`DROP FUNCTION audit_event_payload(bigint, timestamptz, uuid, text, text, uuid, uuid, text, text, jsonb, text)`);
    await q.query(`DROP FUNCTION audit_payload_field(text, text)`);
    await q.query(`ALTER TABLE "audit_events" DROP COLUMN "hash", DROP COLUMN "prev_hash", DROP COLUMN "seq"`);
  }
}
