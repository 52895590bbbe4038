import type { ApolloServerPlugin } from '@apollo/server';
import type { RequestContext } from './context.js';

/**
 * Diagnostics for the role × operation matrix: adds the guard's decisions to
 * the response (`extensions.authorization`), so a test can tell a call that
 * got past the permission check from one that merely failed some other way.
 * Registered only when the configuration asks for it, and never in production.
 */
export const authorizationDecisionsPlugin: ApolloServerPlugin<RequestContext> = {
  async requestDidStart() {
    return {
      async willSendResponse({ contextValue, response }) {
        if (response.body.kind !== 'single') return;
        response.body.singleResult.extensions = { ...response.body.singleResult.extensions, authorization: contextValue.decisions };
      },
    };
  },
};
