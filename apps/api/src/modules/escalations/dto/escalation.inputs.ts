import { Field, ID, InputType, Int } from 'type-graphql';
import { ArrayMaxSize } from 'class-validator';
import { IsDate, IsIn, IsInt, IsOptional, IsUUID, MaxLength, Min } from 'class-validator';
import { ESCALATION_KINDS, ESCALATION_STATUSES, LIMITS, type EscalationKind, type EscalationStatus } from '@signpost/policy';
import { EscalationKindEnum, EscalationStatusEnum } from '../../../common/graphql-enums.js';
import { IsCleanText, IsNotBlank, IsRecordedDate } from '../../../common/validation.js';

@InputType('RecordEscalationInput')
export class RecordEscalationInput {
  @Field(() => ID) @IsUUID()
  groupId: string;

  @Field(() => EscalationKindEnum) @IsIn(ESCALATION_KINDS)
  kind: EscalationKind;

  @Field(() => String, { description: 'Why the group must be reported' })
  @IsNotBlank() @MaxLength(LIMITS.reason) @IsCleanText({ multiline: true })
  reason: string;
}

@InputType('ApproveEscalationInput')
export class ApproveEscalationInput {
  @Field(() => ID) @IsUUID()
  id: string;

  @Field(() => Int, { description: 'The version you read' }) @IsInt() @Min(1)
  version: number;
}

@InputType('ReportEscalationInput', { description: 'Record that the report was made; a lead may approve and report a draft at once' })
export class ReportEscalationInput {
  @Field(() => ID) @IsUUID()
  id: string;

  @Field(() => Int) @IsInt() @Min(1)
  version: number;

  @Field(() => String, { nullable: true, description: 'Platform ticket or crime reference' })
  @IsOptional() @MaxLength(LIMITS.shortText) @IsCleanText()
  externalReference?: string | null;

  @Field(() => Date, { nullable: true, description: 'When the report was made; defaults to now' })
  @IsOptional() @IsDate() @IsRecordedDate()
  reportedAt?: Date | null;
}

@InputType('CloseEscalationInput')
export class CloseEscalationInput {
  @Field(() => ID) @IsUUID()
  id: string;

  @Field(() => Int) @IsInt() @Min(1)
  version: number;

  @Field(() => String, { description: 'What came of the report (page removed, no action, ...)' })
  @IsNotBlank() @MaxLength(LIMITS.longText) @IsCleanText({ multiline: true })
  outcome: string;
}

@InputType('EscalationFilter', { description: 'All given conditions must hold' })
export class EscalationFilter {
  @Field(() => [EscalationStatusEnum], { nullable: true })
  @IsOptional() @ArrayMaxSize(ESCALATION_STATUSES.length) @IsIn(ESCALATION_STATUSES, { each: true })
  status?: EscalationStatus[];

  @Field(() => [EscalationKindEnum], { nullable: true })
  @IsOptional() @ArrayMaxSize(ESCALATION_KINDS.length) @IsIn(ESCALATION_KINDS, { each: true })
  kind?: EscalationKind[];

  @Field(() => ID, { nullable: true, description: 'Only escalations of this group' })
  @IsOptional() @IsUUID()
  groupId?: string;
}
