import { Field, ID, ObjectType } from 'type-graphql';
import type {
  Affiliation, ConcernAction, ConcernCategory, ContactChannel, ContactDirection, ContactOutcome, Platform, PolicyStep, Severity, Team,
} from '@signpost/policy';
import {
  AffiliationEnum, ConcernActionEnum, ConcernCategoryEnum, ContactChannelEnum, ContactDirectionEnum, ContactOutcomeEnum,
  PlatformEnum, PolicyStepEnum, SeverityEnum, TeamEnum,
} from '../../common/graphql-enums.js';
import { ConnectionType } from '../../common/pagination.js';
import { Administrator } from '../administrators/administrator.entity.js';
import { Group } from '../groups/group.entity.js';
import { Referral } from './referral.entity.js';

@ObjectType('ReferralConnection')
export class ReferralConnection extends ConnectionType('Referral', Referral) {}

@ObjectType('TeamRoute', { description: 'The administrators a team would receive' })
export class TeamRoute {
  @Field(() => TeamEnum) team: Team;
  @Field(() => [Administrator]) administrators: Administrator[];
}

@ObjectType('RoutingProposal', { description: "Where the administrators' affiliations send a referral, shown before it is submitted" })
export class RoutingProposal {
  @Field(() => [TeamEnum], { description: 'The teams involved' }) teams: Team[];
  @Field(() => Boolean, { description: 'True when the administrators belong to more than one team: split or override' })
  needsDecision: boolean;
  @Field(() => String) explanation: string;
  @Field(() => [TeamRoute]) byTeam: TeamRoute[];
}

@ObjectType('SubmitReferralPayload')
export class SubmitReferralPayload {
  @Field(() => [Referral], { description: 'The submitted referral, and any split from it (one per team)' }) referrals: Referral[];
  @Field(() => Group, { description: 'The group as it now stands (REFERRED when the policy allows)' }) group: Group;
}

// The snapshot, as GraphQL types: what was known at submission, frozen.

@ObjectType('SnapshotGroup', { description: 'The group as it was when the referral was submitted' })
export class SnapshotGroup {
  @Field(() => ID) id: string;
  @Field(() => String) name: string;
  @Field(() => PlatformEnum) platform: Platform;
  @Field(() => String, { nullable: true }) handle: string | null;
  @Field(() => String, { nullable: true }) url: string | null;
}

@ObjectType('SnapshotAdministrator', { description: 'An administrator routed to this team, as known at submission (personal data)' })
export class SnapshotAdministrator {
  @Field(() => ID) id: string;
  @Field(() => String) handle: string;
  @Field(() => String, { nullable: true }) name: string | null;
  @Field(() => AffiliationEnum) affiliation: Affiliation;
  @Field(() => String, { nullable: true }) affiliationMethod: string | null;
  @Field(() => String, { nullable: true }) universityId: string | null;
  @Field(() => String, { nullable: true }) contactDetails: string | null;
  @Field(() => String, { nullable: true }) notes: string | null;
}

@ObjectType('SnapshotContact', { description: 'A contact log entry as it was at submission' })
export class SnapshotContact {
  @Field(() => ID) id: string;
  @Field(() => Date) occurredAt: Date;
  @Field(() => ContactChannelEnum) channel: ContactChannel;
  @Field(() => ContactDirectionEnum) direction: ContactDirection;
  @Field(() => String, { nullable: true }) withWhom: string | null;
  @Field(() => String) summary: string;
  @Field(() => [PolicyStepEnum]) steps: PolicyStep[];
  @Field(() => ContactOutcomeEnum) outcome: ContactOutcome;
}

@ObjectType('SnapshotConcern', { description: 'A concern as it was at submission' })
export class SnapshotConcern {
  @Field(() => ID) id: string;
  @Field(() => ConcernCategoryEnum) category: ConcernCategory;
  @Field(() => SeverityEnum) severity: Severity;
  @Field(() => String, { nullable: true }) link: string | null;
  @Field(() => String, { nullable: true }) description: string | null;
  @Field(() => Date) seenAt: Date;
  @Field(() => ConcernActionEnum) actionTaken: ConcernAction;
}

@ObjectType('ReferralSnapshot', { description: 'What was known when the referral was submitted: immutable evidence for the receiving team' })
export class ReferralSnapshotType {
  @Field(() => Date) takenAt: Date;
  @Field(() => TeamEnum, { description: 'The team the snapshot is held for' }) team: Team;
  @Field(() => SnapshotGroup) group: SnapshotGroup;
  @Field(() => [SnapshotAdministrator], { description: 'Only the administrators routed to this team' }) administrators: SnapshotAdministrator[];
  @Field(() => [SnapshotContact]) contacts: SnapshotContact[];
  @Field(() => [SnapshotConcern]) concerns: SnapshotConcern[];
}
