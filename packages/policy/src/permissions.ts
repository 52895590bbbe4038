/**
 * Permissions as data: what each role and each service scope may do. Keeping
 * this as a table (rather than `if` statements scattered through resolvers)
 * lets the API enforce it, the portal hide what a user cannot do, and the
 * tests check the whole matrix at once.
 *
 * @packageDocumentation
 */
import type { Role, ServiceScope } from './vocabulary.js';

/** Every permission, as dotted `resource.action` strings. */
export const PERMISSIONS = [
  // The register: name, platform, handle, url, kind, status, risk, review due — no personal data.
  'group.read',
  // Notes, assigned officer, discovery details, timeline.
  'group.readInternal',
  'group.create',
  'group.update',
  'group.close',
  'group.reopen',
  // A service client's sighting of a new group.
  'group.report',
  'administrator.read',
  'administrator.write',
  'contact.read',
  'contact.write',
  'wording.read',
  'wording.propose',
  'wording.approve',
  'wordingTemplate.read',
  'wordingTemplate.manage',
  'placement.record',
  'logo.record',
  'concern.read',
  'concern.record',
  'review.read',
  'review.record',
  'referral.read',
  'referral.draft',
  'referral.submit',
  'referral.overrideRouting',
  'referral.acknowledge',
  'referral.progress',
  'referral.note',
  'referral.transfer',
  'referral.close',
  'escalation.read',
  'escalation.draft',
  'escalation.approve',
  'escalation.record',
  'audit.read',
  'dataSubject.export',
  'dataSubject.erase',
  'user.manage',
  'serviceClient.manage',
] as const;
/** A permission. */
export type Permission = (typeof PERMISSIONS)[number];

/** What the social media team does day to day (DOMAIN.md, officer row). */
const OFFICER_PERMISSIONS: readonly Permission[] = Object.freeze([
  'group.read',
  'group.readInternal',
  'group.create',
  'group.update',
  'group.close',
  'group.reopen',
  'administrator.read',
  'administrator.write',
  'contact.read',
  'contact.write',
  'wording.read',
  'wording.propose',
  'wordingTemplate.read',
  'placement.record',
  'logo.record',
  'concern.read',
  'concern.record',
  'review.read',
  'review.record',
  'referral.read',
  'referral.draft',
  'escalation.read',
  'escalation.draft',
  'escalation.record',
] satisfies Permission[]);

/** What only the head of the team may add to the officer's work. */
const LEAD_ONLY_PERMISSIONS: readonly Permission[] = Object.freeze([
  'wording.approve',
  'wordingTemplate.manage',
  'referral.submit',
  'referral.overrideRouting',
  'escalation.approve',
] satisfies Permission[]);

/**
 * What a receiving team may do with referrals. Which referrals is decided by
 * `referralScope` / `canActOnReferral`: only those routed to their team.
 */
const RECEIVING_TEAM_PERMISSIONS: readonly Permission[] = Object.freeze([
  'referral.read',
  'referral.acknowledge',
  'referral.progress',
  'referral.note',
  'referral.transfer',
  'referral.close',
] satisfies Permission[]);

/**
 * Permissions of each role. A user's permissions are the union over the roles
 * they hold. `ADMIN` deliberately has no access to referral (or any group)
 * content.
 */
export const ROLE_PERMISSIONS: Readonly<Record<Role, readonly Permission[]>> = Object.freeze({
  SOCIAL_MEDIA_OFFICER: OFFICER_PERMISSIONS,
  SOCIAL_MEDIA_LEAD: Object.freeze([...OFFICER_PERMISSIONS, ...LEAD_ONLY_PERMISSIONS]),
  DISCIPLINE: RECEIVING_TEAM_PERMISSIONS,
  HR: RECEIVING_TEAM_PERMISSIONS,
  LEGAL: RECEIVING_TEAM_PERMISSIONS,
  DATA_PROTECTION: Object.freeze(['audit.read', 'dataSubject.export', 'dataSubject.erase'] satisfies Permission[]),
  ADMIN: Object.freeze(['user.manage', 'serviceClient.manage'] satisfies Permission[]),
});

/**
 * Permissions each service scope grants. `referrals:read:<TEAM>` grants
 * `referral.read` only; the team restriction is applied by `referralScope`.
 */
export const SCOPE_PERMISSIONS: Readonly<Record<ServiceScope, readonly Permission[]>> = Object.freeze({
  'groups:read': Object.freeze(['group.read'] satisfies Permission[]),
  'groups:report': Object.freeze(['group.report'] satisfies Permission[]),
  'referrals:read:DISCIPLINE': Object.freeze(['referral.read'] satisfies Permission[]),
  'referrals:read:HR': Object.freeze(['referral.read'] satisfies Permission[]),
  'referrals:read:LEGAL': Object.freeze(['referral.read'] satisfies Permission[]),
});

/**
 * The actions on a referral that belong to the receiving team alone: they need
 * the permission and the referral's team role (see `canActOnReferral`).
 */
export const RECEIVING_TEAM_ACTIONS: readonly Permission[] = Object.freeze([
  'referral.acknowledge',
  'referral.progress',
  'referral.note',
  'referral.transfer',
  'referral.close',
] satisfies Permission[]);

/**
 * The permission registry's words: what each permission lets a person do, as
 * the end of "Your role does not allow you to …". Shown in refusals, in the
 * reasons a client gives for a disabled action, and beside roles in the
 * portal's user pages.
 */
export const PERMISSION_LABELS: Readonly<Record<Permission, string>> = Object.freeze({
  'group.read': 'see the register of groups',
  'group.readInternal': "see the team's internal details of groups (notes, assigned officer, timeline)",
  'group.create': 'record groups',
  'group.update': 'change groups',
  'group.close': 'close groups',
  'group.reopen': 'reopen groups',
  'group.report': 'report sightings of groups',
  'administrator.read': "see groups' administrators",
  'administrator.write': 'record and change administrators',
  'contact.read': 'see the contact log',
  'contact.write': 'log contacts with administrators',
  'wording.read': 'see signposting wording',
  'wording.propose': 'propose signposting wording',
  'wording.approve': 'approve signposting wording',
  'wordingTemplate.read': 'see wording templates',
  'wordingTemplate.manage': 'manage wording templates',
  'placement.record': 'record where wording is published',
  'logo.record': "record groups' use of the logo",
  'concern.read': 'see concerns',
  'concern.record': 'record concerns',
  'review.read': 'see reviews',
  'review.record': 'record reviews',
  'referral.read': 'see referrals',
  'referral.draft': 'draft referrals',
  'referral.submit': 'submit referrals',
  'referral.overrideRouting': 'override the routing of referrals',
  'referral.acknowledge': 'acknowledge referrals',
  'referral.progress': 'progress referrals',
  'referral.note': 'add notes to referrals',
  'referral.transfer': 'transfer referrals to another team',
  'referral.close': 'close referrals',
  'escalation.read': 'see escalations',
  'escalation.draft': 'draft escalations',
  'escalation.approve': 'approve escalations',
  'escalation.record': 'record escalation reports and outcomes',
  'audit.read': 'read the audit trail',
  'dataSubject.export': 'export what is held about a person',
  'dataSubject.erase': 'erase what is held about a person',
  'user.manage': 'manage people and their roles',
  'serviceClient.manage': 'manage service clients',
});

/** "Your role does not allow you to …": the sentence for a missing permission. */
export function permissionRefusal(permission: Permission): string {
  return `your role does not allow you to ${PERMISSION_LABELS[permission]}`;
}

/**
 * A permission as a GraphQL enum value (`Me.permissions`): `group.readInternal`
 * → `GROUP_READ_INTERNAL`. The API names the enum with it; clients that read
 * `Me.permissions` compare with it.
 */
export const permissionEnumName = (p: Permission): string => p.replace(/([a-z])([A-Z])/g, '$1_$2').replace('.', '_').toUpperCase();
