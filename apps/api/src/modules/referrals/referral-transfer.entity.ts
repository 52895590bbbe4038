import { Field, ID, ObjectType } from 'type-graphql';
import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import type { Team } from '@signpost/policy';
import { TeamEnum } from '../../common/graphql-enums.js';
import { Referral } from './referral.entity.js';

/** A referral moved from one receiving team to another. */
@ObjectType('ReferralTransfer', { description: 'A move of a referral from one team to another' })
@Entity('referral_transfers')
@Index('referral_transfers_referral_idx', ['referralId', 'createdAt'])
export class ReferralTransfer {
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
  fromTeam: Team;

  @Field(() => TeamEnum)
  @Column({ type: 'text' })
  toTeam: Team;

  @Field(() => String)
  @Column({ type: 'text' })
  reason: string;

  @Column({ type: 'uuid', nullable: true })
  byId: string | null;

  @Field(() => Date)
  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
