import { Field, ID, ObjectType } from 'type-graphql';
import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import {
  CONCERN_ACTIONS, CONCERN_CATEGORIES, SEVERITIES,
  type ConcernAction, type ConcernCategory, type Severity,
} from '@signpost/policy';
import { ConcernActionEnum, ConcernCategoryEnum, SeverityEnum } from '../../common/graphql-enums.js';
import { sqlList } from '../../common/sql.js';
import { Group } from '../groups/group.entity.js';
import { Administrator } from '../administrators/administrator.entity.js';

/** Content of concern seen on a group. */
@ObjectType('Concern', { description: 'Content of concern seen on a group' })
@Entity('concerns')
@Check('concerns_category_check', `category IN (${sqlList(CONCERN_CATEGORIES)})`)
@Check('concerns_severity_check', `severity IN (${sqlList(SEVERITIES)})`)
@Check('concerns_action_taken_check', `action_taken IN (${sqlList(CONCERN_ACTIONS)})`)
@Index('concerns_group_seen_idx', ['groupId', 'seenAt'])
export class Concern {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @ManyToOne(() => Group, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'group_id' })
  group?: Group;

  @Column({ type: 'uuid' })
  groupId: string;

  @ManyToOne(() => Administrator, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'administrator_id', foreignKeyConstraintName: 'concerns_administrator_id_fkey' })
  administrator?: Administrator;

  /** The recorded administrator the content is about, if any; null for a concern about the group as a whole. */
  @Index('concerns_administrator_id_idx')
  @Column({ type: 'uuid', nullable: true })
  administratorId: string | null;

  @Field(() => ConcernCategoryEnum)
  @Column({ type: 'text' })
  category: ConcernCategory;

  @Field(() => SeverityEnum)
  @Column({ type: 'text' })
  severity: Severity;

  @Field(() => String, { nullable: true, description: 'Link to the content' })
  @Column({ type: 'text', nullable: true })
  link: string | null;

  @Field(() => String, { nullable: true })
  @Column({ type: 'text', nullable: true })
  description: string | null;

  @Field(() => Date)
  @Column({ type: 'timestamptz' })
  seenAt: Date;

  @Field(() => ConcernActionEnum)
  @Column({ type: 'text', default: 'NONE' })
  actionTaken: ConcernAction;

  @Column({ type: 'uuid', nullable: true })
  createdById: string | null;

  @Field(() => Date)
  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
