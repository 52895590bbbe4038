import { Field, ID, ObjectType } from 'type-graphql';
import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { Group } from '../groups/group.entity.js';

/** A periodic check of a group's page. */
@ObjectType('Review', { description: "A periodic check of a group's page" })
@Entity('reviews')
@Index('reviews_group_reviewed_idx', ['groupId', 'reviewedAt'])
export class Review {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @ManyToOne(() => Group, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'group_id' })
  group?: Group;

  @Column({ type: 'uuid' })
  groupId: string;

  @Field(() => Date)
  @Column({ type: 'timestamptz' })
  reviewedAt: Date;

  @Field(() => Boolean)
  @Column({ type: 'boolean' })
  pinnedMessagePresent: boolean;

  @Field(() => Boolean)
  @Column({ type: 'boolean' })
  autoResponsePresent: boolean;

  @Field(() => Boolean)
  @Column({ type: 'boolean' })
  logoStillUsed: boolean;

  @Field(() => String, { nullable: true })
  @Column({ type: 'text', nullable: true })
  notes: string | null;

  @Field(() => Date, { description: 'The next review date this review set' })
  @Column({ type: 'timestamptz' })
  nextReviewDue: Date;

  @Column({ type: 'uuid', nullable: true })
  createdById: string | null;

  @Field(() => Date)
  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
