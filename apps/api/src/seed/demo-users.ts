import type { Role } from '@signpost/policy';

export const DEMO_PASSWORD = 'signpost-demo';

/** One demo account per role; the README lists them. */
export const DEMO_USERS: { email: string; displayName: string; roles: Role[] }[] = [
  { email: 'officer@signpost.test', displayName: 'Olivia Officer', roles: ['SOCIAL_MEDIA_OFFICER'] },
  { email: 'lead@signpost.test', displayName: 'Leo Lead', roles: ['SOCIAL_MEDIA_LEAD'] },
  { email: 'discipline@signpost.test', displayName: 'Dana Discipline', roles: ['DISCIPLINE'] },
  { email: 'hr@signpost.test', displayName: 'Harper HR', roles: ['HR'] },
  { email: 'legal@signpost.test', displayName: 'Lee Legal', roles: ['LEGAL'] },
  { email: 'dpo@signpost.test', displayName: 'Devi Data Protection', roles: ['DATA_PROTECTION'] },
  { email: 'admin@signpost.test', displayName: 'Ada Admin', roles: ['ADMIN'] },
  // Separation of duties needs a second administrator: to change Ada's roles, or approve a service client she made.
  { email: 'admin2@signpost.test', displayName: 'Sam Second-Admin', roles: ['ADMIN'] },
];
