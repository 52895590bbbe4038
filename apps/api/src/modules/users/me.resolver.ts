import { Ctx, Field, ID, ObjectType, Query, Resolver } from 'type-graphql';
import { PERMISSIONS, type Permission, type Role, type Team } from '@signpost/policy';
import type { RequestContext } from '../../common/context.js';
import { SignedIn } from '../../common/authorization.js';
import { PermissionEnum, RoleEnum, TeamEnum } from '../../common/graphql-enums.js';

@ObjectType('Me', { description: 'The signed-in person and what they may do' })
class Me {
  @Field(() => ID) id: string;
  @Field(() => String) email: string;
  @Field(() => String) displayName: string;
  @Field(() => [RoleEnum]) roles: Role[];
  @Field(() => [TeamEnum], { description: 'Receiving teams whose referrals this person handles' }) teams: Team[];
  @Field(() => [PermissionEnum], { description: 'What this person may do (the policy\'s permission registry); the portal shows only what is allowed' })
  permissions: Permission[];
}

@Resolver()
@SignedIn()
export class MeResolver {
  @SignedIn()
  @Query(() => Me, { description: 'The signed-in person' })
  me(@Ctx() ctx: RequestContext): Me {
    return {
      id: ctx.user?.id ?? ctx.access.principalId ?? '',
      email: ctx.user?.email ?? '',
      displayName: ctx.user?.displayName ?? '',
      roles: [...ctx.access.roles],
      teams: [...ctx.access.actTeams],
      // In the registry's order, so clients can rely on it.
      permissions: PERMISSIONS.filter((p) => ctx.access.permissions.has(p)),
    };
  }
}
