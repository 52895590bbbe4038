import { describe, expect, it } from 'vitest';
import { checkEscalationAction, ESCALATION_TRANSITIONS, escalationActions, escalationPrompted, type EscalationFacts } from './escalation-lifecycle.js';
import { accessOf } from './principal.js';
import { allowedTargets, checkTransition, quoted, reachableTargets } from './state-machine.js';
import { CONCERN_CATEGORIES, ESCALATION_STATUSES, SEVERITIES, type EscalationStatus, type Role } from './vocabulary.js';
import { ESCALATION_STATUS_LABELS } from './labels.js';

/** A status as the refusals name it: its label in quotes. */
const say = (s: keyof typeof ESCALATION_STATUS_LABELS): string => quoted(ESCALATION_STATUS_LABELS[s]);

const EDGES: Record<EscalationStatus, EscalationStatus[]> = {
  DRAFT: ['APPROVED', 'REPORTED'],
  APPROVED: ['REPORTED'],
  REPORTED: ['CLOSED'],
  CLOSED: [],
};
const GOOD: EscalationFacts = { approved: true };

describe('escalation lifecycle', () => {
  it('has exactly the listed edges', () => {
    for (const from of ESCALATION_STATUSES) expect([...reachableTargets(ESCALATION_TRANSITIONS, from)].sort()).toEqual([...EDGES[from]].sort());
  });

  it('refuses every unlisted pair, naming the escalation', () => {
    for (const from of ESCALATION_STATUSES) {
      for (const to of ESCALATION_STATUSES) {
        const r = checkTransition(ESCALATION_TRANSITIONS, from, to, GOOD);
        expect(r.ok, `${from} -> ${to}`).toBe(EDGES[from].includes(to));
        if (!r.ok) expect(r.unmet[0]).toMatch(new RegExp(`^An escalation cannot go from ${say(from)} to ${say(to)}; `));
      }
    }
  });

  it('approving and then reporting need nothing more', () => {
    expect(checkTransition(ESCALATION_TRANSITIONS, 'DRAFT', 'APPROVED', {})).toEqual({ ok: true, transition: 'approve' });
    expect(checkTransition(ESCALATION_TRANSITIONS, 'APPROVED', 'REPORTED', {})).toEqual({ ok: true, transition: 'report' });
  });

  it('a draft cannot be reported before a lead approves it', () => {
    for (const f of [{}, { approved: false }] as EscalationFacts[]) {
      expect(checkTransition(ESCALATION_TRANSITIONS, 'DRAFT', 'REPORTED', f)).toEqual({
        ok: false,
        unmet: ['a lead must approve the escalation before it is reported'],
      });
    }
    expect(allowedTargets(ESCALATION_TRANSITIONS, 'DRAFT', {})).toEqual(['APPROVED']);
  });

  it('a lead may approve and record the report in one step', () => {
    expect(checkTransition(ESCALATION_TRANSITIONS, 'DRAFT', 'REPORTED', { approved: true })).toEqual({
      ok: true,
      transition: 'approveAndReport',
    });
  });

  it('closing is allowed once reported (the outcome is the closing input)', () => {
    expect(checkTransition(ESCALATION_TRANSITIONS, 'REPORTED', 'CLOSED', {})).toEqual({ ok: true, transition: 'close' });
  });
});

describe('actions on an escalation', () => {
  const as = (...roles: Role[]) => accessOf({ kind: 'user', id: 'u', roles, scopes: [] });
  const allowed = (roles: Role[], status: EscalationStatus) => escalationActions(as(...roles), { status }).filter((a) => a.allowed).map((a) => a.action);

  it('a lead approves and may report a draft in one step; an officer reports only once approved', () => {
    expect(allowed(['SOCIAL_MEDIA_LEAD'], 'DRAFT')).toEqual(['approve', 'report']);
    expect(allowed(['SOCIAL_MEDIA_OFFICER'], 'DRAFT')).toEqual([]);
    expect(allowed(['SOCIAL_MEDIA_OFFICER'], 'APPROVED')).toEqual(['report']);
    expect(allowed(['SOCIAL_MEDIA_OFFICER'], 'REPORTED')).toEqual(['close']);
    expect(allowed(['SOCIAL_MEDIA_LEAD'], 'CLOSED')).toEqual([]);
    expect(checkEscalationAction(as('SOCIAL_MEDIA_LEAD'), 'report', { status: 'DRAFT' }).transition).toBe('approveAndReport');
  });

  it('says why not, roles first', () => {
    const officer = checkEscalationAction(as('SOCIAL_MEDIA_OFFICER'), 'approve', { status: 'DRAFT' });
    expect(officer).toMatchObject({ allowed: false, refusedBy: 'role', unmet: ['your role does not allow you to approve escalations'] });
    expect(checkEscalationAction(as('SOCIAL_MEDIA_OFFICER'), 'report', { status: 'DRAFT' }).unmet).toEqual(['a lead must approve the escalation before it is reported']);
    expect(checkEscalationAction(as('HR'), 'close', { status: 'REPORTED' }).refusedBy).toBe('role');
  });
});

describe('escalationPrompted', () => {
  it('prompts only for critical wellbeing/safety and critical hate speech', () => {
    for (const category of CONCERN_CATEGORIES) {
      for (const severity of SEVERITIES) {
        const expected = severity === 'CRITICAL' && (category === 'WELLBEING_SAFETY' || category === 'HATE_SPEECH');
        expect(escalationPrompted({ category, severity }), `${category} ${severity}`).toBe(expected);
      }
    }
  });
});
