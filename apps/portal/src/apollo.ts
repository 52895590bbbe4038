import { ApolloClient, ApolloLink, HttpLink, InMemoryCache, Observable } from '@apollo/client/core';
import { onError } from '@apollo/client/link/error';
import type { DocumentNode } from 'graphql';

/** Called when the API says the session is gone (UNAUTHENTICATED): the router sends the person to sign in. */
let onSignedOut: () => void = () => undefined;
export function whenSignedOut(handler: () => void): void {
  onSignedOut = handler;
}

const signedOutLink = onError(({ graphQLErrors }) => {
  if (graphQLErrors?.some((e) => e.extensions?.code === 'UNAUTHENTICATED')) onSignedOut();
});

/**
 * Whether operations travel by their id. A built portal (`vite build`) sends
 * only the id; the dev server sends the text, which the API accepts outside
 * production (within its limits for documents written by the caller), so a
 * page can be changed without rebuilding the portal and restarting the API.
 */
const SEND_DOCUMENT_IDS = import.meta.env.PROD;

/**
 * The id GraphQL Code Generator gave an operation (`sha256:<hex>` of its text,
 * codegen.ts): the build writes every id with its document into the manifest
 * the API registers at start (persisted-documents.json).
 */
export function documentIdOf(document: DocumentNode): string | undefined {
  const hash = (document as { __meta__?: { hash?: unknown } }).__meta__?.hash;
  return typeof hash === 'string' ? hash : undefined;
}

/**
 * Trusted documents: with NODE_ENV=production the API runs, for a person's
 * session, only the portal's registered operations, named by id. The query
 * text is left out (`includeQuery: false`) and the id goes to the request
 * through `fetchOptions` (see `fetchDocument`).
 */
const trustedDocumentLink = new ApolloLink((operation, forward) => {
  if (!SEND_DOCUMENT_IDS) return forward(operation);
  const documentId = documentIdOf(operation.query);
  if (!documentId) {
    return new Observable((observer) => {
      observer.error(new Error(`The operation ${operation.operationName ?? '(unnamed)'} has no document id: write it in a .graphql file under src, so that the build registers it with the API.`));
    });
  }
  const context = operation.getContext();
  operation.setContext({ http: { ...context.http, includeQuery: false }, fetchOptions: { ...context.fetchOptions, documentId } });
  return forward(operation);
});

/**
 * HttpLink's body is `{ operationName, variables }` once the query is left
 * out; a persisted document request (GraphQL over HTTP, Appendix A) names the
 * document too: `{ "documentId": "sha256:…", "operationName": …, "variables": … }`.
 */
function fetchDocument(input: RequestInfo | URL, init?: RequestInit & { documentId?: string }): Promise<Response> {
  const { documentId, ...options } = init ?? {};
  if (documentId && typeof options.body === 'string') options.body = JSON.stringify({ documentId, ...(JSON.parse(options.body) as object) });
  return fetch(input, options);
}

/**
 * The portal's one GraphQL client: same origin, the session cookie
 * (HttpOnly, SameSite=Strict) sent by the browser. Pages read fresh data when
 * they open, so a record another person changed is never shown stale.
 */
export const apollo = new ApolloClient({
  link: ApolloLink.from([signedOutLink, trustedDocumentLink, new HttpLink({ uri: '/graphql', credentials: 'same-origin', fetch: fetchDocument })]),
  cache: new InMemoryCache(),
  defaultOptions: {
    watchQuery: { fetchPolicy: 'cache-and-network', errorPolicy: 'all' },
    query: { fetchPolicy: 'network-only', errorPolicy: 'all' },
    mutate: { errorPolicy: 'all' },
  },
});
