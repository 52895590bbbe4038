import { Arg, Ctx, FieldResolver, Mutation, Resolver, Root } from 'type-graphql';
import type { RequestContext } from '../../common/context.js';
import { Allow } from '../../common/authorization.js';
import { Group } from '../groups/group.entity.js';
import { Concern } from './concern.entity.js';
import { RecordConcernInput } from './dto/concern.inputs.js';
import { RecordConcernPayload } from './concern.types.js';
import * as concerns from './concern.service.js';

@Resolver(() => Concern)
export class ConcernResolver {
  @Allow('concern.record')
  @Mutation(() => RecordConcernPayload, {
    description: "Record content of concern seen on a group; a HIGH or CRITICAL concern raises the group's risk level to match",
  })
  recordConcern(@Ctx() ctx: RequestContext, @Arg('input', () => RecordConcernInput) input: RecordConcernInput) {
    return concerns.recordConcern(ctx, input);
  }
}

@Resolver(() => Group)
export class GroupConcernsFieldResolver {
  @Allow('concern.read')
  @FieldResolver(() => [Concern], { description: 'Content of concern seen on the group, newest first' })
  concerns(@Ctx() ctx: RequestContext, @Root() group: Group) {
    return concerns.concernsOfGroup(ctx, group.id);
  }

  @Allow('concern.read')
  @FieldResolver(() => Boolean, { description: 'Whether a concern on the group calls for an escalation and none has been drafted or made yet' })
  escalationPrompted(@Ctx() ctx: RequestContext, @Root() group: Group) {
    return concerns.groupEscalationPrompted(ctx, group.id);
  }
}
