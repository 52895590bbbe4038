import { Field, ID, ObjectType } from 'type-graphql';
import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import type { Team } from '@signpost/policy';
import { TeamEnum } from '../../common/graphql-enums.js';

/**
 * Who did what to which record. Details never hold personal data, so a group's
 * timeline can be built from these events and erasure never touches them.
 *
 * Hash-chained: the database stamps `at` on insert, and the sealer fills `seq`,
 * `prevHash` and `hash` once the event has committed (AuditChainSealedAfterCommit
 * migration, audit-sealer.ts; the serialisation is in audit-chain.ts): until then
 * they are null. `actorLabel`, the one personal field, is outside the hash.
 */
@ObjectType('AuditEvent', { description: 'Who did what to which record, and when' })
@Entity('audit_events')
@Index('audit_events_group_idx', ['groupId', 'id'])
@Index('audit_events_entity_idx', ['entityType', 'entityId'])
@Index('audit_events_seq_key', ['seq'], { unique: true })
// Partial and expression indexes TypeORM cannot describe: made by the AuditChainSealedAfterCommit migration.
@Index('audit_events_unsealed_idx', { synchronize: false })
@Index('audit_events_referral_ids_idx', { synchronize: false })
export class AuditEvent {
  @Field(() => ID)
  @PrimaryGeneratedColumn('increment', { type: 'bigint' })
  id: string;

  @Field(() => Date)
  @CreateDateColumn({ type: 'timestamptz' })
  at: Date;

  @Column({ type: 'uuid', nullable: true })
  actorId: string | null;

  @Field(() => String, { description: 'Who acted: a person\'s email, a service client\'s name, or "system"' })
  @Column({ type: 'text' })
  actorLabel: string;

  @Field(() => String, { description: 'What was done, e.g. group.create, referral.read' })
  @Column({ type: 'text' })
  action: string;

  @Field(() => String)
  @Column({ type: 'text' })
  entityType: string;

  @Field(() => ID, { nullable: true })
  @Column({ type: 'uuid', nullable: true })
  entityId: string | null;

  @Field(() => ID, { nullable: true })
  @Column({ type: 'uuid', nullable: true })
  groupId: string | null;

  @Field(() => TeamEnum, { nullable: true, description: 'For referral events, the team the referral was with' })
  @Column({ type: 'text', nullable: true })
  referralTeam: Team | null;

  @Field(() => String, { nullable: true })
  @Column({ type: 'text', nullable: true })
  requestId: string | null;

  @Column({ type: 'jsonb', default: () => "'{}'" })
  details: Record<string, unknown>;

  @Field(() => String, {
    nullable: true,
    description: 'Position in the hash chain: 1, 2, 3 … with no gaps (a decimal string; it may exceed 2^53). Null for the moment between commit and seal (normally well under a second)',
  })
  @Column({ type: 'bigint', nullable: true })
  seq: string | null;

  @Field(() => String, { nullable: true, description: 'SHA-256 (hex) of the previous event in the chain; 64 zeros for the first. Null until sealed' })
  @Column({ type: 'text', nullable: true })
  prevHash: string | null;

  @Field(() => String, { nullable: true, description: "SHA-256 (hex) of this event's non-personal fields and prevHash; `signpost audit verify` recomputes it. Null until sealed" })
  @Column({ type: 'text', nullable: true })
  hash: string | null;
}
