// The service-clients module's resolver classes, registered in ../resolvers.ts.
import { ServiceClientResolver } from './service-client.resolver.js';

export const RESOLVERS: Function[] = [ServiceClientResolver];
