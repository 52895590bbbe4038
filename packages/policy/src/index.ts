/**
 * `@signpost/policy`: the rules of Signpost's policy on anonymous social media
 * groups — vocabulary, access (roles, permissions, teams), separation of
 * duties, routing, lifecycles and what each caller may do next, the policy's
 * checklist, the wording check, the review schedule, working days, retention
 * and the error contract — as pure functions shared by the GraphQL API and
 * the portal, so both always agree.
 *
 * @packageDocumentation
 */
export * from './vocabulary.js';
export * from './labels.js';
export * from './audit-actions.js';
export * from './errors.js';
export * from './permissions.js';
export * from './principal.js';
export * from './duties.js';
export * from './state-machine.js';
export * from './actions.js';
export * from './group-lifecycle.js';
export * from './wording-lifecycle.js';
export * from './placement-lifecycle.js';
export * from './logo-lifecycle.js';
export * from './referral-lifecycle.js';
export * from './escalation-lifecycle.js';
export * from './group-transitions.js';
export * from './policy-steps.js';
export * from './routing.js';
export * from './wording-check.js';
export * from './review-schedule.js';
export * from './working-days.js';
export * from './retention.js';
export * from './database-constants.js';
