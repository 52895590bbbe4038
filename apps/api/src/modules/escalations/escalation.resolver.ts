import { Arg, Args, Ctx, FieldResolver, ID, Mutation, ObjectType, Query, Resolver, Root } from 'type-graphql';
import { ConnectionType, PageArgs } from '../../common/pagination.js';
import { escalationActions } from '@signpost/policy';
import type { RequestContext } from '../../common/context.js';
import { EscalationAvailableAction } from '../../common/availability.types.js';
import { Idempotent } from '../../common/operation-registry.js';
import { Allow } from '../../common/authorization.js';
import { Group } from '../groups/group.entity.js';
import { loadGroup, loadUser } from '../groups/group.service.js';
import { User } from '../users/user.entity.js';
import { Escalation } from './escalation.entity.js';
import { ApproveEscalationInput, CloseEscalationInput, EscalationFilter, RecordEscalationInput, ReportEscalationInput } from './dto/escalation.inputs.js';
import * as escalations from './escalation.service.js';

@ObjectType('EscalationConnection')
export class EscalationConnection extends ConnectionType('Escalation', Escalation) {}

@Resolver(() => Escalation)
@Allow('escalation.read')
export class EscalationResolver {
  @Allow('escalation.read')
  @Query(() => EscalationConnection, { description: 'Escalations, newest first (e.g. those awaiting a lead\'s approval: status DRAFT)' })
  escalations(
    @Ctx() ctx: RequestContext,
    @Args(() => PageArgs) page: PageArgs,
    @Arg('filter', () => EscalationFilter, { nullable: true }) filter?: EscalationFilter,
  ) {
    return escalations.listEscalations(ctx, filter, page.first ?? 20, page.after);
  }

  @Allow('escalation.read')
  @Query(() => Escalation, { description: 'One escalation; NOT_FOUND if there is none with that id' })
  escalation(@Ctx() ctx: RequestContext, @Arg('id', () => ID) id: string) {
    return escalations.requireEscalation(ctx, id);
  }

  @Allow('escalation.draft')
  @Idempotent()
  @Mutation(() => Escalation, { description: 'Record, as a DRAFT, that a group should be reported to its platform or the police' })
  recordEscalation(@Ctx() ctx: RequestContext, @Arg('input', () => RecordEscalationInput) input: RecordEscalationInput) {
    return escalations.recordEscalation(ctx, input);
  }

  @Allow('escalation.approve')
  @Mutation(() => Escalation, { description: 'A lead approves a drafted escalation' })
  approveEscalation(@Ctx() ctx: RequestContext, @Arg('input', () => ApproveEscalationInput) input: ApproveEscalationInput) {
    return escalations.approveEscalation(ctx, input);
  }

  @Allow('escalation.record')
  @Mutation(() => Escalation, { description: 'Record that an approved escalation was reported; the group becomes ESCALATED' })
  reportEscalation(@Ctx() ctx: RequestContext, @Arg('input', () => ReportEscalationInput) input: ReportEscalationInput) {
    return escalations.reportEscalation(ctx, input);
  }

  @Allow('escalation.record')
  @Mutation(() => Escalation, { description: 'Close a reported escalation with its outcome' })
  closeEscalation(@Ctx() ctx: RequestContext, @Arg('input', () => CloseEscalationInput) input: CloseEscalationInput) {
    return escalations.closeEscalation(ctx, input);
  }

  @FieldResolver(() => [EscalationAvailableAction], { description: 'Every action on the escalation for the caller, allowed or not, with the reasons in words' })
  availableActions(@Ctx() ctx: RequestContext, @Root() escalation: Escalation) {
    return escalationActions(ctx.access, escalation);
  }

  @Allow('escalation.read')
  @FieldResolver(() => Group, { description: 'The group reported' })
  async group(@Ctx() ctx: RequestContext, @Root() escalation: Escalation): Promise<Group> {
    return (await loadGroup(ctx, escalation.groupId))!;
  }

  @Allow('escalation.read')
  @FieldResolver(() => User, { nullable: true, description: 'The lead who approved it' })
  approvedBy(@Ctx() ctx: RequestContext, @Root() escalation: Escalation) {
    return escalation.approvedById ? loadUser(ctx, escalation.approvedById) : null;
  }

  @Allow('escalation.read')
  @FieldResolver(() => User, { nullable: true, description: 'Who recorded it' })
  createdBy(@Ctx() ctx: RequestContext, @Root() escalation: Escalation) {
    return escalation.createdById ? loadUser(ctx, escalation.createdById) : null;
  }
}

@Resolver(() => Group)
@Allow('escalation.read')
export class GroupEscalationsFieldResolver {
  @Allow('escalation.read')
  @FieldResolver(() => [Escalation], { description: "The group's escalations, newest first" })
  escalations(@Ctx() ctx: RequestContext, @Root() group: Group) {
    return escalations.escalationsOfGroup(ctx, group.id);
  }
}
