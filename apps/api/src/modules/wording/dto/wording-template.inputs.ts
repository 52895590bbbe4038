import { Field, ID, InputType } from 'type-graphql';
import { ArrayMaxSize, IsArray, IsOptional, IsUUID, MaxLength } from 'class-validator';
import { LIMITS } from '@signpost/policy';
import { IsCleanText, IsNotBlank, IsWebUrl } from '../../../common/validation.js';

/** More links than this is a list nobody checks by hand. */
export const MAX_SUPPORT_LINKS = 20;

@InputType('CreateWordingTemplateInput')
export class CreateWordingTemplateInput {
  @Field(() => String, { description: 'A name unique among templates, e.g. "Standard signposting"' })
  @IsNotBlank() @MaxLength(LIMITS.name) @IsCleanText()
  name: string;

  @Field(() => String, { description: 'The wording itself' })
  @IsNotBlank() @MaxLength(LIMITS.longText) @IsCleanText({ multiline: true })
  body: string;

  @Field(() => [String], { defaultValue: [], description: 'The support links the wording must contain (http or https)' })
  @IsArray() @ArrayMaxSize(MAX_SUPPORT_LINKS) @MaxLength(LIMITS.url, { each: true }) @IsWebUrl({ each: true })
  supportLinks: string[];
}

@InputType('ReviseWordingTemplateInput', { description: 'Creates the next version of a template; the one revised stops being current' })
export class ReviseWordingTemplateInput {
  @Field(() => ID, { description: 'The current version of the template, as you read it' })
  @IsUUID()
  id: string;

  @Field(() => String)
  @IsNotBlank() @MaxLength(LIMITS.longText) @IsCleanText({ multiline: true })
  body: string;

  @Field(() => [String], { nullable: true, description: 'Left out: the links of the version revised are kept' })
  @IsOptional() @IsArray() @ArrayMaxSize(MAX_SUPPORT_LINKS) @MaxLength(LIMITS.url, { each: true }) @IsWebUrl({ each: true })
  supportLinks?: string[] | null;
}
