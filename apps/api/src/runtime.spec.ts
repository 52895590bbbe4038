import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SERVER_NODE_FLAGS } from './runtime.js';

describe('the server runtime flags', () => {
  it('are the ones `npm start` runs the server with', () => {
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { scripts: { start: string } };
    for (const flag of SERVER_NODE_FLAGS) expect(pkg.scripts.start.split(/\s+/)).toContain(flag);
  });
});
