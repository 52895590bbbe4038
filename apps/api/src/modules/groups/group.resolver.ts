import { Arg, Args, Ctx, Field, FieldResolver, ID, Info, Mutation, ObjectType, Query, Resolver, Root } from 'type-graphql';
import type { GraphQLResolveInfo } from 'graphql';
import { isReviewOverdue, logoInUse } from '@signpost/policy';
import type { RequestContext } from '../../common/context.js';
import { Idempotent } from '../../common/operation-registry.js';
import { Allow, SignedIn } from '../../common/authorization.js';
import { ConnectionType, PageArgs, selectsField } from '../../common/pagination.js';
import { User } from '../users/user.entity.js';
import { Group } from './group.entity.js';
import { CloseGroupInput, CreateGroupInput, GroupFilter, GroupSort, MarkGroupUnresponsiveInput, ReopenGroupInput, UpdateGroupInput } from './dto/group.inputs.js';
import * as groups from './group.service.js';
import { RegisterStats, registerStatistics } from './register-stats.js';

@ObjectType('GroupConnection')
export class GroupConnection extends ConnectionType('Group', Group) {}

@ObjectType('Officer', { description: 'A member of the social media team groups can be assigned to' })
export class Officer {
  @Field(() => ID) id: string;
  @Field(() => String) displayName: string;
}

@Resolver(() => Group)
@Allow('group.read')
export class GroupResolver {
  @Allow('group.read')
  @Query(() => GroupConnection, { description: 'The register of groups; by default overdue reviews first, then soonest due' })
  groups(
    @Ctx() ctx: RequestContext,
    @Args(() => PageArgs) page: PageArgs,
    @Arg('filter', () => GroupFilter, { nullable: true }) filter?: GroupFilter,
    @Arg('sort', () => GroupSort, { nullable: true, description: 'Default NEXT_REVIEW_DUE ascending' }) sort?: GroupSort,
    @Info() info?: GraphQLResolveInfo,
  ) {
    return groups.listGroups(ctx, filter, sort, page.first ?? 20, page.after, { withTotal: info ? selectsField(info, 'totalCount') : false });
  }

  @Allow('group.readInternal')
  @Query(() => RegisterStats, { description: "Figures for the social media team's dashboard, over the groups the filter selects (computed in SQL)" })
  registerStats(@Ctx() ctx: RequestContext, @Arg('filter', () => GroupFilter, { nullable: true }) filter?: GroupFilter) {
    return registerStatistics(ctx, filter);
  }

  @Allow('group.readInternal')
  @Query(() => [Officer], { description: "The people a group can be assigned to: active members of the social media team, by name (the team's internal details)" })
  async assignableOfficers(@Ctx() ctx: RequestContext): Promise<Officer[]> {
    return (await groups.listAssignableOfficers(ctx)).map((u) => ({ id: u.id, displayName: u.displayName }));
  }

  @Allow('group.read')
  @Query(() => Group, { description: 'One group; NOT_FOUND if there is none with that id' })
  group(@Ctx() ctx: RequestContext, @Arg('id', () => ID) id: string) {
    return groups.requireGroup(ctx, id);
  }

  @Allow('group.create')
  @Idempotent()
  @Mutation(() => Group, { description: 'Record a group the team has become aware of' })
  createGroup(@Ctx() ctx: RequestContext, @Arg('input', () => CreateGroupInput) input: CreateGroupInput) {
    return groups.createGroup(ctx, input);
  }

  @Allow('group.update')
  @Mutation(() => Group, { description: "Change a group's details; refused with CONFLICT if the version is stale" })
  updateGroup(@Ctx() ctx: RequestContext, @Arg('input', () => UpdateGroupInput) input: UpdateGroupInput) {
    return groups.updateGroup(ctx, input);
  }

  @Allow('group.close')
  @Mutation(() => Group, { description: 'Close a group (page gone, no longer relevant), with a reason' })
  closeGroup(@Ctx() ctx: RequestContext, @Arg('input', () => CloseGroupInput) input: CloseGroupInput) {
    return groups.closeGroup(ctx, input);
  }

  @Allow('group.reopen')
  @Mutation(() => Group, { description: 'Reopen a closed group: it returns to the status it had when closed' })
  reopenGroup(@Ctx() ctx: RequestContext, @Arg('input', () => ReopenGroupInput) input: ReopenGroupInput) {
    return groups.reopenGroup(ctx, input);
  }

  @Allow('group.update')
  @Mutation(() => Group, { description: 'Mark a group unresponsive after the configured contact attempts and days' })
  markGroupUnresponsive(@Ctx() ctx: RequestContext, @Arg('input', () => MarkGroupUnresponsiveInput) input: MarkGroupUnresponsiveInput) {
    return groups.markGroupUnresponsive(ctx, input);
  }

  // The register's own facts: whoever reached the group may read them (a receiving team through its referral too).
  @SignedIn()
  @FieldResolver(() => Boolean, { description: "Whether the university's logo is in use on the page now" })
  usesLogo(@Root() group: Group): boolean {
    return logoInUse(group.logoStatus);
  }

  @SignedIn()
  @FieldResolver(() => Boolean, { description: 'Whether the next review is past due' })
  reviewOverdue(@Root() group: Group): boolean {
    return isReviewOverdue(group.nextReviewDue, new Date());
  }

  @Allow('group.readInternal')
  @FieldResolver(() => User, { nullable: true })
  assignedOfficer(@Ctx() ctx: RequestContext, @Root() group: Group) {
    return group.assignedOfficerId ? groups.loadUser(ctx, group.assignedOfficerId) : null;
  }

  @Allow('group.readInternal')
  @FieldResolver(() => String, { nullable: true, description: "The team's notes on the group" })
  notes(@Root() group: Group): string | null {
    return group.notes;
  }

  @Allow('group.readInternal')
  @FieldResolver(() => String, { nullable: true, description: 'Why the group was closed (free text, so internal)' })
  closeReason(@Root() group: Group): string | null {
    return group.closeReason;
  }

  @Allow('group.readInternal')
  @FieldResolver(() => String, { nullable: true, description: 'How the team found the group' })
  discoveryMethod(@Root() group: Group): string | null {
    return group.discoveryMethod;
  }
}
