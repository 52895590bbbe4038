import { describe, expect, it } from 'vitest';
import { allowedTargets, checkTransition, quoted, reachableTargets } from './state-machine.js';
import { WORDING_STATUSES, type WordingStatus } from './vocabulary.js';
import { checkWording } from './wording-check.js';
import { checkWordingAction, WORDING_TRANSITIONS, wordingActions, type WordingFacts } from './wording-lifecycle.js';
import { accessOf } from './principal.js';
import { WORDING_STATUS_LABELS } from './labels.js';

/** A status as the refusals name it: its label in quotes. */
const say = (s: keyof typeof WORDING_STATUS_LABELS): string => quoted(WORDING_STATUS_LABELS[s]);

const EDGES: Record<WordingStatus, WordingStatus[]> = {
  DRAFT: ['DRAFT', 'PROPOSED', 'AGREED'],
  PROPOSED: ['PROPOSED', 'AGREED'],
  AGREED: ['SUPERSEDED'],
  SUPERSEDED: [],
};
const GOOD: WordingFacts = { checkPasses: true, hasText: true, positionExplained: true, wordingRequested: true };

describe('wording lifecycle', () => {
  it('has exactly the listed edges', () => {
    for (const from of WORDING_STATUSES) expect(reachableTargets(WORDING_TRANSITIONS, from)).toEqual(EDGES[from]);
  });

  it('refuses every unlisted pair, naming the wording agreement', () => {
    for (const from of WORDING_STATUSES) {
      for (const to of WORDING_STATUSES) {
        const r = checkTransition(WORDING_TRANSITIONS, from, to, GOOD);
        expect(r.ok, `${from} -> ${to}`).toBe(EDGES[from].includes(to));
        if (!r.ok) expect(r.unmet[0]).toMatch(new RegExp(`^A wording agreement cannot go from ${say(from)} to ${say(to)}; `));
      }
    }
    const r = checkTransition(WORDING_TRANSITIONS, 'SUPERSEDED', 'AGREED', GOOD);
    expect(r).toMatchObject({ unmet: [expect.stringContaining('‘Superseded’ is a final status')] });
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
      unmet: ['the wording must have some text before it is proposed'],
    });
  });

  it('a new proposed version needs text', () => {
    expect(checkTransition(WORDING_TRANSITIONS, 'PROPOSED', 'PROPOSED', { checkPasses: false, hasText: true })).toEqual({
      ok: true,
      transition: 'proposeNewVersion',
    });
    expect(checkTransition(WORDING_TRANSITIONS, 'PROPOSED', 'PROPOSED', { checkPasses: true, hasText: false })).toMatchObject({
      ok: false,
      unmet: [expect.stringContaining('text')],
    });
  });

  it.each(['DRAFT', 'PROPOSED'] as const)('%s -> AGREED needs the wording check to pass', (from) => {
    expect(checkTransition(WORDING_TRANSITIONS, from, 'AGREED', GOOD)).toEqual({ ok: true, transition: 'agree' });
    const r = checkTransition(WORDING_TRANSITIONS, from, 'AGREED', { ...GOOD, checkPasses: false });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.unmet).toHaveLength(4);
      for (const u of r.unmet) expect(u).toMatch(/^the wording check must pass: it still needs /);
    }
  });

  it('names the missing elements when they are given', () => {
    const check = checkWording('Need help? Call Samaritans on 116 123.');
    const r = checkTransition(WORDING_TRANSITIONS, 'PROPOSED', 'AGREED', { ...GOOD, checkPasses: check.passes, missing: check.missing });
    expect(r).toEqual({
      ok: false,
      unmet: [
        'the wording check must pass: it still needs a university support or reporting link',
        'the wording check must pass: it still needs a statement that the page does not represent the university',
        'the wording check must pass: it still needs a statement of how user data is handled',
      ],
    });
  });

  it("cannot be agreed before a contact explained the university's position and asked for wording", () => {
    const r = checkTransition(WORDING_TRANSITIONS, 'PROPOSED', 'AGREED', { checkPasses: true, hasText: true });
    expect(r).toMatchObject({ ok: false, unmet: [expect.stringContaining('POSITION_EXPLAINED'), expect.stringContaining('WORDING_REQUESTED')] });
    expect(checkTransition(WORDING_TRANSITIONS, 'PROPOSED', 'AGREED', { ...GOOD, wordingRequested: false })).toMatchObject({
      unmet: [expect.stringContaining('ask the administrators for signposting wording')],
    });
  });

  it('an agreed wording can only be superseded', () => {
    expect(checkTransition(WORDING_TRANSITIONS, 'AGREED', 'SUPERSEDED', { checkPasses: false, hasText: false })).toEqual({
      ok: true,
      transition: 'supersede',
    });
    expect(allowedTargets(WORDING_TRANSITIONS, 'AGREED', GOOD)).toEqual(['SUPERSEDED']);
  });

  it('actions: the lead approves, the officer proposes versions; nothing once agreed, or on a closed group', () => {
    const officer = accessOf({ kind: 'user', id: 'o', roles: ['SOCIAL_MEDIA_OFFICER'], scopes: [] });
    const lead = accessOf({ kind: 'user', id: 'l', roles: ['SOCIAL_MEDIA_LEAD'], scopes: [] });
    const open: { status: WordingStatus; groupClosed: boolean; facts: WordingFacts } = { status: 'PROPOSED', groupClosed: false, facts: GOOD };
    const allowed = (a: typeof officer, agreement: typeof open) => wordingActions(a, agreement).filter((x) => x.allowed).map((x) => x.action);
    expect(allowed(lead, open)).toEqual(['proposeVersion', 'approve']);
    expect(allowed(officer, open)).toEqual(['proposeVersion']);
    expect(checkWordingAction(officer, 'approve', open)).toMatchObject({ refusedBy: 'role', unmet: ['your role does not allow you to approve signposting wording'] });
    expect(allowed(lead, { ...open, status: 'AGREED' })).toEqual([]);
    expect(checkWordingAction(lead, 'approve', { ...open, groupClosed: true }).unmet).toEqual(['the group is closed; reopen it first']);
  });

  it('offers only what the facts allow', () => {
    expect(allowedTargets(WORDING_TRANSITIONS, 'DRAFT', { checkPasses: false, hasText: true })).toEqual(['DRAFT', 'PROPOSED']);
    expect(allowedTargets(WORDING_TRANSITIONS, 'PROPOSED', GOOD)).toEqual(['PROPOSED', 'AGREED']);
  });
});
