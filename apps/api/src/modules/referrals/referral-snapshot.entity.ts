import { Column, CreateDateColumn, Entity, JoinColumn, OneToOne, PrimaryColumn } from 'typeorm';
import type { Team } from '@signpost/policy';
import { Referral } from './referral.entity.js';
import type { SnapshotData } from './referral-snapshot.types.js';

/**
 * What was known at submission, frozen. Kept apart from the referral row so
 * the API never loads personal data it was not asked for, and so row-level
 * security can guard it on its own.
 */
@Entity('referral_snapshots')
export class ReferralSnapshot {
  @PrimaryColumn({ type: 'uuid' })
  referralId: string;

  @OneToOne(() => Referral, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'referral_id' })
  referral?: Referral;

  @Column({ type: 'text' })
  team: Team;

  @Column({ type: 'jsonb' })
  data: SnapshotData;

  @CreateDateColumn({ type: 'timestamptz' })
  takenAt: Date;
}
