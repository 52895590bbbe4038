import type { ApolloServerPlugin } from '@apollo/server';
import type { RequestContext } from './context.js';

/** Idempotency keys on creating mutations, submit and transfer. */
export const idempotencyPlugin: ApolloServerPlugin<RequestContext> = {};
