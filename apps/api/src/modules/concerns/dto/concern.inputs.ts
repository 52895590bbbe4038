import { Field, ID, InputType } from 'type-graphql';
import { IsDate, IsIn, IsOptional, IsUUID, MaxLength } from 'class-validator';
import {
  CONCERN_ACTIONS, CONCERN_CATEGORIES, LIMITS, SEVERITIES,
  type ConcernAction, type ConcernCategory, type Severity,
} from '@signpost/policy';
import { ConcernActionEnum, ConcernCategoryEnum, SeverityEnum } from '../../../common/graphql-enums.js';
import { IsCleanText, IsWebUrl, IsRecordedDate } from '../../../common/validation.js';

@InputType('RecordConcernInput')
export class RecordConcernInput {
  @Field(() => ID) @IsUUID()
  groupId: string;

  @Field(() => ID, { nullable: true, description: 'The recorded administrator the content is about, if any (must belong to the group); a split referral gives each team only its own administrators\' concerns' })
  @IsOptional() @IsUUID()
  administratorId?: string | null;

  @Field(() => ConcernCategoryEnum) @IsIn(CONCERN_CATEGORIES)
  category: ConcernCategory;

  @Field(() => SeverityEnum, { description: 'HIGH or CRITICAL raises the group\'s risk level to match' }) @IsIn(SEVERITIES)
  severity: Severity;

  @Field(() => String, { nullable: true, description: 'Link to the content' })
  @IsOptional() @MaxLength(LIMITS.url) @IsWebUrl()
  link?: string | null;

  @Field(() => String, { nullable: true, description: 'What the content was, in the team\'s words' })
  @IsOptional() @MaxLength(LIMITS.longText) @IsCleanText({ multiline: true })
  description?: string | null;

  @Field(() => Date, { description: 'When the team saw it; at most a few minutes in the future' }) @IsDate() @IsRecordedDate()
  seenAt: Date;

  @Field(() => ConcernActionEnum, { defaultValue: 'NONE', description: 'What was done about it' }) @IsIn(CONCERN_ACTIONS)
  actionTaken: ConcernAction;
}
