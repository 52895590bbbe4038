import { Field, ID, ObjectType } from 'type-graphql';
import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { SERVICE_SCOPES, type ServiceScope } from '@signpost/policy';
import { sqlList } from '../../common/sql.js';
import { User } from '../users/user.entity.js';

/**
 * Another university service calling the GraphQL API with a bearer token.
 * Only the token's SHA-256 is stored; the token itself is shown once, at creation.
 */
@ObjectType('ServiceClient', { description: 'Another university service that calls the API with a bearer token limited to scopes' })
@Entity('service_clients')
// Separation of duties in the database too: whoever created a client never approves it.
@Check('service_clients_second_approver', 'approved_by IS NULL OR created_by IS NULL OR approved_by <> created_by')
@Check('service_clients_scopes_check', `cardinality(scopes) > 0 AND scopes <@ ARRAY[${sqlList(SERVICE_SCOPES)}]::text[]`)
export class ServiceClient {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'service_clients_pkey' })
  id: string;

  @Field(() => String, { description: 'Unique; names the calling service in the audit trail and the admin page' })
  @Index('service_clients_name_key', { unique: true })
  @Column({ type: 'text' })
  name: string;

  @Field(() => [String], { description: `What the token may do: ${SERVICE_SCOPES.join(', ')}` })
  @Column({ type: 'text', array: true })
  scopes: ServiceScope[];

  @Index('service_clients_token_hash_key', { unique: true })
  @Column({ type: 'text' })
  tokenHash: string;

  @Field(() => String, { description: 'The first characters of the token, to recognise it; never enough to use it' })
  @Column({ type: 'text' })
  tokenPrefix: string;

  @ManyToOne(() => User, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'created_by', foreignKeyConstraintName: 'service_clients_created_by_fkey' })
  creator?: User;

  /** The administrator who created it; null when made with the command line. */
  @Column({ type: 'uuid', nullable: true, name: 'created_by' })
  createdBy: string | null;

  @Field(() => Date)
  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @ManyToOne(() => User, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'approved_by', foreignKeyConstraintName: 'service_clients_approved_by_fkey' })
  approver?: User;

  /** The second administrator who approved a client whose scopes read referrals. */
  @Column({ type: 'uuid', nullable: true, name: 'approved_by' })
  approvedBy: string | null;

  @Field(() => Date, { nullable: true, description: 'When a second administrator approved it (clients that read referrals work only once approved)' })
  @Column({ type: 'timestamptz', nullable: true })
  approvedAt: Date | null;

  @Field(() => Date, { nullable: true, description: 'When the token stopped working; null while it is active' })
  @Column({ type: 'timestamptz', nullable: true })
  revokedAt: Date | null;

  @Field(() => Date, { nullable: true, description: 'Roughly when the token was last used (updated at most every few minutes)' })
  @Column({ type: 'timestamptz', nullable: true })
  lastUsedAt: Date | null;
}
