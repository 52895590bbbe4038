import { Ctx, Field, FieldResolver, ID, ObjectType, Resolver, Root, registerEnumType } from 'type-graphql';
import {
  groupTransitions, POLICY_CHECKLIST_STEPS, policySteps, unresponsiveEligible,
  type CoveringRecordType, type PolicyChecklistStep, type PolicyStepProgress,
} from '@signpost/policy';
import type { RequestContext } from '../../common/context.js';
import { Allow } from '../../common/authorization.js';
import { AvailableTransition } from '../../common/availability.types.js';
import { loadGroupFacts } from './group-lifecycle.service.js';
import { Group } from './group.entity.js';
import { contactLogOfGroup } from '../contacts/contact.service.js';
import { agreementsOfGroup, placementsOfGroup } from '../wording/wording.service.js';
import { escalationsOfGroup } from '../escalations/escalation.service.js';
import { concernsOfGroup } from '../concerns/concern.service.js';
import { submittedReferralDatesOfGroup } from '../referrals/referral.service.js';

const PolicyChecklistStepEnum = Object.fromEntries(POLICY_CHECKLIST_STEPS.map((s) => [s, s])) as Record<PolicyChecklistStep, PolicyChecklistStep>;
registerEnumType(PolicyChecklistStepEnum, { name: 'PolicyChecklistStep', description: 'The seven steps of the policy, in order' });

@ObjectType('RecordReference', { description: 'The record that covered a step: its type name and id' })
export class RecordReference {
  @Field(() => String, { description: 'Group, ContactLogEntry, WordingAgreement, PlacementRecord, Referral or Escalation' }) type: CoveringRecordType;
  @Field(() => ID) id: string;
}

@ObjectType('GroupPolicyStep', { description: "One of the policy's seven steps for this group: done or not, when, and what covered it" })
export class GroupPolicyStep implements PolicyStepProgress {
  @Field(() => PolicyChecklistStepEnum) step: PolicyChecklistStep;
  @Field(() => String) label: string;
  @Field(() => Boolean, { description: 'False for a step this group does not need (no logo to stop; nothing to refer)' }) applicable: boolean;
  @Field(() => Boolean) done: boolean;
  @Field(() => Date, { nullable: true }) at: Date | null;
  @Field(() => RecordReference, { nullable: true }) coveredBy: RecordReference | null;
}

/** What the policy says about a group for the caller: its possible moves, its checklist, whether it may be marked unresponsive. */
@Resolver(() => Group)
@Allow('group.readInternal')
export class GroupPolicyFieldResolver {
  @FieldResolver(() => [AvailableTransition], {
    description: "Every move from the group's status for the caller, allowed or not, with the reasons in words (roles and lifecycle together)",
  })
  async availableTransitions(@Ctx() ctx: RequestContext, @Root() group: Group): Promise<AvailableTransition[]> {
    return groupTransitions(ctx.access, group.status, await loadGroupFacts(ctx, group.id));
  }

  @FieldResolver(() => [GroupPolicyStep], { description: "The policy's seven steps as a checklist, with what covered each" })
  async policySteps(@Ctx() ctx: RequestContext, @Root() group: Group): Promise<GroupPolicyStep[]> {
    const [contacts, agreements, placements, referrals, escalations, concerns] = await Promise.all([
      contactLogOfGroup(ctx, group.id),
      agreementsOfGroup(ctx, group.id),
      placementsOfGroup(ctx, group.id),
      submittedReferralDatesOfGroup(ctx, group.id),
      escalationsOfGroup(ctx, group.id),
      concernsOfGroup(ctx, group.id),
    ]);
    const agreed = agreements.filter((a) => a.status === 'AGREED').sort((a, b) => (b.approvedAt?.getTime() ?? 0) - (a.approvedAt?.getTime() ?? 0))[0];
    return policySteps({
      group: { id: group.id, createdAt: group.createdAt, status: group.status, logoStatus: group.logoStatus, logoStatusChangedAt: group.logoStatusChangedAt },
      contacts,
      agreedWording: agreed ? { id: agreed.id, approvedAt: agreed.approvedAt } : null,
      placements,
      referrals,
      escalations,
      concerns,
    });
  }

  @FieldResolver(() => Boolean, { description: 'Whether the group may be marked UNRESPONSIVE now: the configured contact attempts and days are met, with no reply since' })
  async unresponsiveEligible(@Ctx() ctx: RequestContext, @Root() group: Group): Promise<boolean> {
    return unresponsiveEligible(group.status, await loadGroupFacts(ctx, group.id));
  }
}
