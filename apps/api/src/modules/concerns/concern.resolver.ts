import { Arg, Ctx, FieldResolver, Mutation, Resolver, Root } from 'type-graphql';
import type { RequestContext } from '../../common/context.js';
import { Idempotent } from '../../common/operation-registry.js';
import { Allow } from '../../common/authorization.js';
import { Group } from '../groups/group.entity.js';
import { Administrator } from '../administrators/administrator.entity.js';
import { loadAdministrator } from '../administrators/administrator.service.js';
import { Concern } from './concern.entity.js';
import { RecordConcernInput } from './dto/concern.inputs.js';
import { RecordConcernPayload } from './concern.types.js';
import * as concerns from './concern.service.js';

@Resolver(() => Concern)
@Allow('concern.read')
export class ConcernResolver {
  @Allow('concern.record')
  @Idempotent()
  @Mutation(() => RecordConcernPayload, {
    description: "Record content of concern seen on a group; a HIGH or CRITICAL concern raises the group's risk level to match",
  })
  recordConcern(@Ctx() ctx: RequestContext, @Arg('input', () => RecordConcernInput) input: RecordConcernInput) {
    return concerns.recordConcern(ctx, input);
  }

  @Allow('administrator.read')
  @FieldResolver(() => Administrator, { nullable: true, description: 'The recorded administrator the content is about; null for the group as a whole (personal data)' })
  administrator(@Ctx() ctx: RequestContext, @Root() concern: Concern) {
    return concern.administratorId ? loadAdministrator(ctx, concern.administratorId) : null;
  }
}

@Resolver(() => Group)
@Allow('concern.read')
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
