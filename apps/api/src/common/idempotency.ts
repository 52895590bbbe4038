import { sha256Hex } from './hash.js';
import { HeaderMap, type ApolloServerPlugin, type GraphQLRequestContextDidResolveOperation } from '@apollo/server';
import { GraphQLError, Kind, print, type DocumentNode, type FragmentDefinitionNode, type SelectionSetNode } from 'graphql';
import { Column, CreateDateColumn, Entity, Index, PrimaryColumn, type EntityManager } from 'typeorm';
import { allowsAny, type Access } from '@signpost/policy';
import type { RequestContext } from './context.js';
import { appError, badInput, conflict, forbidden } from './errors.js';
import { operationTable } from './operation-registry.js';
import { transactionOf } from './request-transaction.js';

/**
 * Idempotency keys. A client that sends `Idempotency-Key: <key>` with one of
 * the mutations below can retry it safely (after a timeout, a dropped
 * connection, a 503): the first success is stored with the key, in the same
 * transaction as the change it made, and a retry with the same key and the
 * same request gets that response back (`extensions.idempotentReplay: true`,
 * header `Idempotent-Replayed: true`) and writes nothing. The same key with a
 * different request is refused: CONFLICT, `extensions.reason:
 * IDEMPOTENCY_KEY_REUSED`, HTTP 422. A mutation that fails rolls back, its
 * reservation with it, so a retry runs again. Keys belong to the caller (a
 * person or a service client) and last 24 hours.
 *
 * A key on a query is ignored (queries change nothing); a key on any other
 * mutation is refused with BAD_USER_INPUT, field `Idempotency-Key`, rather
 * than silently giving a protection it does not have.
 */
export const IDEMPOTENCY_HEADER = 'Idempotency-Key';
export const IDEMPOTENCY_KEY_TTL_HOURS = 24; // also in purge_expired_idempotency_keys() (migration)
const KEY_FORMAT = /^[A-Za-z0-9_\-:.]{1,200}$/;

/** A reserved key and, once its request succeeded, the response it gave. */
@Entity('idempotency_keys')
@Index('idempotency_keys_created_idx', ['createdAt'])
export class IdempotencyKey {
  /** `user:<id>` or `service:<id>`: keys of different callers never meet. */
  @PrimaryColumn({ type: 'text', primaryKeyConstraintName: 'idempotency_keys_pkey' })
  principalKey: string;

  @PrimaryColumn({ type: 'text', primaryKeyConstraintName: 'idempotency_keys_pkey' })
  key: string;

  /** SHA-256 of the document, operation name and variables (canonical JSON). */
  @Column({ type: 'text' })
  requestHash: string;

  /** The mutation fields, e.g. `createGroup`, for whoever looks at the table. */
  @Column({ type: 'text' })
  operation: string;

  /** `{ data }` as first sent; json, not jsonb, so fields keep their order. Null while reserved. */
  @Column({ type: 'json', nullable: true })
  response: { data: unknown } | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}

export function principalKeyOf(access: Access): string | null {
  if (access.kind === 'user' && access.principalId) return `user:${access.principalId}`;
  if (access.kind === 'service' && access.principalId) return `service:${access.principalId}`;
  return null;
}

/** The fields an operation selects at its root, through fragments. */
export function rootFieldNames(selectionSet: SelectionSetNode, document: DocumentNode): string[] {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const def of document.definitions) if (def.kind === Kind.FRAGMENT_DEFINITION) fragments.set(def.name.value, def);
  const names = new Set<string>();
  const seen = new Set<string>();
  const walk = (set: SelectionSetNode) => {
    for (const sel of set.selections) {
      if (sel.kind === Kind.FIELD) {
        if (sel.name.value !== '__typename') names.add(sel.name.value);
      } else if (sel.kind === Kind.INLINE_FRAGMENT) {
        walk(sel.selectionSet);
      } else if (!seen.has(sel.name.value)) {
        seen.add(sel.name.value);
        const fragment = fragments.get(sel.name.value);
        if (fragment) walk(fragment.selectionSet);
      }
    }
  };
  walk(selectionSet);
  return [...names];
}

/**
 * JSON with object keys sorted at every level: the same variables always hash
 * the same. Walked with a stack of our own rather than recursion, so no depth
 * of nesting can overflow the call stack (the HTTP guard refuses deep
 * variables anyway); the text is the same as the recursive version gave, so
 * stored keys keep matching.
 */
export function canonicalJson(value: unknown): string {
  let out = '';
  // Values still to write, last first; strings in `text` are punctuation and keys, written as they are.
  const pending: ({ text: string } | { value: unknown })[] = [{ value }];
  while (pending.length > 0) {
    const next = pending.pop()!;
    if ('text' in next) {
      out += next.text;
      continue;
    }
    const current = next.value;
    if (current === null || typeof current !== 'object') {
      out += JSON.stringify(current) ?? 'null';
    } else if (Array.isArray(current)) {
      out += '[';
      pending.push({ text: ']' });
      for (let i = current.length - 1; i >= 0; i--) {
        pending.push({ value: current[i] === undefined ? null : current[i] });
        if (i > 0) pending.push({ text: ',' });
      }
    } else {
      const entries = Object.entries(current as Record<string, unknown>)
        .filter(([, v]) => v !== undefined)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
      out += '{';
      pending.push({ text: '}' });
      for (let i = entries.length - 1; i >= 0; i--) {
        const [key, v] = entries[i]!;
        pending.push({ value: v }, { text: `${JSON.stringify(key)}:` });
        if (i > 0) pending.push({ text: ',' });
      }
    }
  }
  return out;
}

/** What makes two requests "the same": the document as graphql-js prints it (layout and comments aside), the operation and the variables. */
export function requestHash(document: DocumentNode, operationName: string | null | undefined, variables: Record<string, unknown> | undefined): string {
  const text = canonicalJson([print(document), operationName ?? null, variables ?? {}]);
  return sha256Hex(text);
}

interface StoredKey {
  requestHash: string;
  response: { data: unknown } | null;
}

/**
 * Reserves the key inside the request's transaction, or returns the row that
 * holds it. A concurrent request with the same key waits on the primary key
 * until the first one commits (then finds its row) or rolls back (then
 * reserves it itself). An expired row is taken over.
 */
async function reserveKey(manager: EntityManager, principalKey: string, key: string, hash: string, operation: string): Promise<StoredKey | null> {
  await manager.query('SELECT purge_expired_idempotency_keys(20)');
  const reserved: unknown[] = await manager.query(
    `INSERT INTO idempotency_keys (principal_key, key, request_hash, operation) VALUES ($1, $2, $3, $4)
     ON CONFLICT (principal_key, key) DO UPDATE
        SET request_hash = EXCLUDED.request_hash, operation = EXCLUDED.operation, response = NULL, created_at = now()
      WHERE idempotency_keys.created_at < now() - make_interval(hours => $5)
     RETURNING 1`,
    [principalKey, key, hash, operation, IDEMPOTENCY_KEY_TTL_HOURS],
  );
  if (reserved.length > 0) return null;
  const rows: { request_hash: string; response: { data: unknown } | null }[] = await manager.query(
    'SELECT request_hash, response FROM idempotency_keys WHERE principal_key = $1 AND key = $2',
    [principalKey, key],
  );
  const row = rows[0];
  // Not there after a conflict: taken and released in between. Treat it as in use; the client retries.
  return row ? { requestHash: row.request_hash, response: row.response } : { requestHash: hash, response: null };
}

/** Refusals leave before execution, as 4xx (an error thrown before execution is a 500 unless its status is set). */
function refuse<E extends GraphQLError>(rc: GraphQLRequestContextDidResolveOperation<RequestContext>, status: number, error: E): E {
  rc.response.http.status = status;
  return error;
}

export const idempotencyPlugin: ApolloServerPlugin<RequestContext> = {
  async requestDidStart() {
    let reservation: { principalKey: string; key: string } | null = null;
    let replay: { data: unknown } | null = null;

    return {
      async didResolveOperation(rc) {
        const key = rc.request.http?.headers.get(IDEMPOTENCY_HEADER.toLowerCase());
        if (key === undefined || !rc.operation || rc.operation.operation !== 'mutation') return;
        if (!KEY_FORMAT.test(key)) {
          throw refuse(rc, 400, badInput(IDEMPOTENCY_HEADER, `${IDEMPOTENCY_HEADER} must be 1 to 200 letters, digits or _ - : . characters.`));
        }
        const fields = rootFieldNames(rc.operation.selectionSet, rc.document);
        const { idempotent, Mutation } = operationTable();
        const unsupported = fields.filter((f) => !idempotent.includes(f));
        if (fields.length === 0 || unsupported.length > 0) {
          throw refuse(rc, 400, badInput(
            IDEMPOTENCY_HEADER,
            `${IDEMPOTENCY_HEADER} is accepted only on mutations that create records, submitReferral and transferReferral; not on ${unsupported.join(', ') || 'this operation'}.`,
          ));
        }
        // The request's transaction is opened by its owner (request-transaction.ts), not here.
        await transactionOf(rc.contextValue)?.whenOpen();
        const access = rc.contextValue.access;
        const principalKey = principalKeyOf(access);
        // Nobody signed in: the mutation itself answers UNAUTHENTICATED.
        if (!principalKey) return;

        const hash = requestHash(rc.document, rc.request.operationName, rc.request.variables);
        let stored: StoredKey | null;
        try {
          stored = await reserveKey(rc.contextValue.manager, principalKey, key, hash, fields.join(','));
        } catch (err) {
          // The database is unreachable or restarting: nothing ran, the client retries with the same key.
          rc.logger.error(`idempotency key reservation failed: ${(err as Error)?.message}`);
          throw refuse(rc, 503, appError('SERVICE_UNAVAILABLE', 'The database could not take this request. Try again.', {}));
        }
        if (!stored) {
          reservation = { principalKey, key };
          return;
        }
        if (stored.requestHash !== hash) {
          throw refuse(rc, 422, conflict(
            'Request',
            null,
            'IDEMPOTENCY_KEY_REUSED',
            `This ${IDEMPOTENCY_HEADER} was already used for a different request. Send a new key with a new request.`,
          ));
        }
        if (!stored.response) {
          throw refuse(rc, 409, conflict('Request', null, 'IDEMPOTENCY_KEY_IN_USE', `A request with this ${IDEMPOTENCY_HEADER} is still being processed. Try again shortly.`));
        }
        // A replay checks the permission again, from the resolvers' own declarations: a role removed since takes effect.
        const denied = fields.find((f) => {
          const required = Mutation[f];
          return required !== 'signed-in' && !allowsAny(access, required ?? []);
        });
        if (denied) {
          const required = Mutation[denied];
          throw refuse(rc, 403, forbidden(Array.isArray(required) && required.length === 1 ? required[0]! : null));
        }
        replay = stored.response;
      },

      async responseForOperation() {
        if (!replay) return null;
        return {
          http: { status: undefined, headers: new HeaderMap([['idempotent-replayed', 'true']]) },
          body: { kind: 'single', singleResult: { data: replay.data as Record<string, unknown>, extensions: { idempotentReplay: true } } },
        };
      },

      async executionDidStart(rc) {
        if (!reservation) return;
        const { principalKey, key } = reservation;
        return {
          // Runs once the response is built and before willSendResponse, where the request's
          // transaction commits: the response is stored in the same transaction as the change.
          async executionDidEnd(err) {
            const body = rc.response.body;
            // A failed mutation rolls back, the reservation with it.
            if (err || body?.kind !== 'single' || body.singleResult.errors?.length) return;
            try {
              await rc.contextValue.manager.query(
                'UPDATE idempotency_keys SET response = $3 WHERE principal_key = $1 AND key = $2',
                [principalKey, key, JSON.stringify({ data: body.singleResult.data ?? null })],
              );
            } catch {
              // Not stored means not done: the error makes the request's transaction roll back.
              rc.response.body = {
                kind: 'single',
                singleResult: { data: null, errors: [{ message: 'The database could not save this request. Try again.', extensions: { code: 'SERVICE_UNAVAILABLE' } }] },
              };
              rc.response.http.status = 503;
            }
          },
        };
      },
    };
  },
};
