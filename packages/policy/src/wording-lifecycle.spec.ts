import { describe, expect, it } from 'vitest';
import { allowedTargets, checkTransition, reachableTargets } from './state-machine.js';
import { WORDING_STATUSES, type WordingStatus } from './vocabulary.js';
import { checkWording } from './wording-check.js';
import { WORDING_TRANSITIONS, type WordingFacts } from './wording-lifecycle.js';

const EDGES: Record<WordingStatus, WordingStatus[]> = {
  DRAFT: ['DRAFT', 'PROPOSED', 'AGREED'],
  PROPOSED: ['PROPOSED', 'AGREED'],
  AGREED: ['SUPERSEDED'],
  SUPERSEDED: [],
};
const GOOD: WordingFacts = { checkPasses: true, hasText: true };

describe('wording lifecycle', () => {
  it('has exactly the listed edges', () => {
    for (const from of WORDING_STATUSES) expect(reachableTargets(WORDING_TRANSITIONS, from)).toEqual(EDGES[from]);
  });

  it('refuses every unlisted pair, naming the wording agreement', () => {
    for (const from of WORDING_STATUSES) {
      for (const to of WORDING_STATUSES) {
        const r = checkTransition(WORDING_TRANSITIONS, from, to, GOOD);
        expect(r.ok, `${from} -> ${to}`).toBe(EDGES[from].includes(to));
        if (!r.ok) expect(r.unmet).toMatch(new RegExp(`^A wording agreement cannot go from ${from} to ${to}; `));
      }
    }
    const r = checkTransition(WORDING_TRANSITIONS, 'SUPERSEDED', 'AGREED', GOOD);
    expect(r).toMatchObject({ unmet: expect.stringContaining('SUPERSEDED is a final status') });
  });

  it('a draft can be edited even without text', () => {
    expect(checkTransition(WORDING_TRANSITIONS, 'DRAFT', 'DRAFT', { checkPasses: false, hasText: false })).toEqual({
      ok: true,
      transition: 'editDraft',
    });
  });

  it('proposing needs text', () => {
    expect(checkTransition(WORDING_TRANSITIONS, 'DRAFT', 'PROPOSED', { checkPasses: false, hasText: true }).ok).toBe(true);
    expect(checkTransition(WORDING_TRANSITIONS, 'DRAFT', 'PROPOSED', { checkPasses: false, hasText: false })).toEqual({
      ok: false,
      unmet: 'the wording must have some text before it is proposed',
    });
  });

  it('a new proposed version needs text', () => {
    expect(checkTransition(WORDING_TRANSITIONS, 'PROPOSED', 'PROPOSED', { checkPasses: false, hasText: true })).toEqual({
      ok: true,
      transition: 'proposeNewVersion',
    });
    expect(checkTransition(WORDING_TRANSITIONS, 'PROPOSED', 'PROPOSED', { checkPasses: true, hasText: false })).toMatchObject({
      ok: false,
      unmet: expect.stringContaining('text'),
    });
  });

  it.each(['DRAFT', 'PROPOSED'] as const)('%s -> AGREED needs the wording check to pass', (from) => {
    expect(checkTransition(WORDING_TRANSITIONS, from, 'AGREED', GOOD)).toEqual({ ok: true, transition: 'agree' });
    const r = checkTransition(WORDING_TRANSITIONS, from, 'AGREED', { checkPasses: false, hasText: true });
    expect(r).toMatchObject({ ok: false, unmet: expect.stringMatching(/^the wording check must pass: /) });
  });

  it('names the missing elements when they are given', () => {
    const check = checkWording('Need help? Call Samaritans on 116 123.');
    const r = checkTransition(WORDING_TRANSITIONS, 'PROPOSED', 'AGREED', {
      checkPasses: check.passes,
      hasText: true,
      missing: check.missing,
    });
    expect(r).toEqual({
      ok: false,
      unmet:
        'the wording check must pass: it still needs a university support or reporting link, a statement that the page does not represent the university and a statement of how user data is handled',
    });
  });

  it('an agreed wording can only be superseded', () => {
    expect(checkTransition(WORDING_TRANSITIONS, 'AGREED', 'SUPERSEDED', { checkPasses: false, hasText: false })).toEqual({
      ok: true,
      transition: 'supersede',
    });
    expect(allowedTargets(WORDING_TRANSITIONS, 'AGREED', GOOD)).toEqual(['SUPERSEDED']);
  });

  it('offers only what the facts allow', () => {
    expect(allowedTargets(WORDING_TRANSITIONS, 'DRAFT', { checkPasses: false, hasText: true })).toEqual(['DRAFT', 'PROPOSED']);
    expect(allowedTargets(WORDING_TRANSITIONS, 'PROPOSED', GOOD)).toEqual(['PROPOSED', 'AGREED']);
  });
});
