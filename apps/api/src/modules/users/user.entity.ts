import { Field, ID, ObjectType } from 'type-graphql';
import { Check, Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import type { Role } from '@signpost/policy';
import { RoleEnum } from '../../common/graphql-enums.js';

/** A person who signs in: local password (argon2) or OIDC. */
@ObjectType('User', { description: 'A person who uses Signpost' })
@Entity('users')
@Check('users_email_lower', 'email = lower(email)')
// A person signed in with OIDC is known by the provider's subject; the email can change there.
@Index('users_oidc_subject_key', ['oidcIssuer', 'oidcSubject'], { unique: true })
export class User {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Field(() => String)
  @Index('users_email_key', { unique: true })
  @Column({ type: 'text' })
  email: string;

  @Field(() => String)
  @Column({ type: 'text' })
  displayName: string;

  @Column({ type: 'text', nullable: true })
  passwordHash: string | null;

  @Field(() => [RoleEnum])
  @Column({ type: 'text', array: true, default: () => "'{}'" })
  roles: Role[];

  @Field(() => Boolean)
  @Column({ type: 'boolean', default: false })
  disabled: boolean;

  @Field(() => Date)
  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @Column({ type: 'timestamptz', nullable: true })
  lastSignInAt: Date | null;

  /** The OIDC provider that vouched for them (its issuer URL); null until their first OIDC sign-in. */
  @Column({ type: 'text', nullable: true })
  oidcIssuer: string | null;

  /** Their stable id (`sub`) at that provider. */
  @Column({ type: 'text', nullable: true })
  oidcSubject: string | null;
}
