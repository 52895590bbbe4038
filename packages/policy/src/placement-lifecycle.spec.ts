import { describe, expect, it } from 'vitest';
import { hasEvidence, PLACEMENT_TRANSITIONS, type PlacementFacts } from './placement-lifecycle.js';
import { allowedTargets, checkTransition, quoted, reachableTargets } from './state-machine.js';
import { PLACEMENT_STATES, type PlacementState } from './vocabulary.js';
import { PLACEMENT_STATE_LABELS } from './labels.js';

/** A status as the refusals name it: its label in quotes. */
const say = (s: keyof typeof PLACEMENT_STATE_LABELS): string => quoted(PLACEMENT_STATE_LABELS[s]);

const EDGES: Record<PlacementState, PlacementState[]> = {
  NOT_PUBLISHED: ['PUBLISHED'],
  PUBLISHED: ['VERIFIED', 'REMOVED'],
  VERIFIED: ['VERIFIED', 'REMOVED'],
  REMOVED: ['PUBLISHED', 'VERIFIED'],
};
const GOOD: PlacementFacts = { wordingAgreed: true, evidenceUrl: 'https://instagram.com/p/abc' };

describe('placement lifecycle', () => {
  it('has exactly the listed edges', () => {
    for (const from of PLACEMENT_STATES) expect([...reachableTargets(PLACEMENT_TRANSITIONS, from)].sort()).toEqual([...EDGES[from]].sort());
  });

  it('refuses every unlisted pair, naming the placement', () => {
    for (const from of PLACEMENT_STATES) {
      for (const to of PLACEMENT_STATES) {
        const r = checkTransition(PLACEMENT_TRANSITIONS, from, to, GOOD);
        expect(r.ok, `${from} -> ${to}`).toBe(EDGES[from].includes(to));
        if (!r.ok) expect(r.unmet[0]).toMatch(new RegExp(`^A placement cannot go from ${say(from)} to ${say(to)}; from ${say(from)} it can go to `));
      }
    }
  });

  it.each(['NOT_PUBLISHED', 'REMOVED'] as const)('%s -> PUBLISHED needs agreed wording and evidence', (from) => {
    expect(checkTransition(PLACEMENT_TRANSITIONS, from, 'PUBLISHED', GOOD)).toEqual({ ok: true, transition: 'publish' });
    expect(checkTransition(PLACEMENT_TRANSITIONS, from, 'PUBLISHED', { wordingAgreed: true, evidenceNote: 'Seen pinned at top' }).ok).toBe(true);

    const noWording = checkTransition(PLACEMENT_TRANSITIONS, from, 'PUBLISHED', { ...GOOD, wordingAgreed: false });
    expect(noWording).toEqual({ ok: false, unmet: ['the wording must be agreed before it is published'] });

    const noEvidence = checkTransition(PLACEMENT_TRANSITIONS, from, 'PUBLISHED', { wordingAgreed: true, evidenceUrl: '  ', evidenceNote: null });
    expect(noEvidence).toMatchObject({ ok: false, unmet: [expect.stringContaining('evidence must be given')] });

    const neither = checkTransition(PLACEMENT_TRANSITIONS, from, 'PUBLISHED', { wordingAgreed: false });
    expect(neither).toMatchObject({ ok: false, unmet: [expect.stringContaining('wording must be agreed'), expect.stringContaining('evidence must be given')] });
  });

  it.each([
    ['PUBLISHED', 'VERIFIED', 'verify'],
    ['REMOVED', 'VERIFIED', 'verify'],
    ['VERIFIED', 'VERIFIED', 'reverify'],
  ] as const)('%s -> %s needs evidence', (from, to, name) => {
    expect(checkTransition(PLACEMENT_TRANSITIONS, from, to, { wordingAgreed: false, evidenceNote: 'Auto-reply received' })).toEqual({
      ok: true,
      transition: name,
    });
    expect(checkTransition(PLACEMENT_TRANSITIONS, from, to, { wordingAgreed: true })).toEqual({
      ok: false,
      unmet: ['evidence must be given: a link to the placement (evidence URL) or a note of what was seen'],
    });
  });

  it.each(['PUBLISHED', 'VERIFIED'] as const)('%s -> REMOVED needs nothing', (from) => {
    expect(checkTransition(PLACEMENT_TRANSITIONS, from, 'REMOVED', { wordingAgreed: false })).toEqual({ ok: true, transition: 'remove' });
  });

  it('offers only what the facts allow', () => {
    expect(allowedTargets(PLACEMENT_TRANSITIONS, 'NOT_PUBLISHED', { wordingAgreed: false, evidenceUrl: 'x' })).toEqual([]);
    expect(allowedTargets(PLACEMENT_TRANSITIONS, 'PUBLISHED', { wordingAgreed: true })).toEqual(['REMOVED']);
    expect(allowedTargets(PLACEMENT_TRANSITIONS, 'REMOVED', GOOD)).toEqual(['PUBLISHED', 'VERIFIED']);
  });

  it('hasEvidence ignores blank strings', () => {
    expect(hasEvidence({ wordingAgreed: true })).toBe(false);
    expect(hasEvidence({ wordingAgreed: true, evidenceUrl: ' ', evidenceNote: '\n' })).toBe(false);
    expect(hasEvidence({ wordingAgreed: true, evidenceNote: 'seen' })).toBe(true);
  });
});
