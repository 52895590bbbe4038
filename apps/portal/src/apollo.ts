import { ApolloClient, ApolloLink, HttpLink, InMemoryCache } from '@apollo/client/core';
import { onError } from '@apollo/client/link/error';

/** Called when the API says the session is gone (UNAUTHENTICATED): the router sends the person to sign in. */
let onSignedOut: () => void = () => undefined;
export function whenSignedOut(handler: () => void): void {
  onSignedOut = handler;
}

const signedOutLink = onError(({ graphQLErrors }) => {
  if (graphQLErrors?.some((e) => e.extensions?.code === 'UNAUTHENTICATED')) onSignedOut();
});

/**
 * The portal's one GraphQL client: same origin, the session cookie
 * (HttpOnly, SameSite=Strict) sent by the browser. Pages read fresh data when
 * they open, so a record another person changed is never shown stale.
 */
export const apollo = new ApolloClient({
  link: ApolloLink.from([signedOutLink, new HttpLink({ uri: '/graphql', credentials: 'same-origin' })]),
  cache: new InMemoryCache(),
  defaultOptions: {
    watchQuery: { fetchPolicy: 'cache-and-network', errorPolicy: 'all' },
    query: { fetchPolicy: 'network-only', errorPolicy: 'all' },
    mutate: { errorPolicy: 'all' },
  },
});
