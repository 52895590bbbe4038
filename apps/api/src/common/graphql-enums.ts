import { registerEnumType } from 'type-graphql';
import {
  AFFILIATIONS, CONCERN_ACTIONS, CONCERN_CATEGORIES, CONTACT_CHANNELS, CONTACT_DIRECTIONS,
  CONTACT_OUTCOMES, ESCALATION_KINDS, ESCALATION_STATUSES, GROUP_KINDS, GROUP_STATUSES,
  LOGO_STATUSES, PLACEMENT_STATES, PLACEMENTS, PLATFORMS, POLICY_STEPS, REFERRAL_OUTCOMES,
  REFERRAL_REASONS, REFERRAL_STATUSES, RISK_LEVELS, ROLES, SEVERITIES, TEAMS, WORDING_PARTIES,
  WORDING_STATUSES, WORDING_ELEMENTS, PERMISSIONS, PERMISSION_LABELS, permissionEnumName, type Permission,
} from '@signpost/policy';

/** type-graphql wants enum objects; the policy keeps the vocabulary as const arrays. */
function enumOf<T extends string>(values: readonly T[], name: string, description: string): { [K in T]: K } {
  const obj = Object.fromEntries(values.map((v) => [v, v])) as { [K in T]: K };
  registerEnumType(obj, { name, description });
  return obj;
}

export const RoleEnum = enumOf(ROLES, 'Role', 'A role a person holds in Signpost');
export const TeamEnum = enumOf(TEAMS, 'Team', 'A team that receives referrals');
export const PlatformEnum = enumOf(PLATFORMS, 'Platform', 'The social media platform a group lives on');
export const GroupKindEnum = enumOf(GROUP_KINDS, 'GroupKind', 'What sort of page the group is');
export const RiskLevelEnum = enumOf(RISK_LEVELS, 'RiskLevel', 'How much risk the group carries; sets the review interval');
export const GroupStatusEnum = enumOf(GROUP_STATUSES, 'GroupStatus', "Where the group is in the policy's lifecycle");
export const AffiliationEnum = enumOf(AFFILIATIONS, 'Affiliation', "An administrator's link to the university; decides routing");
export const ContactChannelEnum = enumOf(CONTACT_CHANNELS, 'ContactChannel', 'How a contact happened');
export const ContactDirectionEnum = enumOf(CONTACT_DIRECTIONS, 'ContactDirection', 'Who started the contact');
export const PolicyStepEnum = enumOf(POLICY_STEPS, 'PolicyStep', 'A step of the policy a contact covered');
export const ContactOutcomeEnum = enumOf(CONTACT_OUTCOMES, 'ContactOutcome', 'What came of a contact');
export const WordingStatusEnum = enumOf(WORDING_STATUSES, 'WordingStatus', 'Where a wording agreement stands');
export const WordingPartyEnum = enumOf(WORDING_PARTIES, 'WordingParty', 'Who proposed a version of the wording');
export const WordingElementEnum = enumOf(WORDING_ELEMENTS, 'WordingElement', 'An element the signposting wording must contain');
export const PlacementEnum = enumOf(PLACEMENTS, 'Placement', 'Where agreed wording is published');
export const PlacementStateEnum = enumOf(PLACEMENT_STATES, 'PlacementState', 'Publication state of a placement');
export const LogoStatusEnum = enumOf(LOGO_STATUSES, 'LogoStatus', "Whether the group uses the university's logo");
export const ConcernCategoryEnum = enumOf(CONCERN_CATEGORIES, 'ConcernCategory', 'The kind of content of concern');
export const SeverityEnum = enumOf(SEVERITIES, 'Severity', 'How severe a concern is');
export const ConcernActionEnum = enumOf(CONCERN_ACTIONS, 'ConcernAction', 'What was done about a concern');
export const ReferralReasonEnum = enumOf(REFERRAL_REASONS, 'ReferralReason', 'Why administrators are referred');
export const ReferralStatusEnum = enumOf(REFERRAL_STATUSES, 'ReferralStatus', 'Where a referral stands');
export const ReferralOutcomeEnum = enumOf(REFERRAL_OUTCOMES, 'ReferralOutcome', 'How a receiving team closed a referral');
export const EscalationKindEnum = enumOf(ESCALATION_KINDS, 'EscalationKind', 'Report to the platform or to the police');
export const EscalationStatusEnum = enumOf(ESCALATION_STATUSES, 'EscalationStatus', 'Where an escalation stands');

/** `group.readInternal` → `GROUP_READ_INTERNAL`: GraphQL enum values cannot hold dots. */

/** The permission registry as a GraphQL enum: names a client's code generator knows, with the registry's words as descriptions. */
export const PermissionEnum = Object.fromEntries(PERMISSIONS.map((p) => [permissionEnumName(p), p])) as Record<string, Permission>;
registerEnumType(PermissionEnum, {
  name: 'Permission',
  description: 'What a role or service scope allows (the policy package\'s permission registry); e.g. GROUP_UPDATE is group.update',
  valuesConfig: Object.fromEntries(PERMISSIONS.map((p) => [permissionEnumName(p), { description: `${p}: ${PERMISSION_LABELS[p]}` }])),
});
