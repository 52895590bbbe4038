import { ConcernResolver, GroupConcernsFieldResolver } from './concern.resolver.js';

// The concerns module's resolver classes, registered in ../resolvers.ts.
export const RESOLVERS: Function[] = [ConcernResolver, GroupConcernsFieldResolver];
