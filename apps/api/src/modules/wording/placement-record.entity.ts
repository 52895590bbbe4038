import { Field, ID, Int, ObjectType } from 'type-graphql';
import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { PLACEMENT_STATES, PLACEMENTS, type Placement, type PlacementState } from '@signpost/policy';
import { PlacementEnum, PlacementStateEnum } from '../../common/graphql-enums.js';
import { sqlList } from '../../common/sql.js';
import { WordingAgreement } from './wording-agreement.entity.js';

/** Publication of agreed wording in one placement (pinned message or auto-response). */
@ObjectType('PlacementRecord', { description: 'Where agreed wording is published, and the evidence' })
@Entity('placements')
@Check('placements_placement_check', `placement IN (${sqlList(PLACEMENTS)})`)
@Check('placements_state_check', `state IN (${sqlList(PLACEMENT_STATES)})`)
@Index('placements_agreement_placement_key', ['agreementId', 'placement'], { unique: true })
export class PlacementRecord {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @ManyToOne(() => WordingAgreement, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'agreement_id' })
  agreement?: WordingAgreement;

  @Column({ type: 'uuid' })
  agreementId: string;

  @Index('placements_group_id_idx')
  @Column({ type: 'uuid' })
  groupId: string;

  @Field(() => PlacementEnum)
  @Column({ type: 'text' })
  placement: Placement;

  @Field(() => PlacementStateEnum)
  @Column({ type: 'text', default: 'NOT_PUBLISHED' })
  state: PlacementState;

  @Field(() => String, { nullable: true })
  @Column({ type: 'text', nullable: true })
  evidenceUrl: string | null;

  @Field(() => String, { nullable: true })
  @Column({ type: 'text', nullable: true })
  evidenceNote: string | null;

  @Field(() => Date, { nullable: true })
  @Column({ type: 'timestamptz', nullable: true })
  publishedAt: Date | null;

  @Field(() => Date, { nullable: true })
  @Column({ type: 'timestamptz', nullable: true })
  verifiedAt: Date | null;

  @Field(() => Date, { nullable: true })
  @Column({ type: 'timestamptz', nullable: true })
  removedAt: Date | null;

  @Field(() => Int)
  @Column({ type: 'integer', default: 1 })
  version: number;

  @Field(() => Date)
  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
