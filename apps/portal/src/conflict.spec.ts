import { describe, expect, it } from 'vitest';
import { ref } from 'vue';
import { ERROR_MESSAGES } from '@signpost/policy';
import { keepTyped, useConflict } from './conflict.js';
import { unmetOnFields, type Problem } from './forms.js';

describe('a CONFLICT, and the reload that keeps what was typed', () => {
  it('catches only a CONFLICT, says so in the summary, and clears it once reloaded', async () => {
    const problems = ref<Problem[]>([]);
    const c = useConflict(problems);
    expect(c.caught([{ message: 'Enter the wording', extensions: { code: 'BAD_USER_INPUT' } }])).toBe(false);
    expect(c.conflict.value).toBe(false);
    expect(problems.value).toEqual([]);
    expect(c.caught([{ message: 'stale', extensions: { code: 'CONFLICT' } }])).toBe(true);
    expect(c.conflict.value).toBe(true);
    expect(problems.value).toEqual([{ message: ERROR_MESSAGES.CONFLICT }]);
    await c.settled();
    expect([c.conflict.value, c.reloaded.value, problems.value]).toEqual([false, true, []]);
  });

  it('takes the saved value where the person typed nothing new, keeps theirs where they did, and notes the other value in words', () => {
    const set: [string, string][] = [];
    const notes = keepTyped({
      keys: ['handle', 'name', 'affiliation', 'notes'] as const,
      was: { handle: '@a', name: 'Ann', affiliation: 'UNKNOWN', notes: 'old' },
      now: { handle: '@a2', name: 'Anne', affiliation: 'STUDENT', notes: '' },
      typed: { handle: '@a ', name: 'Annie', affiliation: 'STAFF', notes: 'mine' },
      set: (k, v) => set.push([k, v]),
      shown: (k) => (k === 'affiliation' ? 'Student' : k),
    });
    expect(set).toEqual([['handle', '@a2']]);
    expect(notes).toEqual({ name: 'Someone else saved this as: name', affiliation: 'Someone else saved this as: Student', notes: 'Someone else cleared this.' });
  });

  it("puts each unmet condition of a refused move on its field, and leaves other errors as they are", () => {
    const other = { message: 'Not found', extensions: { code: 'NOT_FOUND' } };
    const refused = { message: 'no', extensions: { code: 'TRANSITION_NOT_ALLOWED', unmet: ['Pinned message: needs evidence', 'Pinned message: not agreed'] } };
    const bare = { message: 'no reasons', extensions: { code: 'TRANSITION_NOT_ALLOWED' } };
    expect(unmetOnFields([other, refused, bare], (u) => (/evidence/.test(u) ? 'input.evidenceUrl' : 'input.state'), (u) => u.replace('Pinned message: ', ''))).toEqual([
      other,
      { message: 'needs evidence', extensions: { code: 'BAD_USER_INPUT', field: 'input.evidenceUrl' } },
      { message: 'not agreed', extensions: { code: 'BAD_USER_INPUT', field: 'input.state' } },
      bare,
    ]);
  });
});
