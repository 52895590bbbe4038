import { describe, expect, it } from 'vitest';
import {
  AUDIT_ACTION_LABELS, AUDIT_ACTION_RULES, AUDIT_ACTIONS, AUDIT_ACTIONS_OFF_GROUP_TIMELINE, isAuditAction,
} from './audit-actions.js';
import { DATABASE_CONSTANTS } from './database-constants.js';

describe('audit actions', () => {
  it('names every action as entity.verb and labels it in words, sentence case, no two alike', () => {
    expect(AUDIT_ACTIONS.length).toBeGreaterThan(30);
    for (const action of AUDIT_ACTIONS) {
      expect(action).toMatch(/^[a-z][A-Za-z]*\.[a-z][A-Za-z]*$/);
      const label = AUDIT_ACTION_LABELS[action];
      expect(label.trim().length, action).toBeGreaterThan(5);
      expect(label.charAt(0), action).toBe(label.charAt(0).toUpperCase());
      // Words, not the action's code name.
      expect(label, action).not.toMatch(/[._]|[a-z][A-Z]/);
    }
    const seen = AUDIT_ACTIONS.map((a) => AUDIT_ACTION_LABELS[a].toLowerCase());
    expect(new Set(seen).size).toBe(seen.length);
    expect(Object.keys(AUDIT_ACTION_LABELS)).toEqual([...AUDIT_ACTIONS]);
  });

  it('reads sample actions as people say them', () => {
    expect(AUDIT_ACTION_LABELS['contact.log']).toBe('Contact logged');
    expect(AUDIT_ACTION_LABELS['wording.propose']).toBe('Wording proposed');
    expect(AUDIT_ACTION_LABELS['auth.login']).toBe('Signed in');
  });

  it('puts on a group timeline only events about a group', () => {
    for (const action of AUDIT_ACTIONS) {
      const rule = AUDIT_ACTION_RULES[action];
      if (rule.onGroupTimeline) expect(rule.aboutGroup, action).toBe(true);
    }
    expect(AUDIT_ACTION_RULES['user.create']).toMatchObject({ aboutGroup: false, onGroupTimeline: false });
    expect(AUDIT_ACTION_RULES['contact.log']).toMatchObject({ aboutGroup: true, onGroupTimeline: true });
  });

  it('keeps reads of referrals and team notes off the timeline, the list the database holds too', () => {
    expect(AUDIT_ACTIONS_OFF_GROUP_TIMELINE).toEqual(['referral.read', 'referral.note']);
    expect(Object.isFrozen(AUDIT_ACTIONS_OFF_GROUP_TIMELINE)).toBe(true);
    expect(DATABASE_CONSTANTS.audit_actions_off_group_timeline).toBe(AUDIT_ACTIONS_OFF_GROUP_TIMELINE);
  });

  it('tells an action of the registry from anything else', () => {
    expect(isAuditAction('group.status')).toBe(true);
    expect(isAuditAction('group.nope')).toBe(false);
    expect(isAuditAction('toString')).toBe(false);
    expect(isAuditAction(undefined)).toBe(false);
  });
});
