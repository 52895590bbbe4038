import { Arg, Ctx, Mutation, Query, Resolver } from 'type-graphql';
import type { RequestContext } from '../../common/context.js';
import { Allow } from '../../common/authorization.js';
import { User } from './user.entity.js';
import { CreateUserInput, DisableUserInput, SetUserRolesInput } from './dto/user.inputs.js';
import * as users from './user.service.js';

/** People and their roles: the administrator's (user.manage), for the portal's admin page. */
@Resolver(() => User)
@Allow('user.manage')
export class UserResolver {
  @Allow('user.manage')
  @Query(() => [User], { description: 'Everyone who can sign in, or could (administrators)' })
  users(@Ctx() ctx: RequestContext) {
    return users.listUsers(ctx);
  }

  @Allow('user.manage')
  @Mutation(() => User, { description: 'Add a person with roles; without a password they sign in with OIDC only' })
  createUser(@Ctx() ctx: RequestContext, @Arg('input', () => CreateUserInput) input: CreateUserInput) {
    return users.createUserFor(ctx, input);
  }

  @Allow('user.manage')
  @Mutation(() => User, { description: "Replace a person's roles" })
  setUserRoles(@Ctx() ctx: RequestContext, @Arg('input', () => SetUserRolesInput) input: SetUserRolesInput) {
    return users.setUserRolesFor(ctx, input);
  }

  @Allow('user.manage')
  @Mutation(() => User, { description: 'Stop a person signing in; their sessions end at once' })
  disableUser(@Ctx() ctx: RequestContext, @Arg('input', () => DisableUserInput) input: DisableUserInput) {
    return users.disableUserFor(ctx, input);
  }
}
