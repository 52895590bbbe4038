import { describe, expect, it } from 'vitest';
import * as policy from './index.js';
// Compile-time check that the contract's type names are exported (tsc fails if one is renamed).
import type {
  Affiliation, ConcernAction, ConcernCategory, ContactChannel, ContactDirection, ContactOutcome, ErrorCode, ErrorExtensions,
  EscalationKind, EscalationStatus, GroupFacts, GroupKind, GroupStatus, LogoStatus, Permission, Placement,
  PlacementState, Platform, PolicyConfig, PolicyStep, Principal, ReferralOutcome, ReferralReason, Access,
  ReferralStatus, ReputableBody, RiskLevel, Role, RoutingAdministrator, RoutingDecision, RoutingProposal,
  RoutingResult, ServiceScope, Severity, SupportLink, Team, Transition, TransitionCheck, WordingCheck, WordingConfig,
  WordingElement, WordingElementResult, WordingParty, WordingStatus,
} from './index.js';

type ContractTypes = [
  Affiliation, ConcernAction, ConcernCategory, ContactChannel, ContactDirection, ContactOutcome, ErrorCode, ErrorExtensions<'CONFLICT'>,
  EscalationKind, EscalationStatus, GroupFacts, GroupKind, GroupStatus, LogoStatus, Permission, Placement,
  PlacementState, Platform, PolicyConfig, PolicyStep, Principal, ReferralOutcome, ReferralReason, Access,
  ReferralStatus, ReputableBody, RiskLevel, Role, RoutingAdministrator, RoutingDecision, RoutingProposal,
  RoutingResult, ServiceScope, Severity, SupportLink, Team, Transition<string, unknown>, TransitionCheck, WordingCheck,
  WordingConfig, WordingElement, WordingElementResult, WordingParty, WordingStatus,
];

/** The runtime names the API and portal code against; renaming any is a breaking change. */
const CONTRACT = [
  'ROLES', 'TEAMS', 'PLATFORMS', 'GROUP_KINDS', 'RISK_LEVELS', 'GROUP_STATUSES', 'AFFILIATIONS', 'CONTACT_CHANNELS',
  'CONTACT_DIRECTIONS', 'POLICY_STEPS', 'CONTACT_OUTCOMES', 'WORDING_STATUSES', 'WORDING_PARTIES', 'PLACEMENTS',
  'PLACEMENT_STATES', 'LOGO_STATUSES', 'CONCERN_CATEGORIES', 'SEVERITIES', 'CONCERN_ACTIONS', 'REFERRAL_REASONS',
  'REFERRAL_STATUSES', 'REFERRAL_OUTCOMES', 'ESCALATION_KINDS', 'ESCALATION_STATUSES', 'SERVICE_SCOPES', 'ERROR_CODES',
  'ERROR_MESSAGES', 'LIMITS', 'isOneOf', 'assertUnreachable',
  'PERMISSIONS', 'ROLE_PERMISSIONS', 'SCOPE_PERMISSIONS',
  'AUDIT_ACTIONS', 'AUDIT_ACTION_LABELS', 'AUDIT_ACTION_RULES', 'AUDIT_ACTIONS_OFF_GROUP_TIMELINE', 'isAuditAction',
  'PERMISSION_LABELS', 'permissionRefusal', 'ERROR_HTTP_STATUS', 'isErrorCode',
  'ANONYMOUS', 'NO_ACCESS', 'accessOf', 'allows', 'allowsAny', 'mayReadReferral', 'actsForTeam', 'mayBeAssignedGroups',
  'roleChangeUnmet', 'roleCombinationUnmet', 'serviceClientNeedsApproval', 'serviceClientActive', 'serviceClientApprovalUnmet',
  'checkTransition', 'allowedTargets', 'settle', 'checkManualMove',
  'DEFAULT_POLICY_CONFIG', 'GROUP_TRANSITIONS', 'GROUP_EVENTS', 'eventsOfContact', 'settleGroup', 'checkGroupMove',
  'unresponsiveEligible', 'referralSubmissionUnmet', 'groupTransitions', 'policySteps', 'POLICY_CHECKLIST_STEPS',
  'WORDING_TRANSITIONS', 'wordingActions', 'PLACEMENT_TRANSITIONS', 'LOGO_TRANSITIONS', 'logoInUse', 'REFERRAL_TRANSITIONS',
  'referralActions', 'checkReferralAction', 'transferUnmet', 'ESCALATION_TRANSITIONS', 'escalationActions', 'escalationPrompted',
  'acknowledgementDue', 'addWorkingDays', 'DATABASE_CONSTANTS', 'policyConstantFunctionSql',
  'teamForAffiliation', 'proposeRouting', 'resolveRouting',
  'DEFAULT_WORDING_CONFIG', 'WORDING_ELEMENTS', 'checkWording', 'WORDING_EXAMPLE',
  'nextReviewDue', 'isReviewOverdue', 'compareByReviewUrgency',
];

describe('package entry point', () => {
  it('exports every name of the contract', () => {
    const exported = policy as Record<string, unknown>;
    expect(CONTRACT.filter((name) => exported[name] === undefined)).toEqual([]);
  });

  it('the contract type names compile', () => {
    const typesCompile: ContractTypes | null = null;
    expect(typesCompile).toBeNull();
  });
});
