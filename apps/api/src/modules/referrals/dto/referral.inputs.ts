import { Field, ID, InputType, Int, registerEnumType } from 'type-graphql';
import { ArrayMaxSize, IsBoolean, IsIn, IsInt, IsOptional, IsUUID, MaxLength, Min, ValidateNested } from 'class-validator';
import {
  LIMITS, REFERRAL_OUTCOMES, REFERRAL_REASONS, REFERRAL_STATUSES, TEAMS,
  type ReferralOutcome, type ReferralReason, type ReferralStatus, type RoutingDecision, type Team,
} from '@signpost/policy';
import { ReferralOutcomeEnum, ReferralReasonEnum, ReferralStatusEnum, TeamEnum } from '../../../common/graphql-enums.js';
import { IsCleanText, IsNotBlank } from '../../../common/validation.js';

/** The lead's three ways of settling routing (the policy's RoutingDecision modes). */
export const ROUTING_MODES = ['AUTO', 'SPLIT', 'OVERRIDE'] as const satisfies readonly RoutingDecision['mode'][];
export type RoutingMode = (typeof ROUTING_MODES)[number];
export const RoutingModeEnum = Object.fromEntries(ROUTING_MODES.map((m) => [m, m])) as { [K in RoutingMode]: K };
registerEnumType(RoutingModeEnum, {
  name: 'RoutingMode',
  description: 'AUTO: as proposed (one team only); SPLIT: one referral per team; OVERRIDE: all to one team, with a reason (lead)',
});

@InputType('ReferralFilter', { description: 'All given conditions must hold; only referrals the caller may see are ever considered' })
export class ReferralFilter {
  @Field(() => [ReferralStatusEnum], { nullable: true })
  @IsOptional() @ArrayMaxSize(REFERRAL_STATUSES.length) @IsIn(REFERRAL_STATUSES, { each: true })
  status?: ReferralStatus[];

  @Field(() => [TeamEnum], { nullable: true })
  @IsOptional() @ArrayMaxSize(TEAMS.length) @IsIn(TEAMS, { each: true })
  team?: Team[];

  @Field(() => [ReferralReasonEnum], { nullable: true })
  @IsOptional() @ArrayMaxSize(REFERRAL_REASONS.length) @IsIn(REFERRAL_REASONS, { each: true })
  reason?: ReferralReason[];

  @Field(() => ID, { nullable: true, description: 'Only referrals of this group' })
  @IsOptional() @IsUUID()
  groupId?: string;

  @Field(() => Boolean, { nullable: true, description: 'Only referrals whose acknowledgement is overdue (true) or not (false)' })
  @IsOptional() @IsBoolean()
  overdue?: boolean;
}

/** How a list of referrals can be ordered. */
export const REFERRAL_SORTS = ['OVERDUE_FIRST', 'NEWEST', 'OLDEST', 'ACKNOWLEDGE_BY'] as const;
export type ReferralSort = (typeof REFERRAL_SORTS)[number];
export const ReferralSortEnum = Object.fromEntries(REFERRAL_SORTS.map((s) => [s, s])) as { [K in ReferralSort]: K };
registerEnumType(ReferralSortEnum, {
  name: 'ReferralSort',
  description: 'OVERDUE_FIRST (the default): acknowledgements overdue first, then newest; NEWEST; OLDEST; ACKNOWLEDGE_BY: soonest deadline first, none last',
});

@InputType('DraftReferralInput')
export class DraftReferralInput {
  @Field(() => ID) @IsUUID()
  groupId: string;

  @Field(() => ReferralReasonEnum) @IsIn(REFERRAL_REASONS)
  reason: ReferralReason;

  @Field(() => String, { description: 'What the receiving team needs to know' })
  @IsNotBlank() @MaxLength(LIMITS.longText) @IsCleanText({ multiline: true })
  summary: string;
}

@InputType('UpdateReferralDraftInput', { description: 'Fields left out are unchanged; only a draft can be edited' })
export class UpdateReferralDraftInput {
  @Field(() => ID) @IsUUID()
  id: string;

  @Field(() => Int, { description: 'The version you read' }) @IsInt() @Min(1)
  version: number;

  @Field(() => ReferralReasonEnum, { nullable: true }) @IsOptional() @IsIn(REFERRAL_REASONS)
  reason?: ReferralReason;

  @Field(() => String, { nullable: true })
  @IsOptional() @IsNotBlank() @MaxLength(LIMITS.longText) @IsCleanText({ multiline: true })
  summary?: string;
}

@InputType('RoutingDecisionInput', { description: "The lead's routing decision; see referralRouting for the proposal" })
export class RoutingDecisionInput {
  @Field(() => RoutingModeEnum) @IsIn(ROUTING_MODES)
  mode: RoutingMode;

  @Field(() => TeamEnum, { nullable: true, description: 'OVERRIDE only: the team every administrator goes to' })
  @IsOptional() @IsIn(TEAMS)
  team?: Team | null;

  @Field(() => String, { nullable: true, description: 'OVERRIDE only: why the routing is overridden (at least 10 characters)' })
  @IsOptional() @MaxLength(LIMITS.reason) @IsCleanText({ multiline: true })
  reason?: string | null;
}

@InputType('SubmitReferralInput')
export class SubmitReferralInput {
  @Field(() => ID) @IsUUID()
  id: string;

  @Field(() => Int) @IsInt() @Min(1)
  version: number;

  @Field(() => RoutingDecisionInput) @ValidateNested()
  routing: RoutingDecisionInput;
}

@InputType('AcknowledgeReferralInput')
export class AcknowledgeReferralInput {
  @Field(() => ID) @IsUUID()
  id: string;

  @Field(() => Int) @IsInt() @Min(1)
  version: number;
}

@InputType('UpdateReferralStatusInput')
export class UpdateReferralStatusInput {
  @Field(() => ID) @IsUUID()
  id: string;

  @Field(() => Int) @IsInt() @Min(1)
  version: number;

  @Field(() => ReferralStatusEnum, { description: 'E.g. IN_PROGRESS; closing goes through closeReferral' })
  @IsIn(REFERRAL_STATUSES)
  status: ReferralStatus;
}

@InputType('AddReferralNoteInput')
export class AddReferralNoteInput {
  @Field(() => ID) @IsUUID()
  referralId: string;

  @Field(() => String, { description: 'Seen only by your team' })
  @IsNotBlank() @MaxLength(LIMITS.longText) @IsCleanText({ multiline: true })
  body: string;
}

@InputType('TransferReferralInput')
export class TransferReferralInput {
  @Field(() => ID) @IsUUID()
  id: string;

  @Field(() => Int) @IsInt() @Min(1)
  version: number;

  @Field(() => TeamEnum) @IsIn(TEAMS)
  toTeam: Team;

  @Field(() => String, { description: 'Why the referral belongs with the other team' })
  @IsNotBlank() @MaxLength(LIMITS.reason) @IsCleanText({ multiline: true })
  reason: string;
}

@InputType('CloseReferralInput')
export class CloseReferralInput {
  @Field(() => ID) @IsUUID()
  id: string;

  @Field(() => Int) @IsInt() @Min(1)
  version: number;

  @Field(() => ReferralOutcomeEnum) @IsIn(REFERRAL_OUTCOMES)
  outcome: ReferralOutcome;

  @Field(() => String, { nullable: true })
  @IsOptional() @MaxLength(LIMITS.longText) @IsCleanText({ multiline: true })
  outcomeNote?: string | null;
}
