import { describe, expect, it } from 'vitest';
import {
  DEFAULT_POLICY_CONFIG, eventsOfContact, GROUP_EVENTS, GROUP_MANUAL_TRANSITIONS, GROUP_TRANSITIONS, referralSubmissionUnmet, settleGroup,
  unresponsiveEligible, UNRESPONSIVE_FROM, type GroupEvent, type GroupFacts,
} from './group-lifecycle.js';
import { groupTransitions } from './group-transitions.js';
import { accessOf } from './principal.js';
import { allowedTargets, checkTransition, quoted, reachableTargets } from './state-machine.js';
import { GROUP_STATUS_LABELS } from './labels.js';
import { CONTACT_DIRECTIONS, CONTACT_OUTCOMES, GROUP_STATUSES, REFERRAL_REASONS, type GroupStatus, type ReferralReason } from './vocabulary.js';

/** A group nothing has happened to yet. */
function facts(overrides: Partial<GroupFacts> = {}): GroupFacts {
  return {
    outboundContacts: 0,
    inboundContacts: 0,
    daysSinceFirstOutbound: null,
    refusalRecorded: false,
    agreedWording: false,
    placements: { PINNED_MESSAGE: 'NOT_PUBLISHED', AUTO_RESPONSE: 'NOT_PUBLISHED' },
    logoStatus: 'NOT_USED',
    submittedReferralReasons: [],
    reportedEscalation: false,
    ...overrides,
  };
}

/** The lifecycle of DOMAIN.md, written out edge by edge. */
const EDGES: Record<GroupStatus, GroupStatus[]> = {
  DISCOVERED: ['CONTACTING', 'ESCALATED', 'CLOSED'],
  CONTACTING: ['ENGAGED', 'UNRESPONSIVE', 'REFUSED', 'REFERRED', 'ESCALATED', 'CLOSED'],
  ENGAGED: ['WORDING_AGREED', 'UNRESPONSIVE', 'REFUSED', 'REFERRED', 'ESCALATED', 'CLOSED'],
  WORDING_AGREED: ['COMPLIANT', 'ENGAGED', 'REFERRED', 'ESCALATED', 'CLOSED'],
  COMPLIANT: ['ENGAGED', 'WORDING_AGREED', 'REFERRED', 'ESCALATED', 'CLOSED'],
  UNRESPONSIVE: ['ENGAGED', 'REFERRED', 'ESCALATED', 'CLOSED'],
  REFUSED: ['ENGAGED', 'REFERRED', 'ESCALATED', 'CLOSED'],
  REFERRED: ['ESCALATED', 'CLOSED'],
  ESCALATED: ['CLOSED'],
  CLOSED: ['DISCOVERED', 'CONTACTING', 'ENGAGED', 'WORDING_AGREED', 'COMPLIANT', 'UNRESPONSIVE', 'REFUSED', 'REFERRED', 'ESCALATED'],
};

/** Facts meeting every guard it can (a placement removal and full compliance cannot both hold). */
const EVERYTHING = facts({
  outboundContacts: 5,
  inboundContacts: 1,
  daysSinceFirstOutbound: 30,
  refusalRecorded: true,
  agreedWording: true,
  placements: { PINNED_MESSAGE: 'VERIFIED', AUTO_RESPONSE: 'VERIFIED' },
  submittedReferralReasons: ['CONTENT_OF_CONCERN'],
  reportedEscalation: true,
});

type Case = { from: GroupStatus[]; to: GroupStatus; ok: Partial<GroupFacts>[]; refused: [Partial<GroupFacts>, string[]][] };

const CASES: Record<string, Case> = {
  'first outbound contact': {
    from: ['DISCOVERED'],
    to: 'CONTACTING',
    ok: [{ outboundContacts: 1, daysSinceFirstOutbound: 0 }],
    refused: [[{}, ['outbound contact']], [{ inboundContacts: 3 }, ['outbound contact']]],
  },
  'administrators respond': {
    from: ['CONTACTING', 'UNRESPONSIVE', 'REFUSED'],
    to: 'ENGAGED',
    ok: [{ outboundContacts: 2, inboundContacts: 1 }],
    refused: [[{ outboundContacts: 4 }, ['inbound contact', 'responded']]],
  },
  'wording agreed': {
    from: ['ENGAGED'],
    to: 'WORDING_AGREED',
    ok: [{ agreedWording: true }, { agreedWording: true, placements: { PINNED_MESSAGE: 'PUBLISHED', AUTO_RESPONSE: 'VERIFIED' } }],
    refused: [
      [{ agreedWording: false }, ['wording must be agreed']],
      [{ agreedWording: true, placements: { PINNED_MESSAGE: 'REMOVED', AUTO_RESPONSE: 'VERIFIED' } }, ['pinned message', 'removed', 'published again']],
    ],
  },
  compliant: {
    from: ['WORDING_AGREED'],
    to: 'COMPLIANT',
    ok: [
      { placements: { PINNED_MESSAGE: 'VERIFIED', AUTO_RESPONSE: 'VERIFIED' }, logoStatus: 'NOT_USED' },
      { placements: { PINNED_MESSAGE: 'VERIFIED', AUTO_RESPONSE: 'VERIFIED' }, logoStatus: 'REMOVAL_VERIFIED' },
    ],
    refused: [
      [{ placements: { PINNED_MESSAGE: 'PUBLISHED', AUTO_RESPONSE: 'VERIFIED' } }, ['pinned message', 'published, not verified']],
      [{ placements: { PINNED_MESSAGE: 'VERIFIED', AUTO_RESPONSE: 'NOT_PUBLISHED' } }, ['auto-response', 'not published']],
      [{ placements: { PINNED_MESSAGE: 'VERIFIED', AUTO_RESPONSE: 'REMOVED' } }, ['auto-response', 'removed']],
      [{ placements: { PINNED_MESSAGE: 'VERIFIED', AUTO_RESPONSE: 'VERIFIED' }, logoStatus: 'IN_USE' }, ['logo', '‘In use’']],
      [
        { placements: { PINNED_MESSAGE: 'VERIFIED', AUTO_RESPONSE: 'VERIFIED' }, logoStatus: 'REMOVAL_REQUESTED' },
        ['logo', '‘Removal requested’'],
      ],
      [{ placements: { PINNED_MESSAGE: 'VERIFIED', AUTO_RESPONSE: 'VERIFIED' }, logoStatus: 'REFUSED' }, ['logo', '‘Refused to remove’']],
      [
        { placements: { PINNED_MESSAGE: 'NOT_PUBLISHED', AUTO_RESPONSE: 'PUBLISHED' }, logoStatus: 'IN_USE' },
        ['pinned message', 'auto-response', 'logo'],
      ],
    ],
  },
  'compliance lapses without a removal': {
    from: ['COMPLIANT'],
    to: 'WORDING_AGREED',
    ok: [
      { agreedWording: true, placements: { PINNED_MESSAGE: 'VERIFIED', AUTO_RESPONSE: 'VERIFIED' }, logoStatus: 'IN_USE' },
      { agreedWording: true, placements: { PINNED_MESSAGE: 'NOT_PUBLISHED', AUTO_RESPONSE: 'NOT_PUBLISHED' }, logoStatus: 'NOT_USED' },
    ],
    refused: [
      [{ agreedWording: true, placements: { PINNED_MESSAGE: 'VERIFIED', AUTO_RESPONSE: 'VERIFIED' }, logoStatus: 'NOT_USED' }, ['still compliant']],
      [{ agreedWording: true, placements: { PINNED_MESSAGE: 'REMOVED', AUTO_RESPONSE: 'VERIFIED' } }, ['removed', '‘Engaged’']],
      [{ agreedWording: false }, ['wording must be agreed']],
    ],
  },
  'review finds a placement removed': {
    from: ['WORDING_AGREED', 'COMPLIANT'],
    to: 'ENGAGED',
    ok: [
      { placements: { PINNED_MESSAGE: 'REMOVED', AUTO_RESPONSE: 'VERIFIED' } },
      { placements: { PINNED_MESSAGE: 'VERIFIED', AUTO_RESPONSE: 'REMOVED' } },
    ],
    refused: [[{ placements: { PINNED_MESSAGE: 'VERIFIED', AUTO_RESPONSE: 'VERIFIED' } }, ['removed']]],
  },
  unresponsive: {
    from: ['CONTACTING', 'ENGAGED'],
    to: 'UNRESPONSIVE',
    ok: [
      { outboundContacts: 3, daysSinceFirstOutbound: 14 },
      { outboundContacts: 7, daysSinceFirstOutbound: 60, inboundContacts: 1, inboundSinceLastOutbound: false },
      {
        outboundContacts: 2,
        daysSinceFirstOutbound: 7,
        config: { ...DEFAULT_POLICY_CONFIG, unresponsiveAfterAttempts: 2, unresponsiveAfterDays: 7 },
      },
    ],
    refused: [
      [{ outboundContacts: 2, daysSinceFirstOutbound: 20 }, ['2 of 3 outbound contact attempts']],
      [{ outboundContacts: 3, daysSinceFirstOutbound: 13 }, ['13 of 14 days']],
      [{ outboundContacts: 3, daysSinceFirstOutbound: null }, ['never been contacted']],
      [{ outboundContacts: 3, daysSinceFirstOutbound: 20, inboundSinceLastOutbound: true }, ['responded since the last outbound']],
      [{ outboundContacts: 1, daysSinceFirstOutbound: 2 }, ['1 of 3 outbound', '2 of 14 days']],
      [
        {
          outboundContacts: 3,
          daysSinceFirstOutbound: 14,
          config: { ...DEFAULT_POLICY_CONFIG, unresponsiveAfterAttempts: 4, unresponsiveAfterDays: 21 },
        },
        ['3 of 4 outbound', '14 of 21 days'],
      ],
    ],
  },
  refused: {
    from: ['CONTACTING', 'ENGAGED'],
    to: 'REFUSED',
    ok: [{ refusalRecorded: true }],
    refused: [[{ refusalRecorded: false }, ['‘Refused to engage’', '‘Refused accountability’']]],
  },
  'referred after refusal or silence': {
    from: ['UNRESPONSIVE', 'REFUSED'],
    to: 'REFERRED',
    ok: [
      { submittedReferralReasons: ['REFUSED_TO_ENGAGE'] },
      { submittedReferralReasons: ['REFUSED_ACCOUNTABILITY'] },
      { submittedReferralReasons: ['CONTENT_OF_CONCERN', 'REFUSED_TO_ENGAGE'] },
    ],
    refused: [[{ submittedReferralReasons: [] }, ['referral must be submitted']]],
  },
  'referred for content of concern': {
    from: ['CONTACTING', 'ENGAGED', 'WORDING_AGREED', 'COMPLIANT'],
    to: 'REFERRED',
    ok: [{ submittedReferralReasons: ['CONTENT_OF_CONCERN'] }, { submittedReferralReasons: ['REFUSED_TO_ENGAGE', 'CONTENT_OF_CONCERN'] }],
    refused: [
      [{ submittedReferralReasons: [] }, ['content of concern', 'submitted']],
      [{ submittedReferralReasons: ['REFUSED_TO_ENGAGE'] }, ['content of concern', 'its referrals are for refused to engage']],
      [{ submittedReferralReasons: ['REFUSED_ACCOUNTABILITY', 'REFUSED_ACCOUNTABILITY'] }, ['(its referrals are for refused accountability)']],
    ],
  },
  escalated: {
    from: ['DISCOVERED', 'CONTACTING', 'ENGAGED', 'WORDING_AGREED', 'COMPLIANT', 'UNRESPONSIVE', 'REFUSED', 'REFERRED'],
    to: 'ESCALATED',
    ok: [{ reportedEscalation: true }],
    refused: [[{ reportedEscalation: false }, ['escalation', 'reported']]],
  },
  closed: {
    from: ['DISCOVERED', 'CONTACTING', 'ENGAGED', 'WORDING_AGREED', 'COMPLIANT', 'UNRESPONSIVE', 'REFUSED', 'REFERRED', 'ESCALATED'],
    to: 'CLOSED',
    // The reason is the closing person's input (CloseGroupInput.reason), validated as such; the state asks nothing.
    ok: [{}, EVERYTHING],
    refused: [],
  },
};

/** A status as the refusals name it: its label in quotes. */
const say = (s: GroupStatus): string => quoted(GROUP_STATUS_LABELS[s]);

describe('group lifecycle', () => {
  it('has exactly the edges of DOMAIN.md', () => {
    for (const from of GROUP_STATUSES) expect([...reachableTargets(GROUP_TRANSITIONS, from)].sort()).toEqual([...EDGES[from]].sort());
  });

  it('refuses every unlisted (from, to) pair, even when every fact is favourable, saying where it can go', () => {
    const wrong: string[] = [];
    for (const from of GROUP_STATUSES) {
      for (const to of GROUP_STATUSES) {
        const r = checkTransition(GROUP_TRANSITIONS, from, to, { ...EVERYTHING, statusBeforeClose: to });
        if (EDGES[from].includes(to)) continue;
        if (r.ok) {
          wrong.push(`${from} -> ${to} allowed`);
        } else if (r.unmet.length !== 1 || !r.unmet[0]!.startsWith(`A group cannot go from ${say(from)} to ${say(to)}; `)) {
          wrong.push(`${from} -> ${to}: ${r.unmet}`);
        } else if (!EDGES[from].every((t) => r.unmet[0]!.includes(say(t)))) {
          wrong.push(`${from} -> ${to} does not list the reachable states: ${r.unmet}`);
        }
      }
    }
    expect(wrong).toEqual([]);
  });

  it('every listed edge is covered by a case below', () => {
    const covered = new Set(Object.values(CASES).flatMap((c) => c.from.map((f) => `${f}>${c.to}`)));
    for (const to of GROUP_STATUSES) if (to !== 'CLOSED') covered.add(`CLOSED>${to}`); // reopen, tested separately
    const listed = GROUP_STATUSES.flatMap((from) => EDGES[from].map((to) => `${from}>${to}`));
    expect(listed.filter((e) => !covered.has(e))).toEqual([]);
  });

  for (const [name, c] of Object.entries(CASES)) {
    describe(name, () => {
      for (const from of c.from) {
        it(`${from} -> ${c.to} is allowed when its condition is met`, () => {
          for (const ok of c.ok) {
            const r = checkTransition(GROUP_TRANSITIONS, from, c.to, facts(ok));
            expect(r, JSON.stringify(ok)).toMatchObject({ ok: true });
          }
        });

        it(`${from} -> ${c.to} is refused naming the unmet condition`, () => {
          for (const [bad, words] of c.refused) {
            const r = checkTransition(GROUP_TRANSITIONS, from, c.to, facts(bad));
            expect(r.ok, JSON.stringify(bad)).toBe(false);
            if (!r.ok) {
              for (const w of words) expect(r.unmet.join(' | ')).toContain(w);
              expect(r.unmet.join(' | ')).not.toMatch(/cannot go from/);
            }
          }
        });
      }
    });
  }

  it('a compliance refusal names only what is unmet', () => {
    const r = checkTransition(
      GROUP_TRANSITIONS,
      'WORDING_AGREED',
      'COMPLIANT',
      facts({ placements: { PINNED_MESSAGE: 'VERIFIED', AUTO_RESPONSE: 'PUBLISHED' }, logoStatus: 'REMOVAL_VERIFIED' }),
    );
    expect(r).toEqual({ ok: false, unmet: ['the auto-response must be verified (it is published, not verified)'] });
    const all = checkTransition(GROUP_TRANSITIONS, 'WORDING_AGREED', 'COMPLIANT', facts({ logoStatus: 'IN_USE' }));
    expect(all).toEqual({
      ok: false,
      unmet: [
        'the pinned message must be verified (it is not published)',
        'the auto-response must be verified (it is not published)',
        'the university logo must no longer be in use (its status is ‘In use’)',
      ],
    });
  });

  describe('reopen', () => {
    const OPEN = GROUP_STATUSES.filter((s) => s !== 'CLOSED');

    it('returns the group to the status it had before it was closed, and nowhere else', () => {
      for (const before of OPEN) {
        for (const to of OPEN) {
          const r = checkTransition(GROUP_TRANSITIONS, 'CLOSED', to, facts({ statusBeforeClose: before }));
          if (to === before) {
            expect(r).toEqual({ ok: true, transition: 'reopen' });
          } else {
            expect(r.ok).toBe(false);
            if (!r.ok) expect(r.unmet).toEqual([`a reopened group returns to the status it had before it was closed (${say(before)}), not ${say(to)}`]);
          }
        }
      }
    });

    it('is refused when the status before closing is unknown', () => {
      for (const statusBeforeClose of [undefined, null, 'CLOSED' as const]) {
        const r = checkTransition(GROUP_TRANSITIONS, 'CLOSED', 'ENGAGED', facts({ statusBeforeClose }));
        expect(r).toMatchObject({ ok: false, unmet: [expect.stringContaining('not recorded')] });
      }
    });

    it('offers only the status before closing', () => {
      expect(allowedTargets(GROUP_TRANSITIONS, 'CLOSED', facts({ statusBeforeClose: 'REFERRED' }))).toEqual(['REFERRED']);
    });
  });

  describe('allowedTargets', () => {
    it('offers a fresh group nothing until a condition holds', () => {
      expect(allowedTargets(GROUP_TRANSITIONS, 'DISCOVERED', facts())).toEqual(['CLOSED']);
    });

    it('offers the moves whose conditions hold', () => {
      expect(
        allowedTargets(GROUP_TRANSITIONS, 'CONTACTING', facts({ outboundContacts: 3, daysSinceFirstOutbound: 20 })),
      ).toEqual(['UNRESPONSIVE', 'CLOSED']);
      expect(allowedTargets(GROUP_TRANSITIONS, 'WORDING_AGREED', EVERYTHING)).toEqual(['COMPLIANT', 'REFERRED', 'ESCALATED', 'CLOSED']);
    });
  });

  it('uses the defaults of DOMAIN.md', () => {
    expect(DEFAULT_POLICY_CONFIG).toEqual({
      unresponsiveAfterAttempts: 3,
      unresponsiveAfterDays: 14,
      reviewIntervalDays: { CRITICAL: 7, HIGH: 14, MEDIUM: 30, LOW: 90 },
      retentionDays: 730,
      acknowledgementWorkingDays: 5,
      bankHolidays: [],
    });
  });
});

describe('referralSubmissionUnmet', () => {
  const REFUSAL_OK: GroupStatus[] = ['UNRESPONSIVE', 'REFUSED', 'REFERRED', 'ESCALATED'];

  it('matches the expected matrix for every (status, reason)', () => {
    const wrong: string[] = [];
    for (const status of GROUP_STATUSES) {
      for (const reason of REFERRAL_REASONS) {
        const expected =
          status === 'CLOSED' ? false : reason === 'CONTENT_OF_CONCERN' ? true : REFUSAL_OK.includes(status);
        const unmet = referralSubmissionUnmet(status, reason);
        if ((unmet.length === 0) !== expected) wrong.push(`${status} ${reason}: ${unmet.join('; ') || 'allowed'}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('explains a refusal referral for a group that has not refused', () => {
    const [unmet] = referralSubmissionUnmet('ENGAGED', 'REFUSED_ACCOUNTABILITY');
    expect(unmet).toBe('a referral for refused accountability needs the group to be ‘Unresponsive’, ‘Refused’, ‘Referred’ or ‘Escalated’ (it is ‘Engaged’); mark it unresponsive or refused first');
  });

  it('explains that a closed group must be reopened', () => {
    for (const reason of REFERRAL_REASONS as readonly ReferralReason[]) {
      expect(referralSubmissionUnmet('CLOSED', reason)[0]).toContain('reopen');
    }
  });
});

describe('moves that settle themselves, and moves only people make', () => {
  it('every transition either listens to events or is made by a person, never both', () => {
    for (const t of GROUP_TRANSITIONS) {
      expect(Boolean(t.manual) !== Boolean(t.on?.length), t.name).toBe(true);
      if (t.on) expect(t.trigger, t.name).toMatch(/^when /);
      for (const e of t.on ?? []) expect(GROUP_EVENTS).toContain(e);
    }
  });

  it('close, reopen and mark unresponsive are the only moves a person makes, each with its permission and mutation', () => {
    const manual = GROUP_TRANSITIONS.filter((t) => t.manual);
    expect([...new Set(manual.map((t) => t.name))].sort()).toEqual([...GROUP_MANUAL_TRANSITIONS].sort());
    expect(Object.fromEntries(manual.map((t) => [t.name, t.manual]))).toEqual({
      close: { permission: 'group.close', mutation: 'closeGroup' },
      reopen: { permission: 'group.reopen', mutation: 'reopenGroup' },
      markUnresponsive: { permission: 'group.update', mutation: 'markGroupUnresponsive' },
    });
  });

  it('the moves of DOMAIN.md happen on the events the issue names', () => {
    const on = (name: string) => GROUP_TRANSITIONS.find((t) => t.name === name)!.on;
    expect(on('startContact')).toEqual(['OUTBOUND_CONTACT']);
    expect(on('engage')).toEqual(['INBOUND_RESPONSE']);
    expect(on('markRefused')).toEqual(['REFUSAL']);
    expect(on('agreeWording')).toContain('WORDING_AGREED');
    expect(on('comply')).toEqual(['PLACEMENT_CHANGED', 'LOGO_CHANGED']);
    expect(on('placementRemoved')).toEqual(['PLACEMENT_CHANGED']);
    expect(on('refer')).toEqual(['REFERRAL_SUBMITTED']);
    expect(on('referForConcern')).toEqual(['REFERRAL_SUBMITTED']);
    expect(on('escalate')).toEqual(['ESCALATION_REPORTED']);
  });

  it('a contact raises outbound, response and refusal events', () => {
    const all: string[] = [];
    for (const direction of CONTACT_DIRECTIONS) for (const outcome of CONTACT_OUTCOMES) all.push(`${direction} ${outcome}: ${eventsOfContact({ direction, outcome }).join(',')}`);
    expect(all).toEqual([
      'OUTBOUND NO_RESPONSE: OUTBOUND_CONTACT',
      'OUTBOUND RESPONDED: OUTBOUND_CONTACT',
      'OUTBOUND ENGAGED: OUTBOUND_CONTACT',
      'OUTBOUND REFUSED_TO_ENGAGE: OUTBOUND_CONTACT,REFUSAL',
      'OUTBOUND REFUSED_ACCOUNTABILITY: OUTBOUND_CONTACT,REFUSAL',
      'INBOUND NO_RESPONSE: ',
      'INBOUND RESPONDED: INBOUND_RESPONSE',
      'INBOUND ENGAGED: INBOUND_RESPONSE',
      'INBOUND REFUSED_TO_ENGAGE: REFUSAL',
      'INBOUND REFUSED_ACCOUNTABILITY: REFUSAL',
    ]);
  });

  const path = (from: GroupStatus, f: GroupFacts, events: GroupEvent[]) => settleGroup(from, f, events).map((m) => m.to);

  it('settles a group through every step a single change allows', () => {
    // An outbound refusal: contacted, then refused, in one change.
    expect(path('DISCOVERED', facts({ outboundContacts: 1, daysSinceFirstOutbound: 0, refusalRecorded: true }), ['OUTBOUND_CONTACT', 'REFUSAL'])).toEqual(['CONTACTING', 'REFUSED']);
    // The administrators write first: nothing moves until the team has contacted them.
    expect(path('DISCOVERED', facts({ inboundContacts: 1 }), ['INBOUND_RESPONSE'])).toEqual([]);
    expect(path('UNRESPONSIVE', facts({ outboundContacts: 3, inboundContacts: 1 }), ['INBOUND_RESPONSE'])).toEqual(['ENGAGED']);
    expect(path('ENGAGED', facts({ agreedWording: true }), ['WORDING_AGREED'])).toEqual(['WORDING_AGREED']);
    const verified = { PINNED_MESSAGE: 'VERIFIED', AUTO_RESPONSE: 'VERIFIED' } as const;
    expect(path('WORDING_AGREED', facts({ agreedWording: true, placements: verified }), ['PLACEMENT_CHANGED'])).toEqual(['COMPLIANT']);
    expect(path('WORDING_AGREED', facts({ agreedWording: true, placements: verified, logoStatus: 'IN_USE' }), ['PLACEMENT_CHANGED'])).toEqual([]);
    expect(path('WORDING_AGREED', facts({ agreedWording: true, placements: verified, logoStatus: 'REMOVAL_VERIFIED' }), ['LOGO_CHANGED'])).toEqual(['COMPLIANT']);
    expect(path('COMPLIANT', facts({ agreedWording: true, placements: { ...verified, AUTO_RESPONSE: 'REMOVED' } }), ['PLACEMENT_CHANGED'])).toEqual(['ENGAGED']);
    expect(path('COMPLIANT', facts({ agreedWording: true, placements: verified, logoStatus: 'IN_USE' }), ['LOGO_CHANGED'])).toEqual(['WORDING_AGREED']);
    // A removed placement published and verified again: back to WORDING_AGREED and on to COMPLIANT.
    expect(path('ENGAGED', facts({ agreedWording: true, placements: verified }), ['PLACEMENT_CHANGED'])).toEqual(['WORDING_AGREED', 'COMPLIANT']);
    expect(path('REFUSED', facts({ submittedReferralReasons: ['REFUSED_TO_ENGAGE'] }), ['REFERRAL_SUBMITTED'])).toEqual(['REFERRED']);
    expect(path('ENGAGED', facts({ submittedReferralReasons: ['REFUSED_TO_ENGAGE'] }), ['REFERRAL_SUBMITTED'])).toEqual([]);
    expect(path('ENGAGED', facts({ submittedReferralReasons: ['CONTENT_OF_CONCERN'] }), ['REFERRAL_SUBMITTED'])).toEqual(['REFERRED']);
    expect(path('REFERRED', facts({ reportedEscalation: true }), ['ESCALATION_REPORTED'])).toEqual(['ESCALATED']);
  });

  it('never closes, reopens or marks a group unresponsive by itself', () => {
    const ripe = facts({ ...EVERYTHING, statusBeforeClose: 'ENGAGED', inboundSinceLastOutbound: false });
    for (const from of GROUP_STATUSES) {
      const moves = settleGroup(from, ripe, GROUP_EVENTS);
      for (const m of moves) expect(['close', 'reopen', 'markUnresponsive']).not.toContain(m.transition);
      expect(moves.map((m) => m.to)).not.toContain('CLOSED');
    }
    expect(settleGroup('CLOSED', ripe, GROUP_EVENTS)).toEqual([]);
  });

  it('unresponsiveEligible: the manual move is possible, from the statuses it names', () => {
    const ripe = facts({ outboundContacts: 3, daysSinceFirstOutbound: 14 });
    for (const status of GROUP_STATUSES) expect(unresponsiveEligible(status, ripe), status).toBe(UNRESPONSIVE_FROM.includes(status));
    expect(UNRESPONSIVE_FROM).toEqual(['CONTACTING', 'ENGAGED']);
    expect(unresponsiveEligible('CONTACTING', facts({ outboundContacts: 2, daysSinceFirstOutbound: 30 }))).toBe(false);
  });
});

describe('groupTransitions (what a caller may do next)', () => {
  const officer = accessOf({ kind: 'user', id: 'o', roles: ['SOCIAL_MEDIA_OFFICER'], scopes: [] });
  const service = accessOf({ kind: 'service', id: 's', roles: [], scopes: ['groups:read'] });

  it('lists every move from the status, automatic ones with their trigger, manual ones with their mutation', () => {
    const moves = groupTransitions(officer, 'CONTACTING', facts({ outboundContacts: 1, daysSinceFirstOutbound: 2 }));
    expect(moves.map((m) => [m.action, m.to, m.automatic, m.allowed])).toEqual([
      ['engage', 'ENGAGED', true, false],
      ['markUnresponsive', 'UNRESPONSIVE', false, false],
      ['markRefused', 'REFUSED', true, false],
      ['referForConcern', 'REFERRED', true, false],
      ['escalate', 'ESCALATED', true, false],
      ['close', 'CLOSED', false, true],
    ]);
    const unresponsive = moves.find((m) => m.action === 'markUnresponsive')!;
    expect(unresponsive).toMatchObject({ mutation: 'markGroupUnresponsive', refusedBy: 'lifecycle', trigger: null });
    expect(unresponsive.unmet).toEqual(['1 of 3 outbound contact attempts made', '2 of 14 days since the first outbound contact']);
    expect(moves.find((m) => m.action === 'engage')).toMatchObject({ mutation: null, trigger: expect.stringMatching(/^when the administrators respond/) });
  });

  it('says when the caller’s role is what stops a manual move, before the lifecycle', () => {
    const moves = groupTransitions(service, 'CONTACTING', facts({ outboundContacts: 1, daysSinceFirstOutbound: 2 }));
    expect(moves.find((m) => m.action === 'close')).toMatchObject({ allowed: false, refusedBy: 'role', unmet: ['your role does not allow you to close groups'] });
    expect(moves.find((m) => m.action === 'markUnresponsive')!.unmet[0]).toBe('your role does not allow you to change groups');
  });

  it('offers a closed group one reopen: to the status it had', () => {
    const moves = groupTransitions(officer, 'CLOSED', facts({ statusBeforeClose: 'REFERRED' }));
    expect(moves).toEqual([expect.objectContaining({ action: 'reopen', to: 'REFERRED', allowed: true, unmet: [], mutation: 'reopenGroup' })]);
  });
});
