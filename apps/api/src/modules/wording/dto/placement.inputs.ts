import { Field, ID, InputType, Int } from 'type-graphql';
import { IsIn, IsInt, IsOptional, IsUUID, MaxLength, Min } from 'class-validator';
import { LIMITS, PLACEMENT_STATES, PLACEMENTS, type Placement, type PlacementState } from '@signpost/policy';
import { PlacementEnum, PlacementStateEnum } from '../../../common/graphql-enums.js';
import { IsCleanText, IsWebUrl } from '../../../common/validation.js';

@InputType('RecordPlacementInput', { description: "A change in the publication of the group's agreed wording" })
export class RecordPlacementInput {
  @Field(() => ID)
  @IsUUID()
  groupId: string;

  @Field(() => PlacementEnum)
  @IsIn(PLACEMENTS)
  placement: Placement;

  @Field(() => PlacementStateEnum, { description: 'The new state' })
  @IsIn(PLACEMENT_STATES)
  state: PlacementState;

  @Field(() => String, { nullable: true, description: 'A link to the placement; PUBLISHED and VERIFIED need this or a note. Left out: the earlier link stays' })
  @IsOptional() @MaxLength(LIMITS.url) @IsWebUrl()
  evidenceUrl?: string | null;

  @Field(() => String, { nullable: true, description: 'What was seen; PUBLISHED and VERIFIED need this or a link. Left out: the earlier note stays' })
  @IsOptional() @MaxLength(LIMITS.shortText) @IsCleanText({ multiline: true })
  evidenceNote?: string | null;

  @Field(() => Int, { description: 'The version of the placement record you read' })
  @IsInt() @Min(1)
  version: number;
}
