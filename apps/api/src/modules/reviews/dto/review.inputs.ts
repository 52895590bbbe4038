import { Field, ID, InputType } from 'type-graphql';
import { IsBoolean, IsDate, IsOptional, IsUUID, MaxLength } from 'class-validator';
import { LIMITS } from '@signpost/policy';
import { IsCleanText, IsRecordedDate } from '../../../common/validation.js';

@InputType('RecordReviewInput', { description: "What a periodic check of the group's page found" })
export class RecordReviewInput {
  @Field(() => ID)
  @IsUUID()
  groupId: string;

  @Field(() => Date, { nullable: true, description: 'When the page was checked; defaults to now, never in the future' })
  @IsOptional() @IsDate() @IsRecordedDate()
  reviewedAt?: Date | null;

  @Field(() => Boolean, { description: 'Whether the agreed wording is pinned (or otherwise kept prominent) on the page' })
  @IsBoolean()
  pinnedMessagePresent: boolean;

  @Field(() => Boolean, { description: 'Whether submissions get the agreed wording as an auto-response' })
  @IsBoolean()
  autoResponsePresent: boolean;

  @Field(() => Boolean, { description: "Whether the page still uses the university's logo" })
  @IsBoolean()
  logoStillUsed: boolean;

  @Field(() => String, { nullable: true })
  @IsOptional() @MaxLength(LIMITS.longText) @IsCleanText({ multiline: true })
  notes?: string | null;
}
