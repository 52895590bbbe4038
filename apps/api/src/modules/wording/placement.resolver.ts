import { Arg, Ctx, Mutation, Resolver } from 'type-graphql';
import type { RequestContext } from '../../common/context.js';
import { Allow } from '../../common/authorization.js';
import { PlacementRecord } from './placement-record.entity.js';
import { RecordPlacementInput } from './dto/placement.inputs.js';
import { recordPlacement } from './placement.service.js';

@Resolver(() => PlacementRecord)
@Allow('wording.read')
export class PlacementResolver {
  @Allow('placement.record')
  @Mutation(() => PlacementRecord, {
    description: "Record that the agreed wording was published, verified or removed in one placement; the group's status follows",
  })
  recordPlacement(@Ctx() ctx: RequestContext, @Arg('input', () => RecordPlacementInput) input: RecordPlacementInput) {
    return recordPlacement(ctx, input);
  }
}
