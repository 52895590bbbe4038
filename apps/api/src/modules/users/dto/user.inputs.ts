import { Field, ID, InputType } from 'type-graphql';
import { ArrayMaxSize, ArrayUnique, IsEmail, IsIn, IsOptional, IsUUID, MaxLength, MinLength, registerDecorator } from 'class-validator';
import { LIMITS, ROLES, roleCombinationUnmet, type Role } from '@signpost/policy';
import { RoleEnum } from '../../../common/graphql-enums.js';
import { IsCleanText, IsNotBlank } from '../../../common/validation.js';

/** Roles one account may hold together (separation of duties, policy `roleCombinationUnmet`): checked with the other fields, so every fault is answered at once. */
function MayBeHeldTogether() {
  return (object: object, propertyName: string) =>
    registerDecorator({
      name: 'mayBeHeldTogether',
      target: object.constructor,
      propertyName,
      validator: {
        validate: (value: unknown) => !Array.isArray(value) || roleCombinationUnmet(value as Role[]).length === 0,
        defaultMessage: (args) => {
          const clause = roleCombinationUnmet((args?.value ?? []) as Role[]).join('; ');
          return `${clause.charAt(0).toUpperCase()}${clause.slice(1)}.`;
        },
      },
    });
}

@InputType('CreateUserInput')
export class CreateUserInput {
  @Field(() => String, { description: 'Also their sign-in name; stored in lower case' })
  @IsEmail() @MaxLength(254)
  email: string;

  @Field(() => String)
  @IsNotBlank() @MaxLength(LIMITS.name) @IsCleanText()
  displayName: string;

  @Field(() => [RoleEnum])
  @ArrayMaxSize(ROLES.length) @ArrayUnique() @IsIn(ROLES, { each: true }) @MayBeHeldTogether()
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
