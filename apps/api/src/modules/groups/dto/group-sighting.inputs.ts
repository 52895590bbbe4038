import { Field, InputType } from 'type-graphql';
import { IsIn, IsOptional, MaxLength } from 'class-validator';
import { GROUP_KINDS, LIMITS, PLATFORMS, type GroupKind, type Platform } from '@signpost/policy';
import { GroupKindEnum, PlatformEnum } from '../../../common/graphql-enums.js';
import { IsCleanText, IsNotBlank, IsWebUrl } from '../../../common/validation.js';

@InputType('ReportGroupSightingInput', { description: 'A group another service has seen; the social media team triages it' })
export class ReportGroupSightingInput {
  @Field(() => String) @IsNotBlank() @MaxLength(LIMITS.name) @IsCleanText()
  name: string;

  @Field(() => PlatformEnum) @IsIn(PLATFORMS)
  platform: Platform;

  @Field(() => String, { nullable: true }) @IsOptional() @MaxLength(LIMITS.handle) @IsCleanText()
  handle?: string | null;

  @Field(() => String, { nullable: true }) @IsOptional() @MaxLength(LIMITS.url) @IsWebUrl()
  url?: string | null;

  @Field(() => GroupKindEnum, { nullable: true, description: 'OTHER when not given' }) @IsOptional() @IsIn(GROUP_KINDS)
  kind?: GroupKind | null;

  @Field(() => String, { nullable: true, description: 'What the reporter saw; goes to the team' })
  @IsOptional() @MaxLength(LIMITS.shortText) @IsCleanText({ multiline: true })
  note?: string | null;
}
