import { Field, ID, Int, ObjectType } from 'type-graphql';
import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { ESCALATION_KINDS, ESCALATION_STATUSES, type EscalationKind, type EscalationStatus } from '@signpost/policy';
import { EscalationKindEnum, EscalationStatusEnum } from '../../common/graphql-enums.js';
import { sqlList } from '../../common/sql.js';
import { Group } from '../groups/group.entity.js';

/** A report of a group to its platform for removal, or to the police. Needs the lead's approval. */
@ObjectType('Escalation', { description: 'A report of a group to its platform or to the police' })
@Entity('escalations')
@Check('escalations_kind_check', `kind IN (${sqlList(ESCALATION_KINDS)})`)
@Check('escalations_status_check', `status IN (${sqlList(ESCALATION_STATUSES)})`)
export class Escalation {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @ManyToOne(() => Group, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'group_id' })
  group?: Group;

  @Index('escalations_group_id_idx')
  @Column({ type: 'uuid' })
  groupId: string;

  @Field(() => EscalationKindEnum)
  @Column({ type: 'text' })
  kind: EscalationKind;

  @Field(() => EscalationStatusEnum)
  @Column({ type: 'text', default: 'DRAFT' })
  status: EscalationStatus;

  @Field(() => String)
  @Column({ type: 'text' })
  reason: string;

  @Column({ type: 'uuid', nullable: true })
  approvedById: string | null;

  @Field(() => Date, { nullable: true })
  @Column({ type: 'timestamptz', nullable: true })
  approvedAt: Date | null;

  @Field(() => Date, { nullable: true })
  @Column({ type: 'timestamptz', nullable: true })
  reportedAt: Date | null;

  @Field(() => String, { nullable: true, description: 'Platform ticket or crime reference' })
  @Column({ type: 'text', nullable: true })
  externalReference: string | null;

  @Field(() => String, { nullable: true })
  @Column({ type: 'text', nullable: true })
  outcome: string | null;

  @Field(() => Int)
  @Column({ type: 'integer', default: 1 })
  version: number;

  @Column({ type: 'uuid', nullable: true })
  createdById: string | null;

  @Field(() => Date)
  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @Field(() => Date)
  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
