import { Arg, Ctx, Field, ID, Mutation, ObjectType, Resolver } from 'type-graphql';
import type { GroupStatus } from '@signpost/policy';
import type { RequestContext } from '../../common/context.js';
import { Idempotent } from '../../common/operation-registry.js';
import { Allow } from '../../common/authorization.js';
import { GroupStatusEnum } from '../../common/graphql-enums.js';
import { ReportGroupSightingInput } from './dto/group-sighting.inputs.js';
import { reportSighting } from './group-sighting.service.js';

/** What a reporter gets back: enough to refer to its report, nothing of the register. */
@ObjectType('GroupSighting', { description: 'A reported group, as recorded in the register' })
export class GroupSighting {
  @Field(() => ID) id: string;
  @Field(() => String) name: string;
  @Field(() => GroupStatusEnum) status: GroupStatus;
}

@Resolver(() => GroupSighting)
@Allow('group.report')
export class GroupSightingResolver {
  @Allow('group.report')
  @Idempotent()
  @Mutation(() => GroupSighting, { description: 'Report a group seen by another service (scope groups:report); it is recorded as DISCOVERED' })
  async reportGroupSighting(@Ctx() ctx: RequestContext, @Arg('input', () => ReportGroupSightingInput) input: ReportGroupSightingInput): Promise<GroupSighting> {
    const group = await reportSighting(ctx, input);
    return { id: group.id, name: group.name, status: group.status };
  }
}
