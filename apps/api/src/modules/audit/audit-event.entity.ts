import { Field, ID, ObjectType } from 'type-graphql';
import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import type { Team } from '@signpost/policy';
import { TeamEnum } from '../../common/graphql-enums.js';

/**
 * Who did what to which record. Details never hold personal data, so a group's
 * timeline can be built from these events and erasure never touches them.
 *
 * Hash-chained: the database fills `at`, `seq`, `prevHash` and `hash` on insert
 * (trigger in the TamperEvidentAuditAndIdempotency migration; the serialisation
 * is in audit-chain.ts). `actorLabel`, the one personal field, is outside the hash.
 */
@ObjectType('AuditEvent', { description: 'Who did what to which record, and when' })
@Entity('audit_events')
@Index('audit_events_group_idx', ['groupId', 'id'])
@Index('audit_events_entity_idx', ['entityType', 'entityId'])
@Index('audit_events_seq_key', ['seq'], { unique: true })
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

  @Field(() => String, { description: 'Position in the hash chain: 1, 2, 3 … with no gaps (a decimal string; it may exceed 2^53)' })
  @Column({ type: 'bigint' })
  seq: string;

  @Field(() => String, { description: 'SHA-256 (hex) of the previous event in the chain; 64 zeros for the first' })
  @Column({ type: 'text' })
  prevHash: string;

  @Field(() => String, { description: "SHA-256 (hex) of this event's non-personal fields and prevHash; `signpost audit verify` recomputes it" })
  @Column({ type: 'text' })
  hash: string;
}
