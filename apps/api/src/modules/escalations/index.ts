import { EscalationResolver, GroupEscalationsFieldResolver } from './escalation.resolver.js';

// The escalations module's resolver classes, registered in ../resolvers.ts.
export const RESOLVERS: Function[] = [EscalationResolver, GroupEscalationsFieldResolver];
