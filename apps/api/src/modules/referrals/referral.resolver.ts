import { Arg, Args, Ctx, FieldResolver, ID, Info, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { GraphQLResolveInfo } from 'graphql';
import { acknowledgementOverdue, allows, referralActions } from '@signpost/policy';
import type { RequestContext } from '../../common/context.js';
import { ReferralAvailableAction } from '../../common/availability.types.js';
import { Idempotent } from '../../common/operation-registry.js';
import { Allow } from '../../common/authorization.js';
import { PageArgs, selectsField } from '../../common/pagination.js';
import { Group } from '../groups/group.entity.js';
import { loadGroup, loadUser } from '../groups/group.service.js';
import { User } from '../users/user.entity.js';
import {
  AcknowledgeReferralInput, AddReferralNoteInput, CloseReferralInput, DraftReferralInput, ReferralFilter, ReferralSortEnum, SubmitReferralInput,
  type ReferralSort,
  TransferReferralInput, UpdateReferralDraftInput, UpdateReferralStatusInput,
} from './dto/referral.inputs.js';
import { ReferralNote } from './referral-note.entity.js';
import { ReferralTransfer } from './referral-transfer.entity.js';
import { Referral } from './referral.entity.js';
import { ReferralConnection, ReferralSnapshotType, RoutingProposal, SubmitReferralPayload } from './referral.types.js';
import * as referrals from './referral.service.js';

@Resolver(() => Referral)
@Allow('referral.read')
export class ReferralResolver {
  @Allow('referral.read')
  @Query(() => ReferralConnection, { description: 'Referrals the caller may see — all for the social media team, only their own for a receiving team — overdue acknowledgements first, then newest' })
  referrals(
    @Ctx() ctx: RequestContext,
    @Args(() => PageArgs) page: PageArgs,
    @Arg('filter', () => ReferralFilter, { nullable: true }) filter?: ReferralFilter,
    @Arg('sort', () => ReferralSortEnum, { nullable: true, defaultValue: 'OVERDUE_FIRST' }) sort: ReferralSort = 'OVERDUE_FIRST',
    @Info() info?: GraphQLResolveInfo,
  ) {
    return referrals.listReferrals(ctx, filter, sort, page.first ?? 20, page.after, { withTotal: info ? selectsField(info, 'totalCount') : false });
  }

  @Allow('referral.read')
  @Query(() => Referral, { description: 'One referral; NOT_FOUND if there is none with that id or it is not yours to see' })
  referral(@Ctx() ctx: RequestContext, @Arg('id', () => ID) id: string) {
    return referrals.readReferral(ctx, id);
  }

  @Allow('referral.draft')
  @Query(() => RoutingProposal, { description: "Where the group's administrators would be referred, shown before submitting" })
  referralRouting(@Ctx() ctx: RequestContext, @Arg('groupId', () => ID) groupId: string) {
    return referrals.routingForGroup(ctx, groupId);
  }

  @Allow('referral.draft')
  @Idempotent()
  @Mutation(() => Referral, { description: 'Start a referral as a DRAFT (no team yet); refused for a closed group' })
  draftReferral(@Ctx() ctx: RequestContext, @Arg('input', () => DraftReferralInput) input: DraftReferralInput) {
    return referrals.draftReferral(ctx, input);
  }

  @Allow('referral.draft')
  @Mutation(() => Referral, { description: "Change a draft's reason or summary" })
  updateReferralDraft(@Ctx() ctx: RequestContext, @Arg('input', () => UpdateReferralDraftInput) input: UpdateReferralDraftInput) {
    return referrals.updateReferralDraft(ctx, input);
  }

  @Allow('referral.submit')
  @Idempotent()
  @Mutation(() => SubmitReferralPayload, { description: 'Route and submit a draft (lead): as proposed, split one per team, or overridden with a reason' })
  submitReferral(@Ctx() ctx: RequestContext, @Arg('input', () => SubmitReferralInput) input: SubmitReferralInput) {
    return referrals.submitReferral(ctx, input);
  }

  @Allow('referral.acknowledge')
  @Mutation(() => Referral, { description: 'The receiving team confirms it has the referral' })
  acknowledgeReferral(@Ctx() ctx: RequestContext, @Arg('input', () => AcknowledgeReferralInput) input: AcknowledgeReferralInput) {
    return referrals.acknowledgeReferral(ctx, input);
  }

  @Allow('referral.progress')
  @Mutation(() => Referral, { description: "Move a referral on (e.g. to IN_PROGRESS); close it with closeReferral" })
  updateReferralStatus(@Ctx() ctx: RequestContext, @Arg('input', () => UpdateReferralStatusInput) input: UpdateReferralStatusInput) {
    return referrals.updateReferralStatus(ctx, input);
  }

  @Allow('referral.note')
  @Idempotent()
  @Mutation(() => ReferralNote, { description: "Add a note only the receiving team's members will see" })
  addReferralNote(@Ctx() ctx: RequestContext, @Arg('input', () => AddReferralNoteInput) input: AddReferralNoteInput) {
    return referrals.addReferralNote(ctx, input);
  }

  @Allow('referral.transfer')
  @Idempotent()
  @Mutation(() => Referral, { description: 'Pass the referral to another team, with a reason; it leaves your list' })
  transferReferral(@Ctx() ctx: RequestContext, @Arg('input', () => TransferReferralInput) input: TransferReferralInput) {
    return referrals.transferReferral(ctx, input);
  }

  @Allow('referral.close')
  @Mutation(() => Referral, { description: 'Close the referral with its outcome' })
  closeReferral(@Ctx() ctx: RequestContext, @Arg('input', () => CloseReferralInput) input: CloseReferralInput) {
    return referrals.closeReferral(ctx, input);
  }

  @Allow('referral.read')
  @FieldResolver(() => Group, { description: "The group referred; receiving teams see only the register's basic fields" })
  async group(@Ctx() ctx: RequestContext, @Root() referral: Referral): Promise<Group> {
    return (await loadGroup(ctx, referral.groupId))!;
  }

  @Allow('referral.read')
  @FieldResolver(() => ReferralSnapshotType, { nullable: true, description: 'What was known at submission; null for a draft' })
  snapshot(@Ctx() ctx: RequestContext, @Root() referral: Referral) {
    return referrals.snapshotOf(ctx, referral);
  }

  @Allow('referral.read')
  @FieldResolver(() => [ReferralNote], { description: "Your team's notes; other teams' notes are never shown (empty for the social media team)" })
  notes(@Ctx() ctx: RequestContext, @Root() referral: Referral) {
    return referrals.notesOf(ctx, referral.id);
  }

  @Allow('referral.read')
  @FieldResolver(() => [ReferralTransfer], { description: 'Moves between teams, oldest first' })
  transfers(@Ctx() ctx: RequestContext, @Root() referral: Referral) {
    return referrals.transfersOf(ctx, referral.id);
  }

  @Allow('referral.read')
  @FieldResolver(() => User, { nullable: true, description: 'Who drafted it' })
  createdBy(@Ctx() ctx: RequestContext, @Root() referral: Referral) {
    return referral.createdById ? loadUser(ctx, referral.createdById) : null;
  }

  @Allow('referral.read')
  @FieldResolver(() => User, { nullable: true, description: 'The lead who submitted it' })
  submittedBy(@Ctx() ctx: RequestContext, @Root() referral: Referral) {
    return referral.submittedById ? loadUser(ctx, referral.submittedById) : null;
  }

  // Null, never FORBIDDEN, for whoever may not draft: a receiving team selecting it in a payload must not see its change undone.
  @FieldResolver(() => RoutingProposal, {
    nullable: true,
    description: "A draft's routing proposal from the administrators now known; null once submitted, and for callers who do not draft referrals",
  })
  routing(@Ctx() ctx: RequestContext, @Root() referral: Referral) {
    return allows(ctx.access, 'referral.draft') ? referrals.routingOfDraft(ctx, referral) : null;
  }

  @FieldResolver(() => [ReferralAvailableAction], { description: 'Every action on the referral for the caller, allowed or not, with the reasons in words' })
  async availableActions(@Ctx() ctx: RequestContext, @Root() referral: Referral) {
    // The group's status decides whether a draft may be submitted; only those who may submit need it.
    const group = referral.status === 'DRAFT' && allows(ctx.access, 'referral.submit') ? await loadGroup(ctx, referral.groupId) : null;
    return referralActions(ctx.access, referral, { groupStatus: group?.status ?? null });
  }

  @FieldResolver(() => Boolean, { description: 'Whether the receiving team is past acknowledgeBy without acknowledging it' })
  acknowledgementOverdue(@Root() referral: Referral): boolean {
    return acknowledgementOverdue(referral, new Date());
  }
}

/** Group.referrals: for the social media team, and scoped like every referral query all the same. */
@Resolver(() => Group)
@Allow('group.readInternal')
export class GroupReferralsFieldResolver {
  @Allow('group.readInternal')
  @FieldResolver(() => [Referral], { description: "The group's referrals, newest first" })
  referrals(@Ctx() ctx: RequestContext, @Root() group: Group) {
    return referrals.referralsOfGroup(ctx, group.id);
  }
}
