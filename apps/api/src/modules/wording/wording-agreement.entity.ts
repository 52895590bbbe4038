import { Field, ID, Int, ObjectType } from 'type-graphql';
import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { WORDING_STATUSES, type WordingStatus } from '@signpost/policy';
import { WordingStatusEnum } from '../../common/graphql-enums.js';
import { sqlList } from '../../common/sql.js';
import { Group } from '../groups/group.entity.js';
import { WordingTemplate } from './wording-template.entity.js';

/** Signposting wording negotiated with a group's administrators. */
@ObjectType('WordingAgreement', { description: "Wording agreed (or being agreed) with a group's administrators" })
@Entity('wording_agreements')
@Check('wording_agreements_status_check', `status IN (${sqlList(WORDING_STATUSES)})`)
export class WordingAgreement {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @ManyToOne(() => Group, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'group_id' })
  group?: Group;

  @Index('wording_agreements_group_id_idx')
  @Column({ type: 'uuid' })
  groupId: string;

  @Field(() => WordingStatusEnum)
  @Column({ type: 'text', default: 'DRAFT' })
  status: WordingStatus;

  @ManyToOne(() => WordingTemplate, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'template_id' })
  template?: WordingTemplate;

  @Column({ type: 'uuid', nullable: true })
  templateId: string | null;

  @Column({ type: 'uuid', nullable: true })
  approvedById: string | null;

  @Field(() => Date, { nullable: true })
  @Column({ type: 'timestamptz', nullable: true })
  approvedAt: Date | null;

  @Field(() => Date, { nullable: true })
  @Column({ type: 'timestamptz', nullable: true })
  supersededAt: Date | null;

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
