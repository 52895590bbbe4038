import { AdministratorResolver, GroupAdministratorsFieldResolver } from './administrator.resolver.js';

// The administrators module's resolver classes, registered in ../resolvers.ts.
export const RESOLVERS: Function[] = [AdministratorResolver, GroupAdministratorsFieldResolver];
