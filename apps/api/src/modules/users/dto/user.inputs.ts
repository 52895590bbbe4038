import { Field, ID, InputType } from 'type-graphql';
import { ArrayMaxSize, ArrayUnique, IsEmail, IsIn, IsOptional, IsUUID, MaxLength, MinLength } from 'class-validator';
import { LIMITS, ROLES, type Role } from '@signpost/policy';
import { RoleEnum } from '../../../common/graphql-enums.js';
import { IsCleanText, IsNotBlank } from '../../../common/validation.js';

@InputType('CreateUserInput')
export class CreateUserInput {
  @Field(() => String, { description: 'Also their sign-in name; stored in lower case' })
  @IsEmail() @MaxLength(254)
  email: string;

  @Field(() => String)
  @IsNotBlank() @MaxLength(LIMITS.name) @IsCleanText()
  displayName: string;

  @Field(() => [RoleEnum])
  @ArrayMaxSize(ROLES.length) @ArrayUnique() @IsIn(ROLES, { each: true })
  roles: Role[];

  @Field(() => String, { nullable: true, description: 'At least 12 characters; leave it out for someone who signs in only with OIDC' })
  @IsOptional() @MinLength(12) @MaxLength(500)
  password?: string | null;
}

@InputType('SetUserRolesInput', { description: "Replaces the person's roles; takes effect on their next request" })
export class SetUserRolesInput {
  @Field(() => ID) @IsUUID()
  id: string;

  @Field(() => [RoleEnum])
  @ArrayMaxSize(ROLES.length) @ArrayUnique() @IsIn(ROLES, { each: true })
  roles: Role[];
}

@InputType('DisableUserInput')
export class DisableUserInput {
  @Field(() => ID) @IsUUID()
  id: string;
}
