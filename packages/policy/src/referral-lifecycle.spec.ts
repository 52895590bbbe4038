import { describe, expect, it } from 'vitest';
import { accessOf } from './principal.js';
import {
  checkReferralAction,
  NOTEABLE_REFERRAL_STATUSES,
  REFERRAL_ACTIONS,
  REFERRAL_STATUS_AFTER_TRANSFER,
  REFERRAL_TRANSITIONS,
  referralActions,
  transferUnmet,
  type ReferralAction,
  type ReferralFacts,
} from './referral-lifecycle.js';
import { allowedTargets, checkTransition, quoted, reachableTargets } from './state-machine.js';
import { REFERRAL_STATUSES, TEAMS, type ReferralStatus, type Role, type ServiceScope, type Team } from './vocabulary.js';
import { REFERRAL_STATUS_LABELS } from './labels.js';

/** A status as the refusals name it: its label in quotes. */
const say = (s: keyof typeof REFERRAL_STATUS_LABELS): string => quoted(REFERRAL_STATUS_LABELS[s]);

const EDGES: Record<ReferralStatus, ReferralStatus[]> = {
  DRAFT: ['SUBMITTED'],
  SUBMITTED: ['ACKNOWLEDGED'],
  ACKNOWLEDGED: ['IN_PROGRESS', 'CLOSED'],
  IN_PROGRESS: ['CLOSED'],
  CLOSED: [],
};
const GOOD: ReferralFacts = { hasSummary: true };

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
          expect(r.unmet[0]).toMatch(new RegExp(`^A referral cannot go from ${say(from)} to ${say(to)}; `));
        }
      }
    }
  });

  it('submitting needs a summary', () => {
    expect(checkTransition(REFERRAL_TRANSITIONS, 'DRAFT', 'SUBMITTED', { hasSummary: true })).toEqual({ ok: true, transition: 'submit' });
    for (const f of [{}, { hasSummary: false }] as ReferralFacts[]) {
      expect(checkTransition(REFERRAL_TRANSITIONS, 'DRAFT', 'SUBMITTED', f)).toEqual({
        ok: false,
        unmet: ['a summary must be written before the referral is submitted'],
      });
    }
  });

  it('acknowledging and progressing need nothing more', () => {
    expect(checkTransition(REFERRAL_TRANSITIONS, 'SUBMITTED', 'ACKNOWLEDGED', {})).toEqual({ ok: true, transition: 'acknowledge' });
    expect(checkTransition(REFERRAL_TRANSITIONS, 'ACKNOWLEDGED', 'IN_PROGRESS', {})).toEqual({ ok: true, transition: 'progress' });
  });

  it.each(['ACKNOWLEDGED', 'IN_PROGRESS'] as const)('%s -> CLOSED is allowed (the outcome is the closing input)', (from) => {
    expect(checkTransition(REFERRAL_TRANSITIONS, from, 'CLOSED', {})).toEqual({ ok: true, transition: 'close' });
  });

  it('closing an unacknowledged referral is refused with the reason, and never offered', () => {
    expect(checkTransition(REFERRAL_TRANSITIONS, 'SUBMITTED', 'CLOSED', GOOD)).toEqual({
      ok: false,
      unmet: ['the receiving team must acknowledge the referral first'],
    });
    expect(allowedTargets(REFERRAL_TRANSITIONS, 'SUBMITTED', GOOD)).toEqual(['ACKNOWLEDGED']);
  });

  it('a closed referral is final', () => {
    expect(checkTransition(REFERRAL_TRANSITIONS, 'CLOSED', 'IN_PROGRESS', GOOD)).toMatchObject({
      unmet: [expect.stringContaining('‘Closed’ is a final status')],
    });
  });
});

describe('transferUnmet', () => {
  const REASON = 'The administrator turned out to be a member of staff';

  it('allows a transfer to another team with a reason', () => {
    for (const from of TEAMS) {
      for (const to of TEAMS) {
        const unmet = transferUnmet({ team: from }, to, REASON);
        expect(unmet).toEqual(from === to ? [`the referral is already with ${to}; choose a different team`] : []);
      }
    }
    expect(REFERRAL_STATUS_AFTER_TRANSFER).toBe('SUBMITTED');
  });

  it.each(['', '   ', '\n\t'])('refuses a blank reason %j', (reason) => {
    expect(transferUnmet({ team: 'HR' }, 'LEGAL', reason)).toEqual(['a reason for the transfer must be given']);
  });

  it('names every problem at once, and refuses an unknown team', () => {
    expect(transferUnmet({ team: 'HR' }, 'HR', ' ')).toHaveLength(2);
    expect(transferUnmet({ team: 'HR' }, 'FINANCE' as Team, REASON)[0]).toContain('DISCIPLINE, HR, LEGAL');
  });
});

describe('actions on a referral (who may do what, when)', () => {
  const as = (...roles: Role[]) => accessOf({ kind: 'user', id: 'u', roles, scopes: [] });
  const allowed = (roles: Role[], status: ReferralStatus, team: Team | null = status === 'DRAFT' ? null : 'HR') =>
    referralActions(as(...roles), { status, team, reason: 'CONTENT_OF_CONCERN', summary: 'what happened' }, { groupStatus: 'ENGAGED' })
      .filter((a) => a.allowed)
      .map((a) => a.action);

  it('the receiving team acts on its own referral, step by step, and adds notes until it is closed', () => {
    expect(allowed(['HR'], 'SUBMITTED')).toEqual(['acknowledge', 'addNote', 'transfer']);
    expect(allowed(['HR'], 'ACKNOWLEDGED')).toEqual(['startProgress', 'addNote', 'transfer', 'close']);
    expect(allowed(['HR'], 'IN_PROGRESS')).toEqual(['addNote', 'transfer', 'close']);
    expect(allowed(['HR'], 'CLOSED')).toEqual([]);
    expect(NOTEABLE_REFERRAL_STATUSES).not.toContain('CLOSED');
  });

  it('another team, the social media team and services may take none of the team’s actions', () => {
    const teamActions: ReferralAction[] = ['acknowledge', 'startProgress', 'addNote', 'transfer', 'close'];
    for (const roles of [['LEGAL'], ['SOCIAL_MEDIA_LEAD'], ['SOCIAL_MEDIA_OFFICER']] as Role[][]) {
      for (const status of REFERRAL_STATUSES) expect(allowed(roles, status).filter((a) => teamActions.includes(a))).toEqual([]);
    }
    const service = accessOf({ kind: 'service', id: 's', roles: [], scopes: ['referrals:read:HR' as ServiceScope] });
    for (const action of REFERRAL_ACTIONS) {
      expect(checkReferralAction(service, action, { status: 'ACKNOWLEDGED', team: 'HR', reason: 'CONTENT_OF_CONCERN' }).allowed).toBe(false);
    }
  });

  it('the lead submits a draft; the officer drafts and edits but cannot submit', () => {
    expect(allowed(['SOCIAL_MEDIA_LEAD'], 'DRAFT')).toEqual(['updateDraft', 'submit']);
    expect(allowed(['SOCIAL_MEDIA_OFFICER'], 'DRAFT')).toEqual(['updateDraft']);
    expect(allowed(['SOCIAL_MEDIA_LEAD'], 'SUBMITTED')).toEqual([]);
  });

  it('says why, roles first: FORBIDDEN-kind reasons before lifecycle ones', () => {
    const officer = checkReferralAction(as('SOCIAL_MEDIA_OFFICER'), 'acknowledge', { status: 'SUBMITTED', team: 'HR', reason: 'CONTENT_OF_CONCERN' });
    expect(officer).toMatchObject({ allowed: false, refusedBy: 'role', unmet: ['your role does not allow you to acknowledge referrals'], mutation: 'acknowledgeReferral', to: 'ACKNOWLEDGED' });
    const legal = checkReferralAction(as('LEGAL'), 'close', { status: 'SUBMITTED', team: 'HR', reason: 'CONTENT_OF_CONCERN' });
    expect(legal.unmet).toEqual(['only the HR team can close this referral', 'the receiving team must acknowledge the referral first']);
    const note = checkReferralAction(as('HR'), 'addNote', { status: 'CLOSED', team: 'HR', reason: 'CONTENT_OF_CONCERN' });
    expect(note).toMatchObject({ allowed: false, refusedBy: 'lifecycle', to: null });
    expect(note.unmet[0]).toMatch(/closed cannot be changed this way: only one that is submitted, acknowledged or in progress/);
  });

  it('submitting needs a summary and a group in a status that allows the reason', () => {
    const lead = as('SOCIAL_MEDIA_LEAD');
    const draft = { status: 'DRAFT' as const, team: null, reason: 'REFUSED_TO_ENGAGE' as const, summary: 'x' };
    expect(checkReferralAction(lead, 'submit', draft, { groupStatus: 'REFUSED' }).allowed).toBe(true);
    expect(checkReferralAction(lead, 'submit', draft, { groupStatus: 'ENGAGED' }).unmet[0]).toContain('mark it unresponsive or refused first');
    expect(checkReferralAction(lead, 'submit', { ...draft, summary: '  ' }, { groupStatus: 'REFUSED' }).unmet).toEqual(['a summary must be written before the referral is submitted']);
  });
});
