import { Field, ID, ObjectType } from 'type-graphql';
import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import type { Team } from '@signpost/policy';
import { TeamEnum } from '../../common/graphql-enums.js';
import { Referral } from './referral.entity.js';

/** A receiving team's note on a referral; only that team ever sees it. */
@ObjectType('ReferralNote', { description: 'A note by the receiving team, visible to that team only' })
@Entity('referral_notes')
@Index('referral_notes_referral_created_idx', ['referralId', 'createdAt'])
export class ReferralNote {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @ManyToOne(() => Referral, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'referral_id' })
  referral?: Referral;

  @Column({ type: 'uuid' })
  referralId: string;

  @Field(() => TeamEnum)
  @Column({ type: 'text' })
  team: Team;

  @Field(() => String)
  @Column({ type: 'text' })
  body: string;

  @Column({ type: 'uuid', nullable: true })
  authorId: string | null;

  @Field(() => Date)
  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
