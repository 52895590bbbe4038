// Runs the fault tests (they stop and start the machine's PostgreSQL) in CI, or when asked for.
import { spawnSync } from 'node:child_process';

if (process.env.CI !== 'true' && process.env.SIGNPOST_FAULT_TESTS !== '1') {
  console.log('Fault tests not run: they restart PostgreSQL. CI runs them; locally set SIGNPOST_FAULT_TESTS=1.');
  process.exit(0);
}
const { status } = spawnSync('npx', ['vitest', 'run', '--config', 'vitest.faults.config.ts'], { stdio: 'inherit' });
process.exit(status ?? 1);
