import { createHash } from 'node:crypto';

/**
 * The audit trail's hash chain, in TypeScript: the same canonical serialisation
 * the database's `audit_event_payload()` builds when the insert trigger hashes
 * an event (TamperEvidentAuditAndIdempotency migration), so the chain can be
 * checked without trusting any function stored in the database. A test
 * (audit-chain.e2e-spec.ts) checks both agree byte for byte.
 *
 * Payload, version 1: `signpost-audit-v1`, then per field, in this order,
 * `\n<name>=<length in UTF-8 bytes>:<value>` or `\n<name>=-` for NULL.
 * `actor_label` (an email) is deliberately not a field: it can be erased.
 */
export const CHAIN_FORMAT = 'signpost-audit-v1';
export const GENESIS_HASH = '0'.repeat(64);

export const HASHED_FIELDS = [
  'seq', 'at', 'actor_id', 'action', 'entity_type', 'entity_id', 'group_id', 'referral_team', 'request_id', 'details', 'prev_hash',
] as const;
export type HashedField = (typeof HASHED_FIELDS)[number];

/** One event as the verifier reads it: every hashed field as text (see chainColumnsSql), and the stored hash. */
export type ChainRow = Record<HashedField, string | null> & { hash: string | null };

/**
 * The select list that renders each hashed column as text exactly as
 * `audit_event_payload()` does: PostgreSQL's own output of each type, the time
 * in UTC to the microsecond (a JS Date would lose the microseconds).
 */
export function chainColumnsSql(alias: string): string {
  const a = alias;
  return [
    `${a}.seq::text AS seq`,
    `to_char(${a}.at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS at`,
    `${a}.actor_id::text AS actor_id`,
    `${a}.action AS action`,
    `${a}.entity_type AS entity_type`,
    `${a}.entity_id::text AS entity_id`,
    `${a}.group_id::text AS group_id`,
    `${a}.referral_team AS referral_team`,
    `${a}.request_id AS request_id`,
    `${a}.details::text AS details`,
    `${a}.prev_hash AS prev_hash`,
    `${a}.hash AS hash`,
  ].join(', ');
}

export function canonicalPayload(row: Record<HashedField, string | null>): string {
  let out = CHAIN_FORMAT;
  for (const name of HASHED_FIELDS) {
    const value = row[name];
    out += value === null || value === undefined ? `\n${name}=-` : `\n${name}=${Buffer.byteLength(value, 'utf8')}:${value}`;
  }
  return out;
}

export function eventHash(row: Record<HashedField, string | null>): string {
  return createHash('sha256').update(canonicalPayload(row), 'utf8').digest('hex');
}

export const AUDIT_CHAIN_PROBLEMS = ['HASH_MISMATCH', 'PREV_HASH_MISMATCH', 'GAP', 'ANCHOR_MISMATCH'] as const;
export type AuditChainProblem = (typeof AUDIT_CHAIN_PROBLEMS)[number];

export interface AuditChainStatus {
  ok: boolean;
  /** Events checked and found intact (all of them when ok). */
  events: number;
  firstBrokenSeq: string | null;
  reason: AuditChainProblem | null;
  explanation: string | null;
  /** The last event checked: record it elsewhere and pass it as an anchor later to detect a cut-off tail. */
  headSeq: string | null;
  headHash: string | null;
  /** Events appended and committed but not chained yet (the sealer chains them within moments); not checked. */
  unsealed: number;
}

export interface ChainAnchor {
  seq: string;
  hash: string;
}

interface Queryable {
  query(sql: string, parameters?: unknown[]): Promise<any[]>;
}

/**
 * Recomputes the whole chain, in seq order, a page at a time. Stops at the
 * first break: a missing or out-of-place seq (GAP), a prev_hash that is not the
 * previous event's hash (PREV_HASH_MISMATCH), or a hash that does not match the
 * event's fields (HASH_MISMATCH). An anchor (a seq and hash recorded earlier)
 * must still be in the chain, which catches events removed from the end.
 * Run it in one snapshot (REPEATABLE READ) for a consistent answer under writes.
 */
export async function verifyAuditChain(db: Queryable, options: { anchor?: ChainAnchor; pageSize?: number } = {}): Promise<AuditChainStatus> {
  const pageSize = options.pageSize ?? 1000;
  const anchorSeq = options.anchor ? BigInt(options.anchor.seq) : null;
  let expectedSeq = 1n;
  let prevHash = GENESIS_HASH;
  let events = 0;
  let head: { seq: string; hash: string } | null = null;
  let after: string | null = null;
  let unsealed = 0;
  const broken = (seq: bigint | string, reason: AuditChainProblem, explanation: string): AuditChainStatus => ({
    ok: false, events, firstBrokenSeq: String(seq), reason, explanation, headSeq: head?.seq ?? null, headHash: head?.hash ?? null, unsealed,
  });
  // Appended events wait for the sealer (AuditChainSealedAfterCommit migration): counted, not yet part of the chain.
  const [pending] = await db.query(`SELECT count(*)::int AS n FROM audit_events WHERE seq IS NULL`);
  unsealed = pending?.n ?? 0;

  for (;;) {
    const rows: ChainRow[] = await db.query(
      `SELECT ${chainColumnsSql('e')} FROM audit_events e WHERE e.seq IS NOT NULL AND ($1::bigint IS NULL OR e.seq > $1::bigint) ORDER BY e.seq LIMIT $2`,
      [after, pageSize],
    );
    for (const row of rows) {
      const seq = BigInt(row.seq!);
      if (seq !== expectedSeq) {
        return seq > expectedSeq
          ? broken(expectedSeq, 'GAP', seq === expectedSeq + 1n
            ? `Event ${expectedSeq} is missing: the chain goes from ${expectedSeq - 1n} to ${seq}.`
            : `Events ${expectedSeq} to ${seq - 1n} are missing: the chain goes from ${expectedSeq - 1n} to ${seq}.`)
          : broken(seq, 'GAP', `An event has seq ${seq}, out of sequence (expected ${expectedSeq}).`);
      }
      if (row.prev_hash !== prevHash) {
        return broken(seq, 'PREV_HASH_MISMATCH', seq === 1n
          ? 'The first event does not start the chain: its prev_hash is not the genesis value.'
          : `Its prev_hash is not the hash of event ${seq - 1n}: an event was changed, removed or reordered.`);
      }
      if (eventHash(row) !== row.hash) {
        return broken(seq, 'HASH_MISMATCH', "Its hash does not match its fields: the event was changed after it was written.");
      }
      if (anchorSeq !== null && seq === anchorSeq && row.hash !== options.anchor!.hash) {
        return broken(seq, 'ANCHOR_MISMATCH', `Its hash is not the one recorded for it (${options.anchor!.hash}): the chain was rewritten.`);
      }
      events += 1;
      prevHash = row.hash!;
      head = { seq: row.seq!, hash: row.hash! };
      expectedSeq += 1n;
    }
    if (rows.length < pageSize) break;
    after = rows.at(-1)!.seq;
  }
  if (anchorSeq !== null && anchorSeq >= expectedSeq) {
    return broken(anchorSeq, 'ANCHOR_MISMATCH', `The trail ends at event ${expectedSeq - 1n}, but event ${anchorSeq} was recorded: events were removed from the end.`);
  }
  return { ok: true, events, firstBrokenSeq: null, reason: null, explanation: null, headSeq: head?.seq ?? null, headHash: head?.hash ?? null, unsealed };
}

/** `<seq>:<hash>`, as the verifier prints a head. */
export function parseAnchor(text: string): ChainAnchor | null {
  const m = /^([1-9][0-9]{0,18}):([0-9a-f]{64})$/.exec(text.trim());
  return m ? { seq: m[1]!, hash: m[2]! } : null;
}
