import { describe, expect, it } from 'vitest';
import * as vocabulary from './vocabulary.js';
import * as labels from './labels.js';

/** Each list of the vocabulary and the labels that must name every one of its values. */
const PAIRS: [string, readonly string[], Readonly<Record<string, string>>][] = [
  ['ROLES', vocabulary.ROLES, labels.ROLE_LABELS],
  ['TEAMS', vocabulary.TEAMS, labels.TEAM_LABELS],
  ['PLATFORMS', vocabulary.PLATFORMS, labels.PLATFORM_LABELS],
  ['GROUP_KINDS', vocabulary.GROUP_KINDS, labels.GROUP_KIND_LABELS],
  ['RISK_LEVELS', vocabulary.RISK_LEVELS, labels.RISK_LEVEL_LABELS],
  ['GROUP_STATUSES', vocabulary.GROUP_STATUSES, labels.GROUP_STATUS_LABELS],
  ['AFFILIATIONS', vocabulary.AFFILIATIONS, labels.AFFILIATION_LABELS],
  ['CONTACT_CHANNELS', vocabulary.CONTACT_CHANNELS, labels.CONTACT_CHANNEL_LABELS],
  ['CONTACT_DIRECTIONS', vocabulary.CONTACT_DIRECTIONS, labels.CONTACT_DIRECTION_LABELS],
  ['POLICY_STEPS', vocabulary.POLICY_STEPS, labels.POLICY_STEP_LABELS],
  ['CONTACT_OUTCOMES', vocabulary.CONTACT_OUTCOMES, labels.CONTACT_OUTCOME_LABELS],
  ['WORDING_STATUSES', vocabulary.WORDING_STATUSES, labels.WORDING_STATUS_LABELS],
  ['WORDING_PARTIES', vocabulary.WORDING_PARTIES, labels.WORDING_PARTY_LABELS],
  ['PLACEMENTS', vocabulary.PLACEMENTS, labels.PLACEMENT_LABELS],
  ['PLACEMENT_STATES', vocabulary.PLACEMENT_STATES, labels.PLACEMENT_STATE_LABELS],
  ['LOGO_STATUSES', vocabulary.LOGO_STATUSES, labels.LOGO_STATUS_LABELS],
  ['CONCERN_CATEGORIES', vocabulary.CONCERN_CATEGORIES, labels.CONCERN_CATEGORY_LABELS],
  ['SEVERITIES', vocabulary.SEVERITIES, labels.SEVERITY_LABELS],
  ['CONCERN_ACTIONS', vocabulary.CONCERN_ACTIONS, labels.CONCERN_ACTION_LABELS],
  ['REFERRAL_REASONS', vocabulary.REFERRAL_REASONS, labels.REFERRAL_REASON_LABELS],
  ['REFERRAL_STATUSES', vocabulary.REFERRAL_STATUSES, labels.REFERRAL_STATUS_LABELS],
  ['REFERRAL_OUTCOMES', vocabulary.REFERRAL_OUTCOMES, labels.REFERRAL_OUTCOME_LABELS],
  ['ESCALATION_KINDS', vocabulary.ESCALATION_KINDS, labels.ESCALATION_KIND_LABELS],
  ['ESCALATION_STATUSES', vocabulary.ESCALATION_STATUSES, labels.ESCALATION_STATUS_LABELS],
];

describe('labels', () => {
  it.each(PAIRS)('names every value of %s, and nothing else, in words', (_name, values, words) => {
    expect(Object.keys(words).sort()).toEqual([...values].sort());
    for (const v of values) expect(words[v]!.trim().length, v).toBeGreaterThan(1);
  });

  it('gives the values of one list different words, so no two read alike on a page', () => {
    for (const [name, values, words] of PAIRS) {
      const seen = values.map((v) => words[v]!.toLowerCase());
      expect(new Set(seen).size, name).toBe(seen.length);
    }
  });
});
