import { describe, expect, it } from 'vitest';
import { canSubmitReferral, DEFAULT_POLICY_CONFIG, GROUP_TRANSITIONS, type GroupFacts } from './group-lifecycle.js';
import { allowedTargets, checkTransition, reachableTargets } from './state-machine.js';
import { GROUP_STATUSES, REFERRAL_REASONS, type GroupStatus, type ReferralReason } from './vocabulary.js';

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
    submittedReferral: false,
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
  submittedReferral: true,
  referralReason: 'CONTENT_OF_CONCERN',
  reportedEscalation: true,
  closeReason: 'page deleted',
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
    ok: [{ agreedWording: true }],
    refused: [[{ agreedWording: false }, ['wording must be agreed']]],
  },
  compliant: {
    from: ['WORDING_AGREED'],
    to: 'COMPLIANT',
    ok: [
      { placements: { PINNED_MESSAGE: 'VERIFIED', AUTO_RESPONSE: 'VERIFIED' }, logoStatus: 'NOT_USED' },
      { placements: { PINNED_MESSAGE: 'VERIFIED', AUTO_RESPONSE: 'VERIFIED' }, logoStatus: 'REMOVAL_VERIFIED' },
    ],
    refused: [
      [{ placements: { PINNED_MESSAGE: 'PUBLISHED', AUTO_RESPONSE: 'VERIFIED' } }, ['PINNED_MESSAGE', 'PUBLISHED']],
      [{ placements: { PINNED_MESSAGE: 'VERIFIED', AUTO_RESPONSE: 'NOT_PUBLISHED' } }, ['AUTO_RESPONSE', 'NOT_PUBLISHED']],
      [{ placements: { PINNED_MESSAGE: 'VERIFIED', AUTO_RESPONSE: 'REMOVED' } }, ['AUTO_RESPONSE', 'REMOVED']],
      [{ placements: { PINNED_MESSAGE: 'VERIFIED', AUTO_RESPONSE: 'VERIFIED' }, logoStatus: 'IN_USE' }, ['logo', 'IN_USE']],
      [
        { placements: { PINNED_MESSAGE: 'VERIFIED', AUTO_RESPONSE: 'VERIFIED' }, logoStatus: 'REMOVAL_REQUESTED' },
        ['logo', 'REMOVAL_REQUESTED'],
      ],
      [{ placements: { PINNED_MESSAGE: 'VERIFIED', AUTO_RESPONSE: 'VERIFIED' }, logoStatus: 'REFUSED' }, ['logo', 'REFUSED']],
      [
        { placements: { PINNED_MESSAGE: 'NOT_PUBLISHED', AUTO_RESPONSE: 'PUBLISHED' }, logoStatus: 'IN_USE' },
        ['PINNED_MESSAGE', 'AUTO_RESPONSE', 'logo'],
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
      [{ agreedWording: true, placements: { PINNED_MESSAGE: 'REMOVED', AUTO_RESPONSE: 'VERIFIED' } }, ['REMOVED', 'ENGAGED']],
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
    refused: [[{ placements: { PINNED_MESSAGE: 'VERIFIED', AUTO_RESPONSE: 'VERIFIED' } }, ['REMOVED']]],
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
    refused: [[{ refusalRecorded: false }, ['REFUSED_TO_ENGAGE', 'REFUSED_ACCOUNTABILITY']]],
  },
  'referred after refusal or silence': {
    from: ['UNRESPONSIVE', 'REFUSED'],
    to: 'REFERRED',
    ok: [
      { submittedReferral: true, referralReason: 'REFUSED_TO_ENGAGE' },
      { submittedReferral: true, referralReason: 'REFUSED_ACCOUNTABILITY' },
      { submittedReferral: true, referralReason: 'CONTENT_OF_CONCERN' },
      { submittedReferral: true },
    ],
    refused: [[{ submittedReferral: false }, ['referral must be submitted']]],
  },
  'referred for content of concern': {
    from: ['CONTACTING', 'ENGAGED', 'WORDING_AGREED', 'COMPLIANT'],
    to: 'REFERRED',
    ok: [{ submittedReferral: true, referralReason: 'CONTENT_OF_CONCERN' }],
    refused: [
      [{ submittedReferral: false }, ['CONTENT_OF_CONCERN', 'submitted']],
      [{ submittedReferral: true, referralReason: 'REFUSED_TO_ENGAGE' }, ['CONTENT_OF_CONCERN', 'REFUSED_TO_ENGAGE']],
      [{ submittedReferral: true, referralReason: 'REFUSED_ACCOUNTABILITY' }, ['REFUSED_ACCOUNTABILITY']],
      [{ submittedReferral: false, referralReason: 'CONTENT_OF_CONCERN' }, ['submitted']],
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
    ok: [{ closeReason: 'The page was deleted by the platform' }],
    refused: [
      [{}, ['reason for closing']],
      [{ closeReason: null }, ['reason for closing']],
      [{ closeReason: '' }, ['reason for closing']],
      [{ closeReason: '   \n ' }, ['reason for closing']],
    ],
  },
};

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
        } else if (!r.unmet.startsWith(`A group cannot go from ${from} to ${to}; `)) {
          wrong.push(`${from} -> ${to}: ${r.unmet}`);
        } else if (!EDGES[from].every((t) => r.unmet.includes(t))) {
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
              for (const w of words) expect(r.unmet).toContain(w);
              expect(r.unmet).not.toMatch(/cannot go from/);
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
    expect(r).toEqual({ ok: false, unmet: 'the group is not yet compliant: the AUTO_RESPONSE placement must be VERIFIED (it is PUBLISHED)' });
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
            if (!r.ok) expect(r.unmet).toBe(`a reopened group returns to the status it had before it was closed (${before}), not ${to}`);
          }
        }
      }
    });

    it('is refused when the status before closing is unknown', () => {
      for (const statusBeforeClose of [undefined, null, 'CLOSED' as const]) {
        const r = checkTransition(GROUP_TRANSITIONS, 'CLOSED', 'ENGAGED', facts({ statusBeforeClose }));
        expect(r).toMatchObject({ ok: false, unmet: expect.stringContaining('not recorded') });
      }
    });

    it('offers only the status before closing', () => {
      expect(allowedTargets(GROUP_TRANSITIONS, 'CLOSED', facts({ statusBeforeClose: 'REFERRED' }))).toEqual(['REFERRED']);
    });
  });

  describe('allowedTargets', () => {
    it('offers a fresh group nothing until a condition holds', () => {
      expect(allowedTargets(GROUP_TRANSITIONS, 'DISCOVERED', facts())).toEqual([]);
      expect(allowedTargets(GROUP_TRANSITIONS, 'DISCOVERED', facts({ closeReason: 'duplicate' }))).toEqual(['CLOSED']);
    });

    it('offers the moves whose conditions hold', () => {
      expect(
        allowedTargets(GROUP_TRANSITIONS, 'CONTACTING', facts({ outboundContacts: 3, daysSinceFirstOutbound: 20 })),
      ).toEqual(['UNRESPONSIVE']);
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

describe('canSubmitReferral', () => {
  const REFUSAL_OK: GroupStatus[] = ['UNRESPONSIVE', 'REFUSED', 'REFERRED', 'ESCALATED'];

  it('matches the expected matrix for every (status, reason)', () => {
    const wrong: string[] = [];
    for (const status of GROUP_STATUSES) {
      for (const reason of REFERRAL_REASONS) {
        const expected =
          status === 'CLOSED' ? false : reason === 'CONTENT_OF_CONCERN' ? true : REFUSAL_OK.includes(status);
        const unmet = canSubmitReferral(status, reason);
        if ((unmet === null) !== expected) wrong.push(`${status} ${reason}: ${unmet ?? 'allowed'}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('explains a refusal referral for a group that has not refused', () => {
    const unmet = canSubmitReferral('ENGAGED', 'REFUSED_ACCOUNTABILITY');
    expect(unmet).toContain('REFUSED_ACCOUNTABILITY');
    expect(unmet).toContain('ENGAGED');
    expect(unmet).toContain('UNRESPONSIVE');
  });

  it('explains that a closed group must be reopened', () => {
    for (const reason of REFERRAL_REASONS as readonly ReferralReason[]) {
      expect(canSubmitReferral('CLOSED', reason)).toContain('reopen');
    }
  });
});
