import type { ApolloError } from '@apollo/client/core';

/**
 * Whether the API said the record is not there for this person: it does not
 * exist, is out of their scope (answered exactly like "does not exist"), or the
 * id in the address is not an id at all. The page then reads "Page not found".
 */
export function isMissingRecord(error: ApolloError | null | undefined): boolean {
  return Boolean(error?.graphQLErrors.some((e) => e.extensions?.code === 'NOT_FOUND' || e.extensions?.code === 'BAD_USER_INPUT'));
}
