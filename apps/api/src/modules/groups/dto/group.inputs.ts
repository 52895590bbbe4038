import { Field, ID, InputType, Int, registerEnumType } from 'type-graphql';
import { ArrayMaxSize, IsBoolean, IsDate, IsIn, IsInt, IsOptional, IsUUID, MaxLength, Min, Max } from 'class-validator';
import {
  GROUP_KINDS, GROUP_STATUSES, LIMITS, PLATFORMS, RISK_LEVELS,
  type GroupKind, type GroupStatus, type Platform, type RiskLevel,
} from '@signpost/policy';
import { GroupKindEnum, GroupStatusEnum, PlatformEnum, RiskLevelEnum } from '../../../common/graphql-enums.js';
import { IsCleanText, IsNotBlank, IsWebUrl, IsRecordedDate } from '../../../common/validation.js';

@InputType('GroupFilter', { description: 'All given conditions must hold' })
export class GroupFilter {
  @Field(() => [GroupStatusEnum], { nullable: true })
  @IsOptional() @ArrayMaxSize(GROUP_STATUSES.length) @IsIn(GROUP_STATUSES, { each: true })
  status?: GroupStatus[];

  @Field(() => [PlatformEnum], { nullable: true })
  @IsOptional() @ArrayMaxSize(PLATFORMS.length) @IsIn(PLATFORMS, { each: true })
  platform?: Platform[];

  @Field(() => [RiskLevelEnum], { nullable: true })
  @IsOptional() @ArrayMaxSize(RISK_LEVELS.length) @IsIn(RISK_LEVELS, { each: true })
  riskLevel?: RiskLevel[];

  @Field(() => ID, { nullable: true, description: 'The assigned officer' })
  @IsOptional() @IsUUID()
  assignedOfficerId?: string;

  @Field(() => Boolean, { nullable: true, description: 'Only groups whose review is overdue (true) or not (false)' })
  @IsOptional() @IsBoolean()
  overdueReview?: boolean;

  @Field(() => Boolean, { nullable: true, description: 'Only groups that may (true) or may not (false) be marked UNRESPONSIVE now (internal: needs the social media team)' })
  @IsOptional() @IsBoolean()
  unresponsiveEligible?: boolean;

  @Field(() => Boolean, { nullable: true, description: 'Only groups with wording proposed and awaiting a lead\'s approval (true) or not (false) (internal: needs the social media team)' })
  @IsOptional() @IsBoolean()
  wordingAwaitingApproval?: boolean;

  @Field(() => Boolean, { nullable: true, description: 'Only groups with agreed wording whose pinned message or auto-response is not yet verified (true), or every other group (false) (internal: needs the social media team)' })
  @IsOptional() @IsBoolean()
  placementsUnverified?: boolean;

  @Field(() => String, { nullable: true, description: 'Text in the name, handle or URL' })
  @IsOptional() @MaxLength(LIMITS.name) @IsCleanText()
  search?: string;
}

/** How the register can be ordered. */
export const GROUP_SORT_FIELDS = ['NAME', 'STATUS', 'RISK', 'NEXT_REVIEW_DUE', 'DISCOVERED', 'UPDATED'] as const;
export type GroupSortField = (typeof GROUP_SORT_FIELDS)[number];
export const GroupSortFieldEnum = Object.fromEntries(GROUP_SORT_FIELDS.map((f) => [f, f])) as { [K in GroupSortField]: K };
registerEnumType(GroupSortFieldEnum, {
  name: 'GroupSortField',
  description: 'NAME; STATUS and RISK in the policy\'s order (lifecycle, lowest risk first); NEXT_REVIEW_DUE (none last when ascending); DISCOVERED; UPDATED',
});

export const SORT_DIRECTIONS = ['ASC', 'DESC'] as const;
export type SortDirection = (typeof SORT_DIRECTIONS)[number];
export const SortDirectionEnum = Object.fromEntries(SORT_DIRECTIONS.map((d) => [d, d])) as { [K in SortDirection]: K };
registerEnumType(SortDirectionEnum, { name: 'SortDirection' });

@InputType('GroupSort', { description: 'The order of the register; ties are broken by id, so every order is stable across pages' })
export class GroupSort {
  @Field(() => GroupSortFieldEnum) @IsIn(GROUP_SORT_FIELDS)
  field: GroupSortField;

  @Field(() => SortDirectionEnum, { defaultValue: 'ASC' }) @IsIn(SORT_DIRECTIONS)
  direction: SortDirection;
}

@InputType('CreateGroupInput')
export class CreateGroupInput {
  @Field(() => String) @IsNotBlank() @MaxLength(LIMITS.name) @IsCleanText()
  name: string;

  @Field(() => PlatformEnum) @IsIn(PLATFORMS)
  platform: Platform;

  @Field(() => String, { nullable: true }) @IsOptional() @MaxLength(LIMITS.handle) @IsCleanText()
  handle?: string | null;

  @Field(() => String, { nullable: true }) @IsOptional() @MaxLength(LIMITS.url) @IsWebUrl()
  url?: string | null;

  @Field(() => GroupKindEnum) @IsIn(GROUP_KINDS)
  kind: GroupKind;

  @Field(() => Boolean, { defaultValue: false }) @IsBoolean()
  marketsToUniversity: boolean;

  @Field(() => Boolean, { defaultValue: false, description: "Whether the page uses the university's logo" }) @IsBoolean()
  usesLogo: boolean;

  @Field(() => Int, { nullable: true }) @IsOptional() @IsInt() @Min(0) @Max(2_000_000_000)
  audienceSize?: number | null;

  @Field(() => String, { nullable: true, description: 'How the team found the group' })
  @IsOptional() @MaxLength(LIMITS.shortText) @IsCleanText({ multiline: true })
  discoveryMethod?: string | null;

  @Field(() => Date, { nullable: true, description: 'When the team found it; defaults to now' }) @IsOptional() @IsDate() @IsRecordedDate()
  discoveredAt?: Date | null;

  @Field(() => RiskLevelEnum, { defaultValue: 'MEDIUM' }) @IsIn(RISK_LEVELS)
  riskLevel: RiskLevel;

  @Field(() => ID, { nullable: true }) @IsOptional() @IsUUID()
  assignedOfficerId?: string | null;

  @Field(() => String, { nullable: true }) @IsOptional() @MaxLength(LIMITS.longText) @IsCleanText({ multiline: true })
  notes?: string | null;
}

@InputType('UpdateGroupInput', { description: 'Fields left out are unchanged; status changes through the workflow' })
export class UpdateGroupInput {
  @Field(() => ID) @IsUUID()
  id: string;

  @Field(() => Int, { description: 'The version you read' }) @IsInt() @Min(1)
  version: number;

  @Field(() => String, { nullable: true }) @IsOptional() @IsNotBlank() @MaxLength(LIMITS.name) @IsCleanText()
  name?: string;

  @Field(() => PlatformEnum, { nullable: true }) @IsOptional() @IsIn(PLATFORMS)
  platform?: Platform;

  @Field(() => String, { nullable: true }) @IsOptional() @MaxLength(LIMITS.handle) @IsCleanText()
  handle?: string | null;

  @Field(() => String, { nullable: true }) @IsOptional() @MaxLength(LIMITS.url) @IsWebUrl()
  url?: string | null;

  @Field(() => GroupKindEnum, { nullable: true }) @IsOptional() @IsIn(GROUP_KINDS)
  kind?: GroupKind;

  @Field(() => Boolean, { nullable: true }) @IsOptional() @IsBoolean()
  marketsToUniversity?: boolean;

  @Field(() => Int, { nullable: true }) @IsOptional() @IsInt() @Min(0) @Max(2_000_000_000)
  audienceSize?: number | null;

  @Field(() => String, { nullable: true }) @IsOptional() @MaxLength(LIMITS.shortText) @IsCleanText({ multiline: true })
  discoveryMethod?: string | null;

  @Field(() => RiskLevelEnum, { nullable: true }) @IsOptional() @IsIn(RISK_LEVELS)
  riskLevel?: RiskLevel;

  @Field(() => ID, { nullable: true }) @IsOptional() @IsUUID()
  assignedOfficerId?: string | null;

  @Field(() => String, { nullable: true }) @IsOptional() @MaxLength(LIMITS.longText) @IsCleanText({ multiline: true })
  notes?: string | null;
}

@InputType('CloseGroupInput')
export class CloseGroupInput {
  @Field(() => ID) @IsUUID()
  id: string;

  @Field(() => Int) @IsInt() @Min(1)
  version: number;

  @Field(() => String, { description: 'Why: page gone, no longer relevant, ...' })
  @IsNotBlank() @MaxLength(LIMITS.reason) @IsCleanText({ multiline: true })
  reason: string;
}

@InputType('ReopenGroupInput')
export class ReopenGroupInput {
  @Field(() => ID) @IsUUID()
  id: string;

  @Field(() => Int) @IsInt() @Min(1)
  version: number;
}

@InputType('MarkGroupUnresponsiveInput')
export class MarkGroupUnresponsiveInput {
  @Field(() => ID) @IsUUID()
  id: string;

  @Field(() => Int) @IsInt() @Min(1)
  version: number;
}
