import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The audit chain without a lock held across a request.
 *
 * Before: a BEFORE INSERT trigger chained every event as it was written,
 * under an advisory lock held until the writer's COMMIT, so every request that
 * wrote an event (every read of a referral, every mutation) waited for every
 * other one: throughput stopped growing at four connections.
 *
 * Now an event is *appended* with no lock: the insert trigger only stamps the
 * time and leaves `seq`, `prev_hash` and `hash` NULL, whatever the writer
 * sent. A *sealer* chains appended events after they commit: `audit_seal(n)`
 * takes the same advisory lock for the length of its own short statement
 * (never a request's), reads the last sealed event and the committed unsealed
 * ones in `id` order, and gives each the next `seq`, the previous hash and its
 * hash — the same canonical serialisation, version 1, as before
 * (audit_event_payload, byte for byte: modules/audit/audit-chain.ts holds it
 * in TypeScript and `signpost audit verify` recomputes it). The chain's order
 * is the order events were sealed in, which follows commit order: an event is
 * only ever sealed once it is committed, after every event sealed before it.
 *
 * The API calls the sealer right after a request that wrote events commits,
 * and every few seconds; at start; and `audit verify` seals before it checks.
 * A crash between append and seal loses nothing: the appended rows are
 * committed data and the next sealer run chains them.
 *
 * Reads of referrals: a list shown is one event naming every referral in it
 * (details.referralIds, indexed here), no longer one row per referral.
 *
 * Append-only as before; the one UPDATE of a chain column allowed is the seal
 * itself (NULLs to values, nothing else changed), which the API's role cannot
 * make (it may update actor_label only): only audit_seal(), run on the
 * database owner's connection, does.
 */
export class AuditChainSealedAfterCommit1796400000000 implements MigrationInterface {
  name = 'AuditChainSealedAfterCommit1796400000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER zz_audit_events_chain ON audit_events`);
    await q.query(`DROP FUNCTION audit_events_chain()`);
    await q.query(`ALTER TABLE "audit_events" ALTER "seq" DROP NOT NULL, ALTER "prev_hash" DROP NOT NULL, ALTER "hash" DROP NOT NULL`);
    await q.query(`CREATE INDEX "audit_events_unsealed_idx" ON "audit_events" ("id") WHERE "seq" IS NULL`);
    // A list of referrals read is one event naming them all (details.referralIds): "who read this referral" finds it here.
    await q.query(`CREATE INDEX "audit_events_referral_ids_idx" ON "audit_events" USING gin ((details -> 'referralIds')) WHERE action = 'referral.read'`);

    // The writer chooses neither its place in the chain nor the time. Cheap: no lock, no lookup, no hash.
    await q.query(`CREATE FUNCTION audit_events_append() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        NEW.at := now();
        NEW.seq := NULL;
        NEW.prev_hash := NULL;
        NEW.hash := NULL;
        RETURN NEW;
      END $$`);
    // BEFORE triggers fire in name order: "zz_" makes this one last.
    await q.query(`CREATE TRIGGER zz_audit_events_append BEFORE INSERT ON audit_events FOR EACH ROW EXECUTE FUNCTION audit_events_append()`);

    await q.query(`CREATE OR REPLACE FUNCTION audit_events_append_only() RETURNS trigger
      LANGUAGE plpgsql SET search_path = public, pg_temp AS $$
      BEGIN
        IF TG_OP = 'UPDATE' THEN
          IF (NEW.id, NEW.at, NEW.actor_id, NEW.action, NEW.entity_type, NEW.entity_id, NEW.group_id,
              NEW.referral_team, NEW.request_id, NEW.details)
             IS NOT DISTINCT FROM
             (OLD.id, OLD.at, OLD.actor_id, OLD.action, OLD.entity_type, OLD.entity_id, OLD.group_id,
              OLD.referral_team, OLD.request_id, OLD.details) THEN
            -- actor_label (erasure, anonymisation) and nothing else,
            IF (NEW.seq, NEW.prev_hash, NEW.hash) IS NOT DISTINCT FROM (OLD.seq, OLD.prev_hash, OLD.hash) THEN
              RETURN NEW;
            END IF;
            -- or the seal: an appended event takes its place in the chain, once.
            IF OLD.seq IS NULL AND OLD.prev_hash IS NULL AND OLD.hash IS NULL
               AND NEW.seq IS NOT NULL AND NEW.prev_hash IS NOT NULL AND NEW.hash IS NOT NULL THEN
              RETURN NEW;
            END IF;
          END IF;
          RAISE EXCEPTION 'audit events are append-only: only actor_label may be changed' USING ERRCODE = 'SPAUD';
        END IF;
        RAISE EXCEPTION 'audit events are append-only: % is not allowed', TG_OP USING ERRCODE = 'SPAUD';
      END $$`);

    // The body of every field but seq and prev_hash is built for the whole batch in one query; the loop
    // only chains (seq, previous hash, SHA-256). Exactly audit_event_payload's text: a test checks it.
    await q.query(`CREATE FUNCTION audit_seal(p_limit integer) RETURNS integer
      LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
      DECLARE
        last_seq bigint;
        last_hash text;
        ids bigint[];
        bodies text[];
        seqs bigint[];
        hashes text[];
        prevs text[];
        n integer;
      BEGIN
        PERFORM pg_advisory_xact_lock(7466349301);
        -- READ COMMITTED: after the lock, this sees every seal committed before ours.
        SELECT e.seq, e.hash INTO last_seq, last_hash FROM audit_events e WHERE e.seq IS NOT NULL ORDER BY e.seq DESC LIMIT 1;
        last_seq := coalesce(last_seq, 0);
        last_hash := coalesce(last_hash, repeat('0', 64));
        SELECT array_agg(x.id ORDER BY x.id), array_agg(x.body ORDER BY x.id) INTO ids, bodies FROM (
          SELECT e.id,
                 audit_payload_field('at', to_char(e.at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'))
              || audit_payload_field('actor_id', e.actor_id::text)
              || audit_payload_field('action', e.action)
              || audit_payload_field('entity_type', e.entity_type)
              || audit_payload_field('entity_id', e.entity_id::text)
              || audit_payload_field('group_id', e.group_id::text)
              || audit_payload_field('referral_team', e.referral_team)
              || audit_payload_field('request_id', e.request_id)
              || audit_payload_field('details', e.details::text) AS body
            FROM audit_events e
           WHERE e.seq IS NULL
           ORDER BY e.id
           LIMIT greatest(least(p_limit, 10000), 1)
        ) x;
        IF ids IS NULL THEN
          RETURN 0;
        END IF;
        n := array_length(ids, 1);
        seqs := array_fill(0::bigint, ARRAY[n]);
        hashes := array_fill(''::text, ARRAY[n]);
        prevs := array_fill(''::text, ARRAY[n]);
        FOR i IN 1..n LOOP
          last_seq := last_seq + 1;
          seqs[i] := last_seq;
          prevs[i] := last_hash;
          last_hash := encode(sha256(convert_to('signpost-audit-v1' || audit_payload_field('seq', last_seq::text) || bodies[i]
            || audit_payload_field('prev_hash', prevs[i]), 'UTF8')), 'hex');
          hashes[i] := last_hash;
        END LOOP;
        UPDATE audit_events e SET seq = u.seq, prev_hash = u.prev_hash, hash = u.hash
          FROM unnest(ids, seqs, prevs, hashes) AS u(id, seq, prev_hash, hash)
         WHERE e.id = u.id;
        RETURN n;
      END $$`);
    await q.query(`REVOKE ALL ON FUNCTION audit_seal(integer) FROM PUBLIC`);
    // Whatever was appended before now (none on a fresh database) is chained at once.
    await q.query(`SELECT audit_seal(10000)`);
  }

  public async down(q: QueryRunner): Promise<void> {
    // Chain whatever is still waiting, so the columns can be NOT NULL again.
    await q.query(`DO $$ BEGIN WHILE audit_seal(10000) > 0 LOOP END LOOP; END $$`);
    await q.query(`DROP FUNCTION audit_seal(integer)`);
    await q.query(`CREATE OR REPLACE FUNCTION audit_events_append_only() RETURNS trigger
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
    await q.query(`DROP TRIGGER zz_audit_events_append ON audit_events`);
    await q.query(`DROP FUNCTION audit_events_append()`);
    await q.query(`DROP INDEX "public"."audit_events_referral_ids_idx"`);
    await q.query(`DROP INDEX "public"."audit_events_unsealed_idx"`);
    await q.query(`ALTER TABLE "audit_events" ALTER "seq" SET NOT NULL, ALTER "prev_hash" SET NOT NULL, ALTER "hash" SET NOT NULL`);
    await q.query(`CREATE FUNCTION audit_events_chain() RETURNS trigger
      LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
      DECLARE
        last_seq bigint;
        last_hash text;
      BEGIN
        PERFORM pg_advisory_xact_lock(7466349301);
        SELECT e.seq, e.hash INTO last_seq, last_hash FROM audit_events e ORDER BY e.seq DESC LIMIT 1;
        NEW.at := now();
        NEW.seq := coalesce(last_seq, 0) + 1;
        NEW.prev_hash := coalesce(last_hash, repeat('0', 64));
        NEW.hash := encode(sha256(convert_to(audit_event_payload(NEW.seq, NEW.at, NEW.actor_id, NEW.action,
          NEW.entity_type, NEW.entity_id, NEW.group_id, NEW.referral_team, NEW.request_id, NEW.details,
          NEW.prev_hash), 'UTF8')), 'hex');
        RETURN NEW;
      END $$`);
    await q.query(`REVOKE ALL ON FUNCTION audit_events_chain() FROM PUBLIC`);
    await q.query(`CREATE TRIGGER zz_audit_events_chain BEFORE INSERT ON audit_events FOR EACH ROW EXECUTE FUNCTION audit_events_chain()`);
  }
}
