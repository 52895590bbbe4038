import { describe, expect, it } from 'vitest';
import {
  canTransferReferral,
  REFERRAL_STATUS_AFTER_TRANSFER,
  REFERRAL_TRANSITIONS,
  type ReferralFacts,
} from './referral-lifecycle.js';
import { allowedTargets, checkTransition, reachableTargets } from './state-machine.js';
import { REFERRAL_OUTCOMES, REFERRAL_STATUSES, TEAMS, type ReferralOutcome, type ReferralStatus, type Team } from './vocabulary.js';

const EDGES: Record<ReferralStatus, ReferralStatus[]> = {
  DRAFT: ['SUBMITTED'],
  SUBMITTED: ['ACKNOWLEDGED'],
  ACKNOWLEDGED: ['IN_PROGRESS', 'CLOSED'],
  IN_PROGRESS: ['CLOSED'],
  CLOSED: [],
};
const GOOD: ReferralFacts = { hasSummary: true, outcome: 'ACTION_TAKEN' };

describe('referral lifecycle', () => {
  it('has exactly the listed edges', () => {
    for (const from of REFERRAL_STATUSES) expect(reachableTargets(REFERRAL_TRANSITIONS, from)).toEqual(EDGES[from]);
  });

  it('refuses every unlisted pair, naming the referral', () => {
    for (const from of REFERRAL_STATUSES) {
      for (const to of REFERRAL_STATUSES) {
        const r = checkTransition(REFERRAL_TRANSITIONS, from, to, GOOD);
        expect(r.ok, `${from} -> ${to}`).toBe(EDGES[from].includes(to));
        if (!r.ok && !(from === 'SUBMITTED' && to === 'CLOSED')) {
          expect(r.unmet).toMatch(new RegExp(`^A referral cannot go from ${from} to ${to}; `));
        }
      }
    }
  });

  it('submitting needs a summary', () => {
    expect(checkTransition(REFERRAL_TRANSITIONS, 'DRAFT', 'SUBMITTED', { hasSummary: true })).toEqual({ ok: true, transition: 'submit' });
    for (const f of [{}, { hasSummary: false }] as ReferralFacts[]) {
      expect(checkTransition(REFERRAL_TRANSITIONS, 'DRAFT', 'SUBMITTED', f)).toEqual({
        ok: false,
        unmet: 'a summary must be written before the referral is submitted',
      });
    }
  });

  it('acknowledging and progressing need nothing more', () => {
    expect(checkTransition(REFERRAL_TRANSITIONS, 'SUBMITTED', 'ACKNOWLEDGED', {})).toEqual({ ok: true, transition: 'acknowledge' });
    expect(checkTransition(REFERRAL_TRANSITIONS, 'ACKNOWLEDGED', 'IN_PROGRESS', {})).toEqual({ ok: true, transition: 'progress' });
  });

  it.each(['ACKNOWLEDGED', 'IN_PROGRESS'] as const)('%s -> CLOSED needs an outcome', (from) => {
    for (const outcome of REFERRAL_OUTCOMES) {
      expect(checkTransition(REFERRAL_TRANSITIONS, from, 'CLOSED', { outcome })).toEqual({ ok: true, transition: 'close' });
    }
    for (const outcome of [undefined, null, 'SORTED' as ReferralOutcome]) {
      const r = checkTransition(REFERRAL_TRANSITIONS, from, 'CLOSED', { outcome });
      expect(r).toMatchObject({ ok: false, unmet: expect.stringContaining('an outcome must be given') });
      if (!r.ok) for (const o of REFERRAL_OUTCOMES) expect(r.unmet).toContain(o);
    }
  });

  it('closing an unacknowledged referral is refused with the reason, and never offered', () => {
    expect(checkTransition(REFERRAL_TRANSITIONS, 'SUBMITTED', 'CLOSED', GOOD)).toEqual({
      ok: false,
      unmet: 'the receiving team must acknowledge the referral first',
    });
    expect(allowedTargets(REFERRAL_TRANSITIONS, 'SUBMITTED', GOOD)).toEqual(['ACKNOWLEDGED']);
  });

  it('a closed referral is final', () => {
    expect(checkTransition(REFERRAL_TRANSITIONS, 'CLOSED', 'IN_PROGRESS', GOOD)).toMatchObject({
      unmet: expect.stringContaining('CLOSED is a final status'),
    });
  });
});

describe('canTransferReferral', () => {
  const REASON = 'The administrator turned out to be a member of staff';

  it('allows a transfer of a live referral to another team with a reason', () => {
    for (const status of ['SUBMITTED', 'ACKNOWLEDGED', 'IN_PROGRESS'] as const) {
      for (const from of TEAMS) {
        for (const to of TEAMS) {
          const unmet = canTransferReferral({ status, team: from }, to, REASON);
          if (from === to) expect(unmet).toBe(`the referral is already with ${to}; choose a different team`);
          else expect(unmet).toBeNull();
        }
      }
    }
    expect(REFERRAL_STATUS_AFTER_TRANSFER).toBe('SUBMITTED');
  });

  it.each(['DRAFT', 'CLOSED'] as const)('refuses a %s referral, naming its status', (status) => {
    const unmet = canTransferReferral({ status, team: status === 'DRAFT' ? null : 'HR' }, 'LEGAL', REASON);
    expect(unmet).toBe(`only a submitted, acknowledged or in-progress referral can be transferred (this one is ${status})`);
  });

  it.each(['', '   ', '\n\t'])('refuses a blank reason %j', (reason) => {
    expect(canTransferReferral({ status: 'ACKNOWLEDGED', team: 'HR' }, 'LEGAL', reason)).toBe('a reason for the transfer must be given');
  });

  it('refuses an unknown team', () => {
    expect(canTransferReferral({ status: 'ACKNOWLEDGED', team: 'HR' }, 'FINANCE' as Team, REASON)).toContain('DISCIPLINE, HR, LEGAL');
  });
});
