import { Arg, Ctx, Mutation, Resolver } from 'type-graphql';
import type { RequestContext } from '../../common/context.js';
import { Allow } from '../../common/authorization.js';
import { Group } from '../groups/group.entity.js';
import { RecordLogoStatusInput } from './dto/logo.inputs.js';
import { recordLogoStatus } from './logo.service.js';

@Resolver(() => Group)
@Allow('logo.record')
export class LogoResolver {
  @Allow('logo.record')
  @Mutation(() => Group, { description: "Record the group's use of the university logo; the group becomes COMPLIANT when nothing else is missing" })
  recordLogoStatus(@Ctx() ctx: RequestContext, @Arg('input', () => RecordLogoStatusInput) input: RecordLogoStatusInput) {
    return recordLogoStatus(ctx, input);
  }
}
