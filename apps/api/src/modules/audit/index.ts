import { AuditEventResolver, GroupTimelineResolver } from './audit.resolver.js';

// The audit module's resolver classes, registered in ../resolvers.ts.
export const RESOLVERS: Function[] = [AuditEventResolver, GroupTimelineResolver];
