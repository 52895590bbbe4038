import { Arg, Ctx, FieldResolver, Mutation, Resolver, Root } from 'type-graphql';
import type { RequestContext } from '../../common/context.js';
import { Idempotent } from '../../common/operation-registry.js';
import { Allow } from '../../common/authorization.js';
import { Group } from '../groups/group.entity.js';
import { loadGroup } from '../groups/group.service.js';
import { Administrator } from './administrator.entity.js';
import { AddAdministratorInput, UpdateAdministratorInput } from './dto/administrator.inputs.js';
import * as administrators from './administrator.service.js';

@Resolver(() => Administrator)
@Allow('administrator.read')
export class AdministratorResolver {
  @Allow('administrator.write')
  @Idempotent()
  @Mutation(() => Administrator, { description: 'Record an administrator of a group; refused while the group is closed' })
  addAdministrator(@Ctx() ctx: RequestContext, @Arg('input', () => AddAdministratorInput) input: AddAdministratorInput) {
    return administrators.addAdministrator(ctx, input);
  }

  @Allow('administrator.write')
  @Mutation(() => Administrator, { description: "Change an administrator's details; refused with CONFLICT if the version is stale" })
  updateAdministrator(@Ctx() ctx: RequestContext, @Arg('input', () => UpdateAdministratorInput) input: UpdateAdministratorInput) {
    return administrators.updateAdministrator(ctx, input);
  }

  @Allow('group.read')
  @FieldResolver(() => Group, { nullable: true, description: 'The group they administer' })
  group(@Ctx() ctx: RequestContext, @Root() admin: Administrator) {
    return loadGroup(ctx, admin.groupId);
  }
}

/** Group.administrators: personal data, so behind its own permission, not the register's. */
@Resolver(() => Group)
@Allow('administrator.read')
export class GroupAdministratorsFieldResolver {
  @Allow('administrator.read')
  @FieldResolver(() => [Administrator], { description: "The group's administrators, in the order they were recorded (personal data)" })
  administrators(@Ctx() ctx: RequestContext, @Root() group: Group) {
    return administrators.administratorsOfGroup(ctx, group.id);
  }
}
