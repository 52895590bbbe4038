import { describe, expect, it } from 'vitest';
import { ESCALATION_TRANSITIONS, escalationPrompted, type EscalationFacts } from './escalation-lifecycle.js';
import { allowedTargets, checkTransition, reachableTargets } from './state-machine.js';
import { CONCERN_CATEGORIES, ESCALATION_STATUSES, SEVERITIES, type EscalationStatus } from './vocabulary.js';

const EDGES: Record<EscalationStatus, EscalationStatus[]> = {
  DRAFT: ['APPROVED', 'REPORTED'],
  APPROVED: ['REPORTED'],
  REPORTED: ['CLOSED'],
  CLOSED: [],
};
const GOOD: EscalationFacts = { approved: true, externalReference: 'CRIME-123', outcome: 'Page removed by platform' };

describe('escalation lifecycle', () => {
  it('has exactly the listed edges', () => {
    for (const from of ESCALATION_STATUSES) expect([...reachableTargets(ESCALATION_TRANSITIONS, from)].sort()).toEqual([...EDGES[from]].sort());
  });

  it('refuses every unlisted pair, naming the escalation', () => {
    for (const from of ESCALATION_STATUSES) {
      for (const to of ESCALATION_STATUSES) {
        const r = checkTransition(ESCALATION_TRANSITIONS, from, to, GOOD);
        expect(r.ok, `${from} -> ${to}`).toBe(EDGES[from].includes(to));
        if (!r.ok) expect(r.unmet).toMatch(new RegExp(`^An escalation cannot go from ${from} to ${to}; `));
      }
    }
  });

  it('approving and then reporting need nothing more', () => {
    expect(checkTransition(ESCALATION_TRANSITIONS, 'DRAFT', 'APPROVED', {})).toEqual({ ok: true, transition: 'approve' });
    expect(checkTransition(ESCALATION_TRANSITIONS, 'APPROVED', 'REPORTED', {})).toEqual({ ok: true, transition: 'report' });
  });

  it('a draft cannot be reported before a lead approves it', () => {
    for (const f of [{}, { approved: false }, { externalReference: 'TICKET-1' }] as EscalationFacts[]) {
      expect(checkTransition(ESCALATION_TRANSITIONS, 'DRAFT', 'REPORTED', f)).toEqual({
        ok: false,
        unmet: 'a lead must approve the escalation before it is reported',
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

  it('closing needs the outcome of the report', () => {
    expect(checkTransition(ESCALATION_TRANSITIONS, 'REPORTED', 'CLOSED', { outcome: 'Account suspended' })).toEqual({
      ok: true,
      transition: 'close',
    });
    for (const outcome of [undefined, null, '', '   ']) {
      expect(checkTransition(ESCALATION_TRANSITIONS, 'REPORTED', 'CLOSED', { outcome })).toEqual({
        ok: false,
        unmet: 'the outcome of the report must be recorded before the escalation is closed',
      });
    }
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
