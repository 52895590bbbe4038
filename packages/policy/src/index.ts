/**
 * `@signpost/policy`: the rules of Signpost's policy on anonymous social media
 * groups — vocabulary, roles and permissions, routing, lifecycles, the wording
 * check, the review schedule and retention — as pure functions shared by the
 * GraphQL API and the portal, so both always agree.
 *
 * @packageDocumentation
 */
export * from './vocabulary.js';
export * from './permissions.js';
export * from './principal.js';
export * from './state-machine.js';
export * from './group-lifecycle.js';
export * from './wording-lifecycle.js';
export * from './placement-lifecycle.js';
export * from './logo-lifecycle.js';
export * from './referral-lifecycle.js';
export * from './escalation-lifecycle.js';
export * from './routing.js';
export * from './wording-check.js';
export * from './review-schedule.js';
export * from './retention.js';
