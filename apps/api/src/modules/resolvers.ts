import type { NonEmptyArray } from 'type-graphql';
import { MeResolver } from './users/me.resolver.js';
import { GroupResolver } from './groups/group.resolver.js';
import { GroupPolicyFieldResolver } from './groups/group-policy.resolver.js';
import { RESOLVERS as ADMINISTRATORS } from './administrators/index.js';
import { RESOLVERS as CONTACTS } from './contacts/index.js';
import { RESOLVERS as CONCERNS } from './concerns/index.js';
import { RESOLVERS as WORDING } from './wording/index.js';
import { RESOLVERS as REVIEWS } from './reviews/index.js';
import { RESOLVERS as REFERRALS } from './referrals/index.js';
import { RESOLVERS as ESCALATIONS } from './escalations/index.js';
import { RESOLVERS as AUDIT } from './audit/index.js';
import { GroupSightingResolver } from './groups/group-sighting.resolver.js';
import { UserResolver } from './users/user.resolver.js';
import { RESOLVERS as SERVICE_CLIENTS } from './service-clients/index.js';

// Every resolver class of the API. A module's field resolvers on another type (e.g. Group.administrators) live in that module.
export const RESOLVERS: NonEmptyArray<Function> = [
  MeResolver, GroupResolver, GroupPolicyFieldResolver, ...ADMINISTRATORS, ...CONTACTS, ...CONCERNS, ...WORDING, ...REVIEWS, ...REFERRALS, ...ESCALATIONS, ...AUDIT,
  GroupSightingResolver, UserResolver, ...SERVICE_CLIENTS,
];
