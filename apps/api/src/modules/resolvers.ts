import type { NonEmptyArray } from 'type-graphql';
import { MeResolver } from './users/me.resolver.js';
import { GroupResolver } from './groups/group.resolver.js';

// Every resolver class of the API. A module's field resolvers on another type (e.g. Group.administrators) live in that module.
export const RESOLVERS: NonEmptyArray<Function> = [MeResolver, GroupResolver];
