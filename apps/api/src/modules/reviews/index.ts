// The reviews module's resolver classes, registered in ../resolvers.ts.
import { GroupReviewsFieldResolver, ReviewResolver } from './review.resolver.js';

export const RESOLVERS: Function[] = [ReviewResolver, GroupReviewsFieldResolver];
