/**
 * Signpost's command line: `npm run signpost -- <command>`.
 * Uses the same database settings as the server (DATABASE_URL or the embedded data folder).
 */
import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { Command, Option } from 'commander';
import { ROLES } from '@signpost/policy';
import { withDatabase } from './cli/with-database.js';
import { createUser, setUserRoles, UserInputError } from './modules/users/user.service.js';
import { User } from './modules/users/user.entity.js';
import { registerAuditCommands } from './cli/audit-commands.js';
import { registerServiceClientCommands } from './cli/service-client-commands.js';


const roleOption = () =>
  new Option('--role <role>', `a role (repeat for several): ${ROLES.join(', ')}`).argParser((v: string, prev: string[] = []) => [...prev, v]);

const program = new Command('signpost').description("Signpost's administration commands").showHelpAfterError();
const user = program.command('user').description('manage people who sign in');

user
  .command('create')
  .description('create a user with a password (prompt-free: pass --password, or one is generated and printed)')
  .requiredOption('--email <email>', 'their email, which is also their sign-in name')
  .option('--name <name>', 'their display name')
  .addOption(roleOption().makeOptionMandatory())
  .option('--password <password>', 'at least 12 characters; omit to generate one')
  .action(async (opts: { email: string; name?: string; role: string[]; password?: string }) => {
    const generated = opts.password ? null : randomBytes(15).toString('base64url');
    const created = await withDatabase((db) =>
      db.dataSource.transaction((m) =>
        createUser(m, { email: opts.email, displayName: opts.name ?? opts.email, roles: opts.role, password: opts.password ?? generated }),
      ),
    );
    console.log(`Created ${created.email} with roles ${created.roles.join(', ')}.`);
    if (generated) console.log(`Password: ${generated}`);
  });

user
  .command('roles')
  .description("replace a user's roles")
  .requiredOption('--email <email>')
  .addOption(roleOption().makeOptionMandatory())
  .action(async (opts: { email: string; role: string[] }) => {
    const updated = await withDatabase((db) => db.dataSource.transaction((m) => setUserRoles(m, opts.email, opts.role)));
    console.log(`${updated.email} now has roles ${updated.roles.join(', ') || '(none)'}.`);
  });

user
  .command('disable')
  .description('stop a user signing in and end their sessions')
  .requiredOption('--email <email>')
  .action(async (opts: { email: string }) => {
    await withDatabase((db) =>
      db.dataSource.transaction(async (m) => {
        const found = await m.findOneBy(User, { email: opts.email.trim().toLowerCase() });
        if (!found) throw new UserInputError(`No user has email ${opts.email}.`);
        await m.update(User, { id: found.id }, { disabled: true });
        await m.query('DELETE FROM sessions WHERE user_id = $1', [found.id]);
      }),
    );
    console.log(`${opts.email} can no longer sign in.`);
  });

user
  .command('list')
  .description('list users and their roles')
  .action(async () => {
    const users = await withDatabase((db) => db.dataSource.getRepository(User).find({ order: { email: 'ASC' } }));
    for (const u of users) console.log(`${u.email}\t${u.roles.join(',')}${u.disabled ? '\t(disabled)' : ''}`);
  });

program
  .command('migrate')
  .description('run pending database migrations (the server also does this at start-up)')
  .action(async () => {
    await withDatabase(async () => undefined);
    console.log('The database is up to date.');
  });

registerAuditCommands(program);
registerServiceClientCommands(program);

try {
  await program.parseAsync();
} catch (err) {
  console.error(err instanceof UserInputError || err instanceof Error ? err.message : String(err));
  process.exit(1);
}
