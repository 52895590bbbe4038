import { Ctx, Field, ID, ObjectType, Query, Resolver } from 'type-graphql';
import { permissionsOf, teamsOf, type Permission, type Role, type Team } from '@signpost/policy';
import type { RequestContext } from '../../common/context.js';
import { Allow } from '../../common/authorization.js';
import { RoleEnum, TeamEnum } from '../../common/graphql-enums.js';

@ObjectType('Me', { description: 'The signed-in person and what they may do' })
class Me {
  @Field(() => ID) id: string;
  @Field(() => String) email: string;
  @Field(() => String) displayName: string;
  @Field(() => [RoleEnum]) roles: Role[];
  @Field(() => [TeamEnum], { description: 'Receiving teams whose referrals this person handles' }) teams: Team[];
  @Field(() => [String], { description: 'Permissions from the policy, e.g. group.update; the portal shows only allowed actions' })
  permissions: Permission[];
}

@Resolver()
export class MeResolver {
  @Allow()
  @Query(() => Me, { description: 'The signed-in person' })
  me(@Ctx() ctx: RequestContext): Me {
    return {
      id: ctx.user?.id ?? ctx.principal.id ?? '',
      email: ctx.user?.email ?? '',
      displayName: ctx.user?.displayName ?? '',
      roles: [...ctx.principal.roles],
      teams: teamsOf(ctx.principal),
      permissions: [...permissionsOf(ctx.principal)].sort(),
    };
  }
}
