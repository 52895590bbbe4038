import { Field, ID, Int, ObjectType } from 'type-graphql';
import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { AFFILIATIONS, type Affiliation } from '@signpost/policy';
import { AffiliationEnum } from '../../common/graphql-enums.js';
import { sqlList } from '../../common/sql.js';
import { Group } from '../groups/group.entity.js';

/** A person who runs a group. Personal data: kept only as long as the retention period allows. */
@ObjectType('Administrator', { description: 'An administrator of a group (personal data)' })
@Entity('administrators')
@Check('administrators_affiliation_check', `affiliation IN (${sqlList(AFFILIATIONS)})`)
export class Administrator {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @ManyToOne(() => Group, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'group_id' })
  group?: Group;

  @Index('administrators_group_id_idx')
  @Column({ type: 'uuid' })
  groupId: string;

  @Field(() => String, { description: 'Their handle on the platform' })
  @Column({ type: 'text' })
  handle: string;

  @Field(() => String, { nullable: true, description: 'Their name, if known' })
  @Column({ type: 'text', nullable: true })
  name: string | null;

  @Field(() => AffiliationEnum)
  @Column({ type: 'text', default: 'UNKNOWN' })
  affiliation: Affiliation;

  @Field(() => String, { nullable: true, description: 'How the affiliation was ascertained' })
  @Column({ type: 'text', nullable: true })
  affiliationMethod: string | null;

  @Field(() => String, { nullable: true })
  @Column({ type: 'text', nullable: true })
  universityId: string | null;

  @Field(() => String, { nullable: true })
  @Column({ type: 'text', nullable: true })
  contactDetails: string | null;

  @Field(() => String, { nullable: true })
  @Column({ type: 'text', nullable: true })
  notes: string | null;

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
