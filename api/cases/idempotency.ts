/**
 * Idempotent case creation. The case id is derived from (principal, Idempotency-Key), so concurrent
 * retries start or find the same workflow; the idempotency_keys row remembers the request's hash (a reused
 * key with another body is a 409) and, once answered, the response to replay.
 */
import { createHash } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { idempotencyKeys } from '../../db/schema';
import { conflict } from '../problem';

/** A UUID (version 8, RFC 9562 custom) from SHA-256 of principal and key. */
export function caseIdForKey(principalId: string, key: string): string {
  const bytes = createHash('sha256').update(`caseflow/case\n${principalId}\n${key}`).digest().subarray(0, 16);
  bytes[6] = (bytes[6] & 0x0f) | 0x80;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** Order-independent JSON, so {a,b} and {b,a} are the same request. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

export const requestHash = (body: unknown): string => createHash('sha256').update(canonical(body)).digest('hex');

export type Claim = { replay: unknown } | { replay: null };

/** Records the key (first writer wins) and says whether a stored response can be replayed. */
export async function claimKey(db: Db, principalId: string, key: string, hash: string, resourceId: string): Promise<Claim> {
  const inserted = await db
    .insert(idempotencyKeys)
    .values({ principalId, key, requestHash: hash, resourceId })
    .onConflictDoNothing()
    .returning({ key: idempotencyKeys.key });
  if (inserted.length > 0) return { replay: null };
  const [row] = await db
    .select()
    .from(idempotencyKeys)
    .where(and(eq(idempotencyKeys.principalId, principalId), eq(idempotencyKeys.key, key)));
  if (row.requestHash !== hash) throw conflict('this Idempotency-Key was used with a different request body', 'idempotency-key-reused');
  return { replay: row.completed ? row.response : null };
}

export async function completeKey(db: Db, principalId: string, key: string, response: unknown): Promise<void> {
  await db
    .update(idempotencyKeys)
    .set({ completed: true, response })
    .where(and(eq(idempotencyKeys.principalId, principalId), eq(idempotencyKeys.key, key)));
}
