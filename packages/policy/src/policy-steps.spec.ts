import { describe, expect, it } from 'vitest';
import { POLICY_CHECKLIST_LABELS, POLICY_CHECKLIST_STEPS, policySteps, type PolicyStepInput } from './policy-steps.js';

const day = (n: number) => new Date(Date.UTC(2026, 10, n, 12));

function input(overrides: Partial<PolicyStepInput> = {}): PolicyStepInput {
  return {
    group: { id: 'g', createdAt: day(1), status: 'DISCOVERED', logoStatus: 'NOT_USED', logoStatusChangedAt: null },
    contacts: [],
    agreedWording: null,
    placements: [],
    referrals: [],
    escalations: [],
    concerns: [],
    ...overrides,
  };
}

const doneSteps = (i: PolicyStepInput) => policySteps(i).filter((s) => s.done).map((s) => s.step);

describe('the policy checklist', () => {
  it('has the seven steps of DOMAIN.md in order, each with words', () => {
    expect(POLICY_CHECKLIST_STEPS).toEqual([
      'RECORDED', 'CONTACTED', 'POSITION_EXPLAINED', 'WORDING_AGREED', 'PLACEMENTS_VERIFIED', 'LOGO_STOPPED', 'REFERRED_OR_ESCALATED',
    ]);
    for (const s of POLICY_CHECKLIST_STEPS) expect(POLICY_CHECKLIST_LABELS[s]).toMatch(/^[A-Z].{8,}[a-z]$/);
    expect(policySteps(input()).map((s) => s.step)).toEqual([...POLICY_CHECKLIST_STEPS]);
  });

  it('a group just recorded has only the first step done, covered by the group itself', () => {
    const [recorded, ...rest] = policySteps(input());
    expect(recorded).toEqual({ step: 'RECORDED', label: 'Group recorded', applicable: true, done: true, at: day(1), coveredBy: { type: 'Group', id: 'g' } });
    expect(rest.every((s) => !s.done && s.at === null && s.coveredBy === null)).toBe(true);
    // No logo and nothing to refer: those steps do not apply.
    expect(rest.filter((s) => !s.applicable).map((s) => s.step)).toEqual(['LOGO_STOPPED', 'REFERRED_OR_ESCALATED']);
  });

  it('contacted needs an outbound contact that introduced the team and one that ascertained the affiliation; the later covers it', () => {
    const intro = { id: 'c1', occurredAt: day(2), direction: 'OUTBOUND' as const, steps: ['INTRODUCED' as const] };
    const affiliation = { id: 'c2', occurredAt: day(4), direction: 'INBOUND' as const, steps: ['AFFILIATION_ASCERTAINED' as const, 'POSITION_EXPLAINED' as const] };
    expect(doneSteps(input({ contacts: [intro] }))).toEqual(['RECORDED']);
    const steps = policySteps(input({ contacts: [affiliation, intro] }));
    expect(steps[1]).toMatchObject({ done: true, at: day(4), coveredBy: { type: 'ContactLogEntry', id: 'c2' } });
    expect(steps[2]).toMatchObject({ done: true, at: day(4), coveredBy: { type: 'ContactLogEntry', id: 'c2' } });
    // Inbound only: the team has not contacted them yet.
    expect(doneSteps(input({ contacts: [{ ...intro, direction: 'INBOUND' }, affiliation] }))).toEqual(['RECORDED', 'POSITION_EXPLAINED']);
  });

  it('wording, both placements verified (the later covers it) and the logo stopped', () => {
    const steps = policySteps(input({
      group: { id: 'g', createdAt: day(1), status: 'COMPLIANT', logoStatus: 'REMOVAL_VERIFIED', logoStatusChangedAt: day(9) },
      agreedWording: { id: 'w', approvedAt: day(5) },
      placements: [
        { id: 'p1', placement: 'PINNED_MESSAGE', state: 'VERIFIED', verifiedAt: day(8) },
        { id: 'p2', placement: 'AUTO_RESPONSE', state: 'VERIFIED', verifiedAt: day(7) },
      ],
    }));
    expect(steps[3]).toMatchObject({ done: true, at: day(5), coveredBy: { type: 'WordingAgreement', id: 'w' } });
    expect(steps[4]).toMatchObject({ done: true, at: day(8), coveredBy: { type: 'PlacementRecord', id: 'p1' } });
    expect(steps[5]).toMatchObject({ applicable: true, done: true, at: day(9), coveredBy: { type: 'Group', id: 'g' } });
  });

  it('one placement verified is not enough; a logo still in use is applicable and not done', () => {
    const steps = policySteps(input({
      group: { id: 'g', createdAt: day(1), status: 'WORDING_AGREED', logoStatus: 'REMOVAL_REQUESTED', logoStatusChangedAt: day(3) },
      placements: [
        { id: 'p1', placement: 'PINNED_MESSAGE', state: 'VERIFIED', verifiedAt: day(8) },
        { id: 'p2', placement: 'AUTO_RESPONSE', state: 'PUBLISHED', verifiedAt: null },
      ],
    }));
    expect(steps[4]!.done).toBe(false);
    expect(steps[5]).toMatchObject({ applicable: true, done: false });
  });

  it('referral or escalation applies to refused or silent groups and critical concerns, and is covered by the first submitted or reported', () => {
    for (const status of ['UNRESPONSIVE', 'REFUSED'] as const) {
      expect(policySteps(input({ group: { ...input().group, status } }))[6]).toMatchObject({ applicable: true, done: false });
    }
    expect(policySteps(input({ concerns: [{ category: 'WELLBEING_SAFETY', severity: 'CRITICAL' }] }))[6]!.applicable).toBe(true);
    expect(policySteps(input({ concerns: [{ category: 'WELLBEING_SAFETY', severity: 'HIGH' }] }))[6]!.applicable).toBe(false);
    const steps = policySteps(input({
      group: { ...input().group, status: 'ESCALATED' },
      referrals: [{ id: 'draft', status: 'DRAFT', submittedAt: null }, { id: 'r', status: 'SUBMITTED', submittedAt: day(6) }],
      escalations: [{ id: 'e', status: 'REPORTED', reportedAt: day(5) }, { id: 'e2', status: 'DRAFT', reportedAt: null }],
    }));
    expect(steps[6]).toMatchObject({ applicable: true, done: true, at: day(5), coveredBy: { type: 'Escalation', id: 'e' } });
  });
});
