import { Arg, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { wordingActions } from '@signpost/policy';
import type { RequestContext } from '../../common/context.js';
import { WordingAvailableAction } from '../../common/availability.types.js';
import { Idempotent } from '../../common/operation-registry.js';
import { Allow } from '../../common/authorization.js';
import { Group } from '../groups/group.entity.js';
import { loadGroup, loadUser } from '../groups/group.service.js';
import { User } from '../users/user.entity.js';
import { WordingAgreement } from './wording-agreement.entity.js';
import { WordingVersion } from './wording-version.entity.js';
import { WordingTemplate } from './wording-template.entity.js';
import { PlacementRecord } from './placement-record.entity.js';
import { WordingCheckResult } from './wording-check.types.js';
import { ApproveWordingInput, ProposeWordingInput } from './dto/wording.inputs.js';
import * as wording from './wording.service.js';

@Resolver(() => WordingAgreement)
@Allow('wording.read')
export class WordingResolver {
  @Allow('wording.read')
  @Query(() => WordingCheckResult, { description: 'Check a text for the required elements, e.g. as it is typed' })
  checkWording(@Ctx() ctx: RequestContext, @Arg('text', () => String) text: string) {
    return wording.checkText(ctx, text);
  }

  @Allow('wording.read')
  @Query(() => WordingAgreement, { description: 'One wording agreement; NOT_FOUND if there is none with that id' })
  wordingAgreement(@Ctx() ctx: RequestContext, @Arg('id', () => ID) id: string) {
    return wording.requireAgreement(ctx, id);
  }

  @Allow('wording.propose')
  @Idempotent()
  @Mutation(() => WordingAgreement, {
    description: "Propose a text: a new version of the group's open agreement, or a new agreement when none is open",
  })
  proposeWording(@Ctx() ctx: RequestContext, @Arg('input', () => ProposeWordingInput) input: ProposeWordingInput) {
    return wording.proposeWording(ctx, input);
  }

  @Allow('wording.approve')
  @Mutation(() => WordingAgreement, {
    description: "Approve the agreement's latest version (the wording check must pass); supersedes the group's earlier agreed wording",
  })
  approveWording(@Ctx() ctx: RequestContext, @Arg('input', () => ApproveWordingInput) input: ApproveWordingInput) {
    return wording.approveWording(ctx, input);
  }

  @Allow('wording.read')
  @FieldResolver(() => [WordingVersion], { description: 'Every proposed text, first to latest' })
  versions(@Ctx() ctx: RequestContext, @Root() agreement: WordingAgreement) {
    return wording.versionsOfAgreement(ctx, agreement.id);
  }

  @Allow('wording.read')
  @FieldResolver(() => WordingVersion, { nullable: true, description: 'The text now on the table (or agreed)' })
  async latestVersion(@Ctx() ctx: RequestContext, @Root() agreement: WordingAgreement) {
    return (await wording.versionsOfAgreement(ctx, agreement.id)).at(-1) ?? null;
  }

  @Allow('wording.read')
  @FieldResolver(() => [PlacementRecord], { description: 'Publication of this wording; empty until it is agreed' })
  placements(@Ctx() ctx: RequestContext, @Root() agreement: WordingAgreement) {
    return wording.placementsOfAgreement(ctx, agreement.id);
  }

  @Allow('wording.read')
  @FieldResolver(() => User, { nullable: true, description: 'The lead who approved it' })
  approvedBy(@Ctx() ctx: RequestContext, @Root() agreement: WordingAgreement) {
    return agreement.approvedById ? loadUser(ctx, agreement.approvedById) : null;
  }

  @Allow('wordingTemplate.read')
  @FieldResolver(() => WordingTemplate, { nullable: true, description: 'The template the wording started from, if any' })
  template(@Ctx() ctx: RequestContext, @Root() agreement: WordingAgreement) {
    return agreement.templateId ? wording.loadTemplate(ctx, agreement.templateId) : null;
  }

  @FieldResolver(() => [WordingAvailableAction], { description: 'Every action on the agreement for the caller (propose a version, approve), allowed or not, with the reasons in words' })
  async availableActions(@Ctx() ctx: RequestContext, @Root() agreement: WordingAgreement) {
    const group = await loadGroup(ctx, agreement.groupId);
    return wordingActions(ctx.access, await wording.wordingFacts(ctx, agreement, group?.status ?? 'CLOSED'));
  }

  @Allow('group.read')
  @FieldResolver(() => Group)
  async group(@Ctx() ctx: RequestContext, @Root() agreement: WordingAgreement) {
    return loadGroup(ctx, agreement.groupId);
  }
}

@Resolver(() => WordingVersion)
@Allow('wording.read')
export class WordingVersionFieldResolver {
  @Allow('wording.read')
  @FieldResolver(() => WordingCheckResult, { description: 'The wording check of this text, against the current settings' })
  check(@Ctx() ctx: RequestContext, @Root() version: WordingVersion) {
    return wording.checkVersion(ctx, version);
  }

  @FieldResolver(() => User, { nullable: true, description: 'Who recorded this version (proposedBy says whose text it is)' })
  createdBy(@Ctx() ctx: RequestContext, @Root() version: WordingVersion) {
    return version.createdById ? loadUser(ctx, version.createdById) : null;
  }

  @FieldResolver(() => WordingAgreement, { description: 'The agreement this version belongs to' })
  agreement(@Ctx() ctx: RequestContext, @Root() version: WordingVersion) {
    return wording.requireAgreement(ctx, version.agreementId);
  }
}

@Resolver(() => Group)
@Allow('wording.read')
export class GroupWordingFieldResolver {
  @Allow('wording.read')
  @FieldResolver(() => [WordingAgreement], { description: "The group's wording agreements, newest first" })
  wordingAgreements(@Ctx() ctx: RequestContext, @Root() group: Group) {
    return wording.agreementsOfGroup(ctx, group.id);
  }

  @Allow('wording.read')
  @FieldResolver(() => WordingAgreement, { nullable: true, description: 'The agreed wording, else the one being negotiated, else none' })
  currentWording(@Ctx() ctx: RequestContext, @Root() group: Group) {
    return wording.currentWordingOfGroup(ctx, group.id);
  }

  @FieldResolver(() => [WordingVersion], {
    description: "Every version of the group's wording, across its agreements, oldest first: with text and who proposed each, for showing the difference between any two",
  })
  wordingVersions(@Ctx() ctx: RequestContext, @Root() group: Group) {
    return wording.versionsOfGroup(ctx, group.id);
  }

  @Allow('wording.read')
  @FieldResolver(() => [PlacementRecord], { description: 'Publication of the agreed wording (pinned message, auto-response)' })
  placements(@Ctx() ctx: RequestContext, @Root() group: Group) {
    return wording.placementsOfGroup(ctx, group.id);
  }
}
