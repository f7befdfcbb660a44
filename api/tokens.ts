/** Bearer tokens: 256 random bits shown once; only their SHA-256 is stored. */
import { createHash, randomBytes } from 'node:crypto';

const TOKEN_PREFIX = 'cf_';

export function newToken(): string {
  return TOKEN_PREFIX + randomBytes(32).toString('base64url');
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
