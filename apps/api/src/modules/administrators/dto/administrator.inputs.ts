import { Field, ID, InputType, Int } from 'type-graphql';
import { IsIn, IsInt, IsOptional, IsUUID, MaxLength, Min } from 'class-validator';
import { AFFILIATIONS, LIMITS, type Affiliation } from '@signpost/policy';
import { AffiliationEnum } from '../../../common/graphql-enums.js';
import { IsCleanText, IsNotBlank } from '../../../common/validation.js';

@InputType('AddAdministratorInput')
export class AddAdministratorInput {
  @Field(() => ID, { description: 'The group they administer' }) @IsUUID()
  groupId: string;

  @Field(() => String, { description: 'Their handle on the platform' })
  @IsNotBlank() @MaxLength(LIMITS.handle) @IsCleanText()
  handle: string;

  @Field(() => String, { nullable: true, description: 'Their name, if known' })
  @IsOptional() @MaxLength(LIMITS.name) @IsCleanText()
  name?: string | null;

  @Field(() => AffiliationEnum, { defaultValue: 'UNKNOWN', description: 'Their link to the university; decides where a referral goes' })
  @IsIn(AFFILIATIONS)
  affiliation: Affiliation;

  @Field(() => String, { nullable: true, description: 'How the affiliation was ascertained' })
  @IsOptional() @MaxLength(LIMITS.shortText) @IsCleanText({ multiline: true })
  affiliationMethod?: string | null;

  @Field(() => String, { nullable: true, description: 'Their university ID, if known' })
  @IsOptional() @MaxLength(LIMITS.handle) @IsCleanText()
  universityId?: string | null;

  @Field(() => String, { nullable: true, description: 'How to reach them' })
  @IsOptional() @MaxLength(LIMITS.shortText) @IsCleanText({ multiline: true })
  contactDetails?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional() @MaxLength(LIMITS.longText) @IsCleanText({ multiline: true })
  notes?: string | null;
}

@InputType('UpdateAdministratorInput', { description: 'Fields left out are unchanged; null clears an optional field' })
export class UpdateAdministratorInput {
  @Field(() => ID) @IsUUID()
  id: string;

  @Field(() => Int, { description: 'The version you read' }) @IsInt() @Min(1)
  version: number;

  @Field(() => String, { nullable: true, description: 'Their handle on the platform; cannot be cleared' })
  @IsOptional() @IsNotBlank() @MaxLength(LIMITS.handle) @IsCleanText()
  handle?: string;

  @Field(() => String, { nullable: true })
  @IsOptional() @MaxLength(LIMITS.name) @IsCleanText()
  name?: string | null;

  @Field(() => AffiliationEnum, { nullable: true, description: 'Cannot be cleared; UNKNOWN when not known' })
  @IsOptional() @IsIn(AFFILIATIONS)
  affiliation?: Affiliation;

  @Field(() => String, { nullable: true })
  @IsOptional() @MaxLength(LIMITS.shortText) @IsCleanText({ multiline: true })
  affiliationMethod?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional() @MaxLength(LIMITS.handle) @IsCleanText()
  universityId?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional() @MaxLength(LIMITS.shortText) @IsCleanText({ multiline: true })
  contactDetails?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional() @MaxLength(LIMITS.longText) @IsCleanText({ multiline: true })
  notes?: string | null;
}
