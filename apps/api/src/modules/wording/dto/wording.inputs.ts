import { Field, ID, InputType, Int } from 'type-graphql';
import { IsBoolean, IsIn, IsInt, IsOptional, IsUUID, MaxLength, Min } from 'class-validator';
import { LIMITS, WORDING_PARTIES, type WordingParty } from '@signpost/policy';
import { WordingPartyEnum } from '../../../common/graphql-enums.js';
import { IsCleanText, IsNotBlank } from '../../../common/validation.js';

@InputType('ProposeWordingInput', {
  description: "Adds a version to the group's open agreement (DRAFT or PROPOSED), or starts a new agreement when there is none",
})
export class ProposeWordingInput {
  @Field(() => ID)
  @IsUUID()
  groupId: string;

  @Field(() => String, { description: 'The full text of this version' })
  @IsNotBlank() @MaxLength(LIMITS.longText) @IsCleanText({ multiline: true })
  text: string;

  @Field(() => WordingPartyEnum, { defaultValue: 'UNIVERSITY', description: 'Who proposed this text' })
  @IsIn(WORDING_PARTIES)
  proposedBy: WordingParty;

  @Field(() => ID, { nullable: true, description: 'The wording template the text started from' })
  @IsOptional() @IsUUID()
  templateId?: string | null;

  @Field(() => Boolean, { defaultValue: false, description: 'Keep the agreement as a DRAFT instead of proposing it to the administrators' })
  @IsBoolean()
  asDraft: boolean;

  @Field(() => Int, {
    nullable: true,
    description: 'The version of the open agreement you read; refused with CONFLICT if it has changed since',
  })
  @IsOptional() @IsInt() @Min(1)
  agreementVersion?: number | null;
}

@InputType('ApproveWordingInput')
export class ApproveWordingInput {
  @Field(() => ID)
  @IsUUID()
  agreementId: string;

  @Field(() => Int, { description: 'The version of the agreement you read' })
  @IsInt() @Min(1)
  version: number;
}
