import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/**
 * An OIDC sign-in under way: what the callback must check (state, nonce) and
 * prove (the PKCE verifier). The browser holds a random handle in a short-lived
 * cookie; only its SHA-256 is stored, and the row is used once.
 */
@Entity('oidc_sign_in_states')
export class OidcSignInState {
  @PrimaryColumn({ type: 'text', primaryKeyConstraintName: 'oidc_sign_in_states_pkey' })
  handleHash: string;

  @Column({ type: 'text' })
  state: string;

  @Column({ type: 'text' })
  nonce: string;

  @Column({ type: 'text' })
  codeVerifier: string;

  /** Where to send the person afterwards: a path on this site, never another origin. */
  @Column({ type: 'text', nullable: true })
  returnTo: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @Column({ type: 'timestamptz' })
  expiresAt: Date;
}
