import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { accessOf, ROLES } from '@signpost/policy';
import { databaseSettings } from './database-context.js';

const SRC = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return ['testing', 'generated', 'seed', 'migrations'].includes(name) ? [] : sourceFiles(full);
    return name.endsWith('.ts') && !/spec\.ts$/.test(name) ? [full] : [];
  });
}

describe('one source for each rule', () => {
  it('the API compares no role strings: what a role may do is asked of the policy package', () => {
    const role = `(?:${ROLES.join('|')})`;
    const comparison = new RegExp(`(?:[!=]==\\s*'${role}'|'${role}'\\s*[!=]==|\\.includes\\('${role}'\\)|case '${role}':)`);
    // What this issue removed from group.service.ts and user.service.ts is what it must catch.
    expect(comparison.test("user.roles.some((r) => r === 'SOCIAL_MEDIA_OFFICER' || r === 'SOCIAL_MEDIA_LEAD')")).toBe(true);
    expect(comparison.test("!roles.includes('ADMIN')")).toBe(true);
    const offenders = sourceFiles(SRC).filter((f) => comparison.test(readFileSync(f, 'utf8'))).map((f) => path.relative(SRC, f));
    expect(offenders).toEqual([]);
  });

  it('the database settings of a request are its access, copied, not derived again', () => {
    for (const principal of [
      { kind: 'user' as const, id: '6f1c2f0e-6a2b-4a53-9d0a-0d7b8f0f4d11', roles: ['HR' as const, 'SOCIAL_MEDIA_OFFICER' as const], scopes: [] },
      { kind: 'service' as const, id: '7f1c2f0e-6a2b-4a53-9d0a-0d7b8f0f4d11', roles: [], scopes: ['referrals:read:LEGAL' as const] },
      { kind: 'anonymous' as const, id: null, roles: [], scopes: [] },
    ]) {
      const access = accessOf(principal);
      expect(databaseSettings(access)).toEqual({
        'app.user_id': principal.kind === 'user' ? principal.id : '',
        'app.service_id': principal.kind === 'service' ? principal.id : '',
        'app.permissions': [...access.permissions].join(','),
        'app.referral_scope': access.referralScope,
        'app.read_teams': access.readTeams.join(','),
        'app.act_teams': access.actTeams.join(','),
        'app.note_teams': access.noteTeams.join(','),
      });
    }
  });
});
