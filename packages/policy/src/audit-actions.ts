/**
 * Every action the API writes to the audit trail, with the words people read
 * for it and whether it belongs in a group's story. One registry: the API
 * types its audit writes by it (and a test fails when the trail holds an
 * action it does not list), the API's sentences start from its labels, the
 * data protection officer's filter lists it, and the database's row-level
 * security reads the actions kept off the timeline from it.
 *
 * @packageDocumentation
 */

/** What the registry knows of one audit action. */
export interface AuditActionRule {
  /** What happened, in words, sentence case: the DPO's filter and the start of the event's sentence. */
  readonly label: string;
  /** Whether the event names a group (its group_id is set): only those can be on a group's timeline. */
  readonly aboutGroup: boolean;
  /** Whether the social media team sees it in the group's story (never for an event about no group). */
  readonly onGroupTimeline: boolean;
}

const group = (label: string): AuditActionRule => ({ label, aboutGroup: true, onGroupTimeline: true });
const offTimeline = (label: string): AuditActionRule => ({ label, aboutGroup: true, onGroupTimeline: false });
const noGroup = (label: string): AuditActionRule => ({ label, aboutGroup: false, onGroupTimeline: false });

/** The registry, action → rule, in the order the DPO's filter lists them. */
export const AUDIT_ACTION_RULES = Object.freeze({
  'group.create': group('Group recorded'),
  'group.update': group('Group details changed'),
  'group.status': group('Group status changed'),
  'administrator.add': group('Administrator added'),
  'administrator.update': group('Administrator details changed'),
  'contact.log': group('Contact logged'),
  'concern.record': group('Concern recorded'),
  'wording.propose': group('Wording proposed'),
  'wording.approve': group('Wording approved'),
  'wording.supersede': group('Wording superseded'),
  'placement.record': group('Placement recorded'),
  'logo.record': group('Logo use recorded'),
  'review.record': group('Review recorded'),
  // Who read a referral, and that a team wrote a note (team notes are the team's alone): the trail only.
  'referral.read': offTimeline('Referral read'),
  'referral.draft': group('Referral drafted'),
  'referral.update': group('Referral draft changed'),
  'referral.submit': group('Referral submitted'),
  'referral.acknowledge': group('Referral acknowledged'),
  'referral.status': group('Referral status changed'),
  'referral.note': offTimeline('Referral note added'),
  'referral.transfer': group('Referral transferred'),
  'referral.close': group('Referral closed'),
  'escalation.record': group('Escalation drafted'),
  'escalation.approve': group('Escalation approved'),
  'escalation.report': group('Escalation reported'),
  'escalation.close': group('Escalation closed'),
  'wordingTemplate.create': noGroup('Wording template created'),
  'wordingTemplate.revise': noGroup('Wording template revised'),
  'user.create': noGroup('User created'),
  'user.setRoles': noGroup('User roles changed'),
  'user.disable': noGroup('User disabled'),
  'serviceClient.create': noGroup('Service client created'),
  'serviceClient.approve': noGroup('Service client approved'),
  'serviceClient.revoke': noGroup('Service client revoked'),
  'auth.login': noGroup('Signed in'),
  'auth.oidcRefused': noGroup('Sign-in refused'),
} satisfies Record<string, AuditActionRule>);

/** An action the API may write to the audit trail. */
export type AuditAction = keyof typeof AUDIT_ACTION_RULES;

/** Every audit action, in the registry's order. */
export const AUDIT_ACTIONS: readonly AuditAction[] = Object.freeze(Object.keys(AUDIT_ACTION_RULES) as AuditAction[]);

/** The words for each audit action. */
export const AUDIT_ACTION_LABELS: Readonly<Record<AuditAction, string>> = Object.freeze(
  Object.fromEntries(AUDIT_ACTIONS.map((a) => [a, AUDIT_ACTION_RULES[a].label])) as Record<AuditAction, string>,
);

/** Whether a value read back (e.g. from a URL or an older row) is an action of the registry. */
export function isAuditAction(value: unknown): value is AuditAction {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(AUDIT_ACTION_RULES, value);
}

/**
 * Audit events about a group that the social media team does not see in the
 * group's story: who read a referral, and that a team wrote a note. The data
 * protection officer sees them in the trail. Derived from the registry; the
 * database's row-level security holds the same list (`policy_constant`).
 */
export const AUDIT_ACTIONS_OFF_GROUP_TIMELINE: readonly string[] = Object.freeze(
  AUDIT_ACTIONS.filter((a) => AUDIT_ACTION_RULES[a].aboutGroup && !AUDIT_ACTION_RULES[a].onGroupTimeline),
);
