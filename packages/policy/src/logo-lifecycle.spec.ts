import { describe, expect, it } from 'vitest';
import { LOGO_TRANSITIONS, logoInUse } from './logo-lifecycle.js';
import { allowedTargets, checkTransition, quoted, reachableTargets } from './state-machine.js';
import { LOGO_STATUSES, type LogoStatus } from './vocabulary.js';
import { LOGO_STATUS_LABELS } from './labels.js';

/** A status as the refusals name it: its label in quotes. */
const say = (s: keyof typeof LOGO_STATUS_LABELS): string => quoted(LOGO_STATUS_LABELS[s]);

const EDGES: Record<LogoStatus, LogoStatus[]> = {
  NOT_USED: ['IN_USE'],
  IN_USE: ['REMOVAL_REQUESTED', 'REMOVAL_VERIFIED'],
  REMOVAL_REQUESTED: ['REMOVAL_VERIFIED', 'REFUSED'],
  REMOVAL_VERIFIED: ['IN_USE'],
  REFUSED: ['REMOVAL_REQUESTED', 'REMOVAL_VERIFIED'],
};

describe('logo lifecycle', () => {
  it('has exactly the listed edges', () => {
    for (const from of LOGO_STATUSES) expect([...reachableTargets(LOGO_TRANSITIONS, from)].sort()).toEqual([...EDGES[from]].sort());
  });

  it('allows every listed pair (with evidence) and refuses the rest, naming the logo', () => {
    for (const from of LOGO_STATUSES) {
      for (const to of LOGO_STATUSES) {
        const r = checkTransition(LOGO_TRANSITIONS, from, to, { evidence: true });
        expect(r.ok, `${from} -> ${to}`).toBe(EDGES[from].includes(to));
        if (!r.ok) expect(r.unmet[0]).toMatch(new RegExp(`^A logo cannot go from ${say(from)} to ${say(to)}; from ${say(from)} it can go to `));
      }
      expect([...allowedTargets(LOGO_TRANSITIONS, from, { evidence: true })].sort()).toEqual([...EDGES[from]].sort());
    }
  });

  it.each(['IN_USE', 'REMOVAL_REQUESTED', 'REFUSED'] as const)('%s -> REMOVAL_VERIFIED needs evidence; nothing else does', (from) => {
    expect(checkTransition(LOGO_TRANSITIONS, from, 'REMOVAL_VERIFIED', {})).toEqual({
      ok: false,
      unmet: ['evidence must be given that the logo was removed: a link to the page or a note of what was checked'],
    });
    expect(checkTransition(LOGO_TRANSITIONS, from, 'REMOVAL_VERIFIED', { evidence: true })).toEqual({ ok: true, transition: 'verifyRemoval' });
    for (const to of EDGES[from].filter((t) => t !== 'REMOVAL_VERIFIED')) expect(checkTransition(LOGO_TRANSITIONS, from, to, {}).ok).toBe(true);
  });

  it('a logo once in use is never "not used" again', () => {
    expect(checkTransition(LOGO_TRANSITIONS, 'IN_USE', 'NOT_USED', {})).toEqual({
      ok: false,
      unmet: ['A logo cannot go from ‘In use’ to ‘Not used’; from ‘In use’ it can go to ‘Removal requested’ or ‘Removal verified’'],
    });
  });

  it('logoInUse is true while the logo is still shown', () => {
    const expected: Record<LogoStatus, boolean> = {
      NOT_USED: false,
      IN_USE: true,
      REMOVAL_REQUESTED: true,
      REMOVAL_VERIFIED: false,
      REFUSED: true,
    };
    for (const s of LOGO_STATUSES) expect(logoInUse(s), s).toBe(expected[s]);
  });
});
