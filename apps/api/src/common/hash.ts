import { createHash } from 'node:crypto';

/** Hex SHA-256 of a text: how secrets (session and service tokens, sign-in state) are stored and requests are fingerprinted. */
export const sha256Hex = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');
