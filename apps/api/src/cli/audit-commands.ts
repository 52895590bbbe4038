import type { Command } from 'commander';
import { withDatabase } from './with-database.js';
import { parseAnchor, verifyAuditChain, type ChainAnchor } from '../modules/audit/audit-chain.js';

/** Exit status of `audit verify` when the chain is broken (1 is any other failure). */
export const EXIT_CHAIN_BROKEN = 2;

/** `signpost audit ...` */
export function registerAuditCommands(program: Command): void {
  const auditCommand = program.command('audit').description('the audit trail');

  auditCommand
    .command('verify')
    .description('recompute the audit trail\'s hash chain; exits 2 and names the first broken event if it was changed')
    .option('--anchor <seq:hash>', 'a head printed by an earlier run (kept elsewhere): fails if that event is gone or different')
    .option('--json', 'print the result as JSON')
    .action(async (opts: { anchor?: string; json?: boolean }) => {
      let anchor: ChainAnchor | undefined;
      if (opts.anchor !== undefined) {
        anchor = parseAnchor(opts.anchor) ?? undefined;
        if (!anchor) throw new Error('--anchor takes <seq>:<hash> as printed by `audit verify`, e.g. 42:9f86d0…');
      }
      // One snapshot: events written meanwhile neither appear halfway nor break the check.
      const status = await withDatabase(async (db) => {
        // Events appended and not yet chained (a server stopped before its sealer ran) are chained first.
        const sealed = await db.auditSealer.sealNow();
        if (sealed > 0 && !opts.json) console.log(`Sealed ${sealed} audit event${sealed === 1 ? '' : 's'} that had been appended but not yet chained.`);
        return db.dataSource.transaction('REPEATABLE READ', (m) => verifyAuditChain(m, { anchor }));
      });
      if (opts.json) console.log(JSON.stringify(status));
      else if (status.ok) {
        console.log(
          status.events === 0
            ? 'Audit trail OK: no events yet.'
            : `Audit trail OK: ${status.events} events, chain intact. Head: ${status.headSeq}:${status.headHash}`,
        );
      } else {
        console.log(
          `Audit trail BROKEN at seq ${status.firstBrokenSeq} (${status.reason}): ${status.explanation} ` +
            (status.events === 1 ? '1 event before it is intact.' : `${status.events} events before it are intact.`),
        );
      }
      if (!status.ok) process.exitCode = EXIT_CHAIN_BROKEN;
    });
}
