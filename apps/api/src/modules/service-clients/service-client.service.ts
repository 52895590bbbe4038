import type { EntityManager } from 'typeorm';
import { isOneOf, SERVICE_SCOPES, serviceClientApprovalUnmet, type ServiceScope } from '@signpost/policy';
import type { RequestContext } from '../../common/context.js';
import { audit } from '../../common/audit.js';
import { badInputs, forbidden, notFound, transitionNotAllowed } from '../../common/errors.js';
import { requireId } from '../../common/ids.js';
import { newServiceToken } from '../../auth/service-token.js';
import { UserInputError } from '../users/user.service.js';
import { ServiceClient } from './service-client.entity.js';
import type { ApproveServiceClientInput, CreateServiceClientInput, RevokeServiceClientInput } from './dto/service-client.inputs.js';

export interface CreatedServiceClient {
  client: ServiceClient;
  /** The bearer token: returned once, never stored. */
  token: string;
}

/** Names are how people and the audit trail tell services apart: one line, no surprises. */
export const SERVICE_CLIENT_NAME = /^[A-Za-z0-9][A-Za-z0-9 ._-]{0,99}$/;

/** Unknown scopes are refused with the list of valid ones; duplicates are dropped. */
export function parseScopes(scopes: readonly string[]): ServiceScope[] {
  const unique = [...new Set(scopes.map((s) => s.trim()).filter(Boolean))];
  const unknown = unique.filter((s) => !isOneOf(SERVICE_SCOPES, s));
  if (unknown.length) throw UserInputError.of([{ field: 'input.scopes', message: `Unknown scope ${unknown.join(', ')}. Scopes are: ${SERVICE_SCOPES.join(', ')}.` }]);
  if (unique.length === 0) throw UserInputError.of([{ field: 'input.scopes', message: `Give at least one scope: ${SERVICE_SCOPES.join(', ')}.` }]);
  return unique as ServiceScope[];
}

/**
 * Creates a client and its token. Shared by the CLI (no request, `createdBy`
 * null) and the GraphQL mutation. A name is never reused, even after
 * revocation, so the audit trail's `service:<id>` always maps to one name.
 */
export async function insertServiceClient(
  manager: EntityManager,
  input: { name: string; scopes: readonly string[]; createdBy: string | null },
): Promise<CreatedServiceClient> {
  const name = input.name.trim();
  if (!SERVICE_CLIENT_NAME.test(name)) {
    throw UserInputError.of([{ field: 'input.name', message: 'A service client name is 1 to 100 letters, digits, spaces, dots, dashes or underscores, starting with a letter or digit.' }]);
  }
  const scopes = parseScopes(input.scopes);
  if (await manager.existsBy(ServiceClient, { name })) throw UserInputError.of([{ field: 'input.name', message: `A service client named ${name} already exists (names are never reused).` }]);
  const { token, hash, prefix } = newServiceToken();
  const rows: { id: string }[] = await manager.query(
    'INSERT INTO service_clients (name, scopes, token_hash, token_prefix, created_by) VALUES ($1, $2, $3, $4, $5) RETURNING id',
    [name, scopes, hash, prefix, input.createdBy],
  );
  const client = await manager.findOneByOrFail(ServiceClient, { id: rows[0]!.id });
  return { client, token };
}

/** Revokes by id or name; revoking a revoked client changes nothing. Returns the client and whether it changed. */
export async function markRevoked(manager: EntityManager, where: { id: string } | { name: string }): Promise<{ client: ServiceClient; changed: boolean } | null> {
  const column = 'id' in where ? 'id' : 'name';
  const value = 'id' in where ? where.id : where.name.trim();
  const updated: { id: string }[] = await manager.query(
    // As a SELECT, so the driver returns plain rows (TypeORM wraps a bare UPDATE's result).
    `WITH revoked AS (UPDATE service_clients SET revoked_at = now() WHERE ${column} = $1 AND revoked_at IS NULL RETURNING id) SELECT id FROM revoked`,
    [value],
  );
  const client = await manager.findOneBy(ServiceClient, { [column]: value });
  return client ? { client, changed: updated.length > 0 } : null;
}

export function listServiceClients(ctx: RequestContext): Promise<ServiceClient[]> {
  // Active first, then by name: what an administrator looks for.
  return ctx.manager
    .createQueryBuilder(ServiceClient, 'c')
    .orderBy('c.revoked_at IS NULL', 'DESC')
    .addOrderBy('c.name', 'ASC')
    .getMany();
}

export async function createServiceClient(ctx: RequestContext, input: CreateServiceClientInput): Promise<CreatedServiceClient> {
  let created: CreatedServiceClient;
  try {
    created = await insertServiceClient(ctx.manager, { name: input.name, scopes: input.scopes, createdBy: ctx.user?.id ?? null });
  } catch (err) {
    if (err instanceof UserInputError) throw badInputs(err.fields.length > 0 ? err.fields : [{ field: 'input', message: err.message }]);
    throw err;
  }
  await audit(ctx, { action: 'serviceClient.create', entityType: 'ServiceClient', entityId: created.client.id, details: { scopes: created.client.scopes } });
  return created;
}

export async function revokeServiceClient(ctx: RequestContext, input: RevokeServiceClientInput): Promise<ServiceClient> {
  const result = await markRevoked(ctx.manager, { id: requireId(input.id, 'input.id') });
  if (!result) throw notFound('Service client');
  if (result.changed) await audit(ctx, { action: 'serviceClient.revoke', entityType: 'ServiceClient', entityId: result.client.id });
  return result.client;
}

/**
 * A second administrator approves a client that reads referrals; its token
 * works from then on. The one who created it may not (policy
 * `serviceClientApprovalUnmet`): FORBIDDEN; a client that needs no approval,
 * is approved already or revoked: TRANSITION_NOT_ALLOWED.
 */
export async function approveServiceClient(ctx: RequestContext, input: ApproveServiceClientInput): Promise<ServiceClient> {
  // Locked to the end of the request: of two approvals at once, the second waits and finds it approved.
  const client = await ctx.manager.findOne(ServiceClient, { where: { id: requireId(input.id, 'input.id') }, lock: { mode: 'pessimistic_write' } });
  if (!client) throw notFound('Service client');
  const approver = ctx.access.principalId!;
  const unmet = serviceClientApprovalUnmet(client, approver);
  if (client.createdBy === approver) throw forbidden(null, 'SEPARATION_OF_DUTIES', 'A second administrator must approve this service client: you created it.');
  if (unmet.length > 0) throw transitionNotAllowed('Service client', null, null, unmet, 'approveServiceClient');
  await ctx.manager.query('UPDATE service_clients SET approved_at = now(), approved_by = $2 WHERE id = $1 AND approved_at IS NULL', [client.id, approver]);
  await audit(ctx, { action: 'serviceClient.approve', entityType: 'ServiceClient', entityId: client.id, details: { scopes: client.scopes } });
  return ctx.manager.findOneByOrFail(ServiceClient, { id: client.id });
}
