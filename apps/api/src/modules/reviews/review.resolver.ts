import { Arg, Ctx, Field, FieldResolver, Mutation, ObjectType, Resolver, Root } from 'type-graphql';
import type { RequestContext } from '../../common/context.js';
import { Idempotent } from '../../common/operation-registry.js';
import { Allow } from '../../common/authorization.js';
import { Group } from '../groups/group.entity.js';
import { loadUser } from '../groups/group.service.js';
import { User } from '../users/user.entity.js';
import { Review } from './review.entity.js';
import { RecordReviewInput } from './dto/review.inputs.js';
import * as reviews from './review.service.js';

@ObjectType('RecordReviewPayload')
export class RecordReviewPayload {
  @Field(() => Review)
  review: Review;

  @Field(() => Group, { description: 'The group after the review: next review date, logo status and status updated' })
  group: Group;

  @Field(() => [String], { description: 'What the review changed or noticed, as sentences' })
  findings: string[];
}

@Resolver(() => Review)
@Allow('review.read')
export class ReviewResolver {
  @Allow('review.record')
  @Idempotent()
  @Mutation(() => RecordReviewPayload, {
    description: "Record a periodic check of the group's page: updates placements, the logo status and the next review date",
  })
  recordReview(@Ctx() ctx: RequestContext, @Arg('input', () => RecordReviewInput) input: RecordReviewInput) {
    return reviews.recordReview(ctx, input);
  }

  @Allow('review.read')
  @FieldResolver(() => User, { nullable: true, description: 'Who recorded the review' })
  reviewer(@Ctx() ctx: RequestContext, @Root() review: Review) {
    return review.createdById ? loadUser(ctx, review.createdById) : null;
  }
}

@Resolver(() => Group)
@Allow('review.read')
export class GroupReviewsFieldResolver {
  @Allow('review.read')
  @FieldResolver(() => [Review], { description: "The group's reviews, newest first" })
  reviews(@Ctx() ctx: RequestContext, @Root() group: Group) {
    return reviews.reviewsOfGroup(ctx, group.id);
  }
}
