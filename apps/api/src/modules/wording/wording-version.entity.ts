import { Field, ID, Int, ObjectType } from 'type-graphql';
import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { WORDING_PARTIES, type WordingCheck, type WordingParty } from '@signpost/policy';
import { WordingPartyEnum } from '../../common/graphql-enums.js';
import { sqlList } from '../../common/sql.js';
import { WordingAgreement } from './wording-agreement.entity.js';

/** One proposed text of a wording agreement, with the result of the wording check. */
@ObjectType('WordingVersion', { description: 'A proposed text of the wording' })
@Entity('wording_versions')
@Check('wording_versions_proposed_by_check', `proposed_by IN (${sqlList(WORDING_PARTIES)})`)
@Index('wording_versions_agreement_number_key', ['agreementId', 'number'], { unique: true })
export class WordingVersion {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @ManyToOne(() => WordingAgreement, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'agreement_id' })
  agreement?: WordingAgreement;

  @Column({ type: 'uuid' })
  agreementId: string;

  @Field(() => Int, { description: '1 for the first proposal, then 2, 3, ...' })
  @Column({ type: 'integer' })
  number: number;

  @Field(() => String)
  @Column({ type: 'text' })
  text: string;

  @Field(() => WordingPartyEnum)
  @Column({ type: 'text' })
  proposedBy: WordingParty;

  /** The policy's wording check at the time of proposal; re-run on read so configuration changes show. */
  @Column({ type: 'jsonb' })
  check: WordingCheck;

  @Column({ type: 'uuid', nullable: true })
  createdById: string | null;

  @Field(() => Date)
  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
