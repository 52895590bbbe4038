import { Field, ID, ObjectType } from 'type-graphql';
import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import {
  CONTACT_CHANNELS, CONTACT_DIRECTIONS, CONTACT_OUTCOMES,
  type ContactChannel, type ContactDirection, type ContactOutcome, type PolicyStep,
} from '@signpost/policy';
import { ContactChannelEnum, ContactDirectionEnum, ContactOutcomeEnum, PolicyStepEnum } from '../../common/graphql-enums.js';
import { sqlList } from '../../common/sql.js';
import { Group } from '../groups/group.entity.js';
import { Administrator } from '../administrators/administrator.entity.js';

/** One contact with a group's administrators, and which policy steps it covered. */
@ObjectType('ContactLogEntry', { description: "A contact with a group's administrators" })
@Entity('contact_log_entries')
@Check('contact_log_entries_channel_check', `channel IN (${sqlList(CONTACT_CHANNELS)})`)
@Check('contact_log_entries_direction_check', `direction IN (${sqlList(CONTACT_DIRECTIONS)})`)
@Check('contact_log_entries_outcome_check', `outcome IN (${sqlList(CONTACT_OUTCOMES)})`)
@Index('contact_log_entries_group_occurred_idx', ['groupId', 'occurredAt'])
export class ContactLogEntry {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @ManyToOne(() => Group, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'group_id' })
  group?: Group;

  @Column({ type: 'uuid' })
  groupId: string;

  @ManyToOne(() => Administrator, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'administrator_id' })
  administrator?: Administrator;

  @Column({ type: 'uuid', nullable: true })
  administratorId: string | null;

  @Field(() => Date)
  @Column({ type: 'timestamptz' })
  occurredAt: Date;

  @Field(() => ContactChannelEnum)
  @Column({ type: 'text' })
  channel: ContactChannel;

  @Field(() => ContactDirectionEnum)
  @Column({ type: 'text' })
  direction: ContactDirection;

  @Field(() => String, { nullable: true, description: 'With whom, when not a recorded administrator' })
  @Column({ type: 'text', nullable: true })
  withWhom: string | null;

  @Field(() => String)
  @Column({ type: 'text' })
  summary: string;

  @Field(() => [PolicyStepEnum])
  @Column({ type: 'text', array: true, default: () => "'{}'" })
  steps: PolicyStep[];

  @Field(() => ContactOutcomeEnum)
  @Column({ type: 'text' })
  outcome: ContactOutcome;

  @Column({ type: 'uuid', nullable: true })
  createdById: string | null;

  @Field(() => Date)
  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
