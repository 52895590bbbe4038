import { ContactLogResolver, GroupContactLogFieldResolver } from './contact.resolver.js';

// The contacts module's resolver classes, registered in ../resolvers.ts.
export const RESOLVERS: Function[] = [ContactLogResolver, GroupContactLogFieldResolver];
