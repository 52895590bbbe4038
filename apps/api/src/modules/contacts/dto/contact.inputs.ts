import { Field, ID, InputType } from 'type-graphql';
import { ArrayMaxSize, IsDate, IsIn, IsOptional, IsUUID, MaxLength } from 'class-validator';
import {
  CONTACT_CHANNELS, CONTACT_DIRECTIONS, CONTACT_OUTCOMES, LIMITS, POLICY_STEPS,
  type ContactChannel, type ContactDirection, type ContactOutcome, type PolicyStep,
} from '@signpost/policy';
import { ContactChannelEnum, ContactDirectionEnum, ContactOutcomeEnum, PolicyStepEnum } from '../../../common/graphql-enums.js';
import { IsCleanText, IsNotBlank, IsRecordedDate } from '../../../common/validation.js';

@InputType('LogContactInput')
export class LogContactInput {
  @Field(() => ID) @IsUUID()
  groupId: string;

  @Field(() => ID, { nullable: true, description: 'The recorded administrator the contact was with; must belong to the group' })
  @IsOptional() @IsUUID()
  administratorId?: string | null;

  @Field(() => Date, { description: 'When it happened; at most a few minutes in the future' }) @IsDate() @IsRecordedDate()
  occurredAt: Date;

  @Field(() => ContactChannelEnum) @IsIn(CONTACT_CHANNELS)
  channel: ContactChannel;

  @Field(() => ContactDirectionEnum, { description: 'OUTBOUND when the team made the contact, INBOUND when the administrators did' })
  @IsIn(CONTACT_DIRECTIONS)
  direction: ContactDirection;

  @Field(() => String, { nullable: true, description: 'With whom, when not a recorded administrator' })
  @IsOptional() @MaxLength(LIMITS.name) @IsCleanText()
  withWhom?: string | null;

  @Field(() => String, { description: 'What was said' })
  @IsNotBlank() @MaxLength(LIMITS.longText) @IsCleanText({ multiline: true })
  summary: string;

  @Field(() => [PolicyStepEnum], { defaultValue: [], description: 'The policy steps this contact covered' })
  @ArrayMaxSize(POLICY_STEPS.length) @IsIn(POLICY_STEPS, { each: true })
  steps: PolicyStep[];

  @Field(() => ContactOutcomeEnum) @IsIn(CONTACT_OUTCOMES)
  outcome: ContactOutcome;
}
