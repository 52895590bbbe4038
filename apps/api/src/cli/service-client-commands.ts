import { Option, type Command } from 'commander';
import { SERVICE_SCOPES, serviceClientActive, serviceClientNeedsApproval, type AuditAction } from '@signpost/policy';
import { withDatabase } from './with-database.js';
import { UserInputError } from '../modules/users/user.service.js';
import { ServiceClient } from '../modules/service-clients/service-client.entity.js';
import { insertServiceClient, markRevoked, parseScopes, SERVICE_CLIENT_NAME } from '../modules/service-clients/service-client.service.js';
import type { EntityManager } from 'typeorm';
import { audit } from '../common/audit.js';
import { systemContext } from '../common/context.js';
import { loadConfig } from '../config.js';

const scopeOption = () =>
  new Option('--scope <scope>', `a scope (repeat for several): ${SERVICE_SCOPES.join(', ')}`)
    .argParser((v: string, prev: string[] = []) => [...prev, v])
    .makeOptionMandatory();

const when = (d: Date | null): string => (d ? d.toISOString().replace(/\.\d+Z$/, 'Z') : '-');

/** `signpost service-client create|revoke|list`: bearer tokens for other university services. */
export function registerServiceClientCommands(program: Command): void {
  const group = program.command('service-client').description('manage other services that call the API with a bearer token');

  group
    .command('create')
    .description('create a service client and print its token (shown once: only its hash is kept)')
    .requiredOption('--name <name>', 'a unique name, e.g. "Student Union portal"')
    .addOption(scopeOption())
    .action(async (opts: { name: string; scope: string[] }) => {
      // Refused before the database is opened (checked again inside, as for the GraphQL mutation).
      parseScopes(opts.scope);
      if (!SERVICE_CLIENT_NAME.test(opts.name.trim())) throw new UserInputError('A service client name is 1 to 100 letters, digits, spaces, dots, dashes or underscores.');
      const { client, token } = await withDatabase((db) =>
        db.dataSource.transaction(async (m) => {
          const created = await insertServiceClient(m, { name: opts.name, scopes: opts.scope, createdBy: null });
          await recordCliEvent(m, 'serviceClient.create', created.client.id, { scopes: created.client.scopes });
          return created;
        }),
      );
      console.log(`Created service client ${client.name} (${client.id}) with scopes ${client.scopes.join(', ')}.`);
      console.log(`Token (shown once; store it now and send it as "Authorization: Bearer <token>"):`);
      console.log(token);
      if (serviceClientNeedsApproval(client.scopes)) {
        console.log('It reads referrals, so the token works only once an administrator approves it (approveServiceClient in GraphQL).');
      }
    });

  group
    .command('revoke')
    .description("stop a service client's token working, at once")
    .requiredOption('--name <name>')
    .action(async (opts: { name: string }) => {
      const result = await withDatabase((db) =>
        db.dataSource.transaction(async (m) => {
          const r = await markRevoked(m, { name: opts.name });
          if (!r) throw new UserInputError(`No service client is named ${opts.name}.`);
          if (r.changed) await recordCliEvent(m, 'serviceClient.revoke', r.client.id);
          return r;
        }),
      );
      console.log(result.changed ? `Revoked ${result.client.name}; its token no longer works.` : `${result.client.name} was already revoked.`);
    });

  group
    .command('list')
    .description('list service clients: name, token prefix, scopes, created, last used, revoked')
    .action(async () => {
      const clients = await withDatabase((db) =>
        db.dataSource.getRepository(ServiceClient).find({ order: { name: 'ASC' } }),
      );
      for (const c of clients) {
        console.log([c.name, `${c.tokenPrefix}…`, c.scopes.join(','), `created ${when(c.createdAt)}`, `last used ${when(c.lastUsedAt)}`, c.revokedAt ? `revoked ${when(c.revokedAt)}` : serviceClientActive(c) ? 'active' : 'awaiting approval'].join('\t'));
      }
      if (clients.length === 0) console.log('No service clients yet.');
    });
}

/** The command line has no signed-in person: its audit events are the system's, in the command's transaction. */
function recordCliEvent(manager: EntityManager, action: AuditAction, entityId: string, details: Record<string, unknown> = {}): Promise<void> {
  return audit(systemContext(manager, loadConfig(), 'cli'), { action, entityType: 'ServiceClient', entityId, details });
}
