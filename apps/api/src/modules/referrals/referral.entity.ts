import { Field, ID, Int, ObjectType } from 'type-graphql';
import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import {
  REFERRAL_OUTCOMES, REFERRAL_REASONS, REFERRAL_STATUSES, TEAMS,
  type ReferralOutcome, type ReferralReason, type ReferralStatus, type Team,
} from '@signpost/policy';
import { ReferralOutcomeEnum, ReferralReasonEnum, ReferralStatusEnum, TeamEnum } from '../../common/graphql-enums.js';
import { sqlList } from '../../common/sql.js';
import { Group } from '../groups/group.entity.js';

/**
 * Administrators passed to a receiving team. `team` is null while a draft; once
 * submitted only that team (and the social media team) can see it.
 */
@ObjectType('Referral', { description: 'Administrators referred to the student disciplinary team, HR or legal' })
@Entity('referrals')
@Check('referrals_team_check', `team IS NULL OR team IN (${sqlList(TEAMS)})`)
@Check('referrals_status_check', `status IN (${sqlList(REFERRAL_STATUSES)})`)
@Check('referrals_reason_check', `reason IN (${sqlList(REFERRAL_REASONS)})`)
@Check('referrals_outcome_check', `outcome IS NULL OR outcome IN (${sqlList(REFERRAL_OUTCOMES)})`)
@Check('referrals_team_when_submitted', `status = 'DRAFT' OR team IS NOT NULL`)
@Index('referrals_created_idx', ['createdAt', 'id'])
@Index('referrals_team_created_idx', ['team', 'createdAt', 'id'])
@Index('referrals_team_status_idx', ['team', 'status', 'acknowledgeBy', 'createdAt', 'id'])
export class Referral {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @ManyToOne(() => Group, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'group_id' })
  group?: Group;

  @Index('referrals_group_id_idx')
  @Column({ type: 'uuid' })
  groupId: string;

  @Field(() => TeamEnum, { nullable: true, description: 'The receiving team; null while a draft' })
  @Column({ type: 'text', nullable: true })
  team: Team | null;

  @Field(() => ReferralStatusEnum)
  @Column({ type: 'text', default: 'DRAFT' })
  status: ReferralStatus;

  @Field(() => ReferralReasonEnum)
  @Column({ type: 'text' })
  reason: ReferralReason;

  @Field(() => String)
  @Column({ type: 'text' })
  summary: string;

  @Field(() => String, { nullable: true, description: "The lead's written reason, when routing was overridden" })
  @Column({ type: 'text', nullable: true })
  routingOverrideReason: string | null;

  @Field(() => ID, { nullable: true, description: 'Referrals split from one draft share this key' })
  @Column({ type: 'uuid', nullable: true })
  splitKey: string | null;

  @Column({ type: 'uuid', nullable: true })
  createdById: string | null;

  @Column({ type: 'uuid', nullable: true })
  submittedById: string | null;

  @Field(() => Date, { nullable: true })
  @Column({ type: 'timestamptz', nullable: true })
  submittedAt: Date | null;

  @Field(() => Date, { nullable: true })
  @Column({ type: 'timestamptz', nullable: true })
  acknowledgedAt: Date | null;

  @Field(() => Date, { nullable: true, description: 'When the receiving team must acknowledge it by: the configured working days after it was routed to them (submitted or transferred); null for a draft' })
  @Column({ type: 'timestamptz', nullable: true })
  acknowledgeBy: Date | null;

  @Field(() => Date, { nullable: true })
  @Column({ type: 'timestamptz', nullable: true })
  closedAt: Date | null;

  @Field(() => ReferralOutcomeEnum, { nullable: true })
  @Column({ type: 'text', nullable: true })
  outcome: ReferralOutcome | null;

  @Field(() => String, { nullable: true })
  @Column({ type: 'text', nullable: true })
  outcomeNote: string | null;

  @Field(() => Int)
  @Column({ type: 'integer', default: 1 })
  version: number;

  @Field(() => Date)
  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @Field(() => Date)
  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
