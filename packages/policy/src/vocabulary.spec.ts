import { describe, expect, it } from 'vitest';
import {
  AFFILIATIONS,
  assertUnreachable,
  CONCERN_ACTIONS,
  CONCERN_CATEGORIES,
  CONTACT_CHANNELS,
  CONTACT_DIRECTIONS,
  CONTACT_OUTCOMES,
  ESCALATION_KINDS,
  ESCALATION_STATUSES,
  GROUP_KINDS,
  GROUP_STATUSES,
  isOneOf,
  LIMITS,
  LOGO_STATUSES,
  PLACEMENT_STATES,
  PLACEMENTS,
  PLATFORMS,
  POLICY_STEPS,
  REFERRAL_OUTCOMES,
  REFERRAL_REASONS,
  REFERRAL_STATUSES,
  RISK_LEVELS,
  ROLES,
  SERVICE_SCOPES,
  SEVERITIES,
  TEAMS,
  WORDING_PARTIES,
  WORDING_STATUSES,
  type Team,
} from './vocabulary.js';

describe('vocabulary', () => {
  it('keeps the contract values, in order', () => {
    expect(ROLES).toEqual(['SOCIAL_MEDIA_OFFICER', 'SOCIAL_MEDIA_LEAD', 'DISCIPLINE', 'HR', 'LEGAL', 'DATA_PROTECTION', 'ADMIN']);
    expect(TEAMS).toEqual(['DISCIPLINE', 'HR', 'LEGAL']);
    expect(PLATFORMS).toEqual([
      'INSTAGRAM', 'FACEBOOK', 'X', 'TIKTOK', 'REDDIT', 'DISCORD', 'TELEGRAM',
      'SNAPCHAT', 'WHATSAPP', 'YIK_YAK', 'NGL', 'TUMBLR', 'OTHER',
    ]);
    expect(GROUP_KINDS).toEqual(['CONFESSIONS', 'ANONYMOUS_QA', 'MEMES', 'SUPPORT', 'OTHER']);
    expect(RISK_LEVELS).toEqual(['LOW', 'MEDIUM', 'HIGH', 'CRITICAL']);
    expect(GROUP_STATUSES).toEqual([
      'DISCOVERED', 'CONTACTING', 'ENGAGED', 'WORDING_AGREED', 'COMPLIANT',
      'UNRESPONSIVE', 'REFUSED', 'REFERRED', 'ESCALATED', 'CLOSED',
    ]);
    expect(AFFILIATIONS).toEqual(['STUDENT', 'STAFF', 'ALUMNI', 'UNAFFILIATED', 'UNKNOWN']);
    expect(CONTACT_CHANNELS).toEqual(['PLATFORM_MESSAGE', 'EMAIL', 'COMMENT', 'IN_PERSON', 'OTHER']);
    expect(CONTACT_DIRECTIONS).toEqual(['OUTBOUND', 'INBOUND']);
    expect(POLICY_STEPS).toEqual([
      'INTRODUCED', 'AFFILIATION_ASCERTAINED', 'POSITION_EXPLAINED', 'WORDING_REQUESTED', 'LOGO_REMOVAL_REQUESTED',
    ]);
    expect(CONTACT_OUTCOMES).toEqual(['NO_RESPONSE', 'RESPONDED', 'ENGAGED', 'REFUSED_TO_ENGAGE', 'REFUSED_ACCOUNTABILITY']);
    expect(WORDING_STATUSES).toEqual(['DRAFT', 'PROPOSED', 'AGREED', 'SUPERSEDED']);
    expect(WORDING_PARTIES).toEqual(['UNIVERSITY', 'ADMINISTRATORS']);
    expect(PLACEMENTS).toEqual(['PINNED_MESSAGE', 'AUTO_RESPONSE']);
    expect(PLACEMENT_STATES).toEqual(['NOT_PUBLISHED', 'PUBLISHED', 'VERIFIED', 'REMOVED']);
    expect(LOGO_STATUSES).toEqual(['NOT_USED', 'IN_USE', 'REMOVAL_REQUESTED', 'REMOVAL_VERIFIED', 'REFUSED']);
    expect(CONCERN_CATEGORIES).toEqual([
      'WELLBEING_SAFETY', 'PREJUDICE', 'DIGNITY_POLICY', 'HATE_SPEECH', 'DATA_SECURITY', 'OTHER',
    ]);
    expect(SEVERITIES).toEqual(['LOW', 'MEDIUM', 'HIGH', 'CRITICAL']);
    expect(CONCERN_ACTIONS).toEqual(['SIGNPOSTED', 'PASSED_TO_WELLBEING', 'ESCALATED', 'NONE']);
    expect(REFERRAL_REASONS).toEqual(['REFUSED_TO_ENGAGE', 'REFUSED_ACCOUNTABILITY', 'CONTENT_OF_CONCERN']);
    expect(REFERRAL_STATUSES).toEqual(['DRAFT', 'SUBMITTED', 'ACKNOWLEDGED', 'IN_PROGRESS', 'CLOSED']);
    expect(REFERRAL_OUTCOMES).toEqual(['ACTION_TAKEN', 'NO_FURTHER_ACTION', 'NOT_IN_REMIT', 'ADMINISTRATORS_COMPLIED']);
    expect(ESCALATION_KINDS).toEqual(['PLATFORM_REPORT', 'POLICE_REPORT']);
    expect(ESCALATION_STATUSES).toEqual(['DRAFT', 'APPROVED', 'REPORTED', 'CLOSED']);
    expect(SERVICE_SCOPES).toEqual([
      'groups:read', 'groups:report', 'referrals:read:DISCIPLINE', 'referrals:read:HR', 'referrals:read:LEGAL',
    ]);
  });

  it('every team is also a role, so team membership is a role', () => {
    for (const team of TEAMS) expect(ROLES).toContain(team);
  });

  it('keeps the input limits', () => {
    expect(LIMITS).toEqual({ name: 200, handle: 100, shortText: 500, longText: 10000, url: 2048, reason: 2000 });
  });

  describe('isOneOf', () => {
    it('accepts listed values and narrows the type', () => {
      const v: unknown = 'HR';
      expect(isOneOf(TEAMS, v)).toBe(true);
      if (isOneOf(TEAMS, v)) {
        const team: Team = v;
        expect(team).toBe('HR');
      }
    });

    it.each([['hr'], ['ADMIN'], [''], [null], [undefined], [42], [{}], [['HR']]])('refuses %j', (v) => {
      expect(isOneOf(TEAMS, v)).toBe(false);
    });
  });

  it('assertUnreachable throws with the unexpected value', () => {
    expect(() => assertUnreachable('SURPRISE' as never)).toThrow(/SURPRISE/);
  });
});
