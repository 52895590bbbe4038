import { Field, ID, InputType, Int } from 'type-graphql';
import { IsIn, IsInt, IsOptional, IsUUID, MaxLength, Min } from 'class-validator';
import { LIMITS, LOGO_STATUSES, type LogoStatus } from '@signpost/policy';
import { LogoStatusEnum } from '../../../common/graphql-enums.js';
import { IsCleanText, IsNotBlank, IsWebUrl } from '../../../common/validation.js';

@InputType('RecordLogoStatusInput', { description: "What the team observed or asked for about the group's use of the university logo" })
export class RecordLogoStatusInput {
  @Field(() => ID)
  @IsUUID()
  groupId: string;

  @Field(() => Int, { description: 'The version of the group you read' })
  @IsInt() @Min(1)
  groupVersion: number;

  @Field(() => LogoStatusEnum)
  @IsIn(LOGO_STATUSES)
  status: LogoStatus;

  @Field(() => String, { nullable: true, description: "What was seen or asked; added to the group's notes with the date and the new status. Verifying the removal needs this or evidenceUrl" })
  @IsOptional() @IsNotBlank() @MaxLength(LIMITS.shortText) @IsCleanText({ multiline: true })
  note?: string | null;

  @Field(() => String, { nullable: true, description: 'A link showing what was checked (e.g. the page without the logo)' })
  @IsOptional() @MaxLength(LIMITS.url) @IsWebUrl()
  evidenceUrl?: string | null;
}
