import { Field, ID, Int, ObjectType } from 'type-graphql';
import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import {
  GROUP_KINDS, GROUP_STATUSES, LOGO_STATUSES, PLATFORMS, RISK_LEVELS,
  type GroupKind, type GroupStatus, type LogoStatus, type Platform, type RiskLevel,
} from '@signpost/policy';
import { GroupKindEnum, GroupStatusEnum, LogoStatusEnum, PlatformEnum, RiskLevelEnum } from '../../common/graphql-enums.js';
import { sqlList } from '../../common/sql.js';
import { User } from '../users/user.entity.js';

/** An anonymous social media group the team knows of: the register's record. */
@ObjectType('Group', { description: 'An anonymous social media group (confessions page, anonymous Q&A account, ...)' })
@Entity('groups')
// Expression index (overdue first) written by hand in the migration; TypeORM must leave it alone.
@Index('groups_review_sort_idx', { synchronize: false })
@Check('groups_platform_check', `platform IN (${sqlList(PLATFORMS)})`)
@Check('groups_kind_check', `kind IN (${sqlList(GROUP_KINDS)})`)
@Check('groups_risk_level_check', `risk_level IN (${sqlList(RISK_LEVELS)})`)
@Check('groups_status_check', `status IN (${sqlList(GROUP_STATUSES)})`)
@Check('groups_logo_status_check', `logo_status IN (${sqlList(LOGO_STATUSES)})`)
export class Group {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Field(() => String)
  @Column({ type: 'text' })
  name: string;

  @Field(() => PlatformEnum)
  @Column({ type: 'text' })
  platform: Platform;

  @Field(() => String, { nullable: true, description: 'The account handle on the platform' })
  @Column({ type: 'text', nullable: true })
  handle: string | null;

  @Field(() => String, { nullable: true })
  @Column({ type: 'text', nullable: true })
  url: string | null;

  @Field(() => GroupKindEnum)
  @Column({ type: 'text' })
  kind: GroupKind;

  @Field(() => Boolean, { description: 'Whether the group markets itself to the university community' })
  @Column({ type: 'boolean', default: false })
  marketsToUniversity: boolean;

  @Field(() => LogoStatusEnum)
  @Column({ type: 'text', default: 'NOT_USED' })
  logoStatus: LogoStatus;

  @Field(() => Date, { nullable: true, description: 'When the logo status last changed' })
  @Column({ type: 'timestamptz', nullable: true })
  logoStatusChangedAt: Date | null;

  @Field(() => Int, { nullable: true })
  @Column({ type: 'integer', nullable: true })
  audienceSize: number | null;

  @Column({ type: 'text', nullable: true })
  discoveryMethod: string | null;

  @Field(() => Date)
  @Column({ type: 'timestamptz', default: () => 'now()' })
  discoveredAt: Date;

  @Field(() => RiskLevelEnum)
  @Column({ type: 'text', default: 'MEDIUM' })
  riskLevel: RiskLevel;

  @ManyToOne(() => User, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'assigned_officer_id' })
  assignedOfficer?: User;

  @Index('groups_assigned_officer_id_idx')
  @Column({ type: 'uuid', nullable: true })
  assignedOfficerId: string | null;

  @Field(() => GroupStatusEnum)
  @Index('groups_status_idx')
  @Column({ type: 'text', default: 'DISCOVERED' })
  status: GroupStatus;

  @Column({ type: 'text', nullable: true })
  statusBeforeClose: GroupStatus | null;

  @Column({ type: 'text', nullable: true })
  closeReason: string | null;

  @Field(() => Date, { nullable: true })
  @Column({ type: 'timestamptz', nullable: true })
  nextReviewDue: Date | null;

  @Field(() => Date, { nullable: true, description: 'When the group first became COMPLIANT (for time from sighting to compliance)' })
  @Column({ type: 'timestamptz', nullable: true })
  firstCompliantAt: Date | null;

  @Column({ type: 'text', nullable: true })
  notes: string | null;

  @Field(() => Int, { description: 'Optimistic concurrency: name it when you update the group' })
  @Column({ type: 'integer', default: 1 })
  version: number;

  @Column({ type: 'uuid', nullable: true })
  createdById: string | null;

  @Field(() => Date)
  @Index('groups_created_at_idx')
  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @Field(() => Date)
  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
