/**
 * Pushes outbox rows through the notifier and marks them delivered. A row already delivered is skipped, so
 * a retried activity does not send it again; a failure is recorded on the row and rethrown for a retry.
 */
import { and, asc, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { Db } from '../db/client';
import { notifications } from '../db/schema';
import type { Notifier } from './notifier';
import type { DeliveryResult } from './types';

export async function deliverNotifications(db: Db, notifier: Notifier, dedupeKeys: string[]): Promise<DeliveryResult> {
  if (dedupeKeys.length === 0) return { delivered: 0 };
  const pending = await db
    .select()
    .from(notifications)
    .where(and(inArray(notifications.dedupeKey, dedupeKeys), isNull(notifications.deliveredAt)))
    .orderBy(asc(notifications.id));
  let delivered = 0;
  const failures: string[] = [];
  for (const row of pending) {
    try {
      await notifier.deliver({
        dedupeKey: row.dedupeKey,
        caseId: row.caseId,
        kind: row.kind,
        recipient: row.recipient,
        channel: row.channel,
        payload: row.payload,
        createdAt: row.createdAt.toISOString(),
      });
      await db
        .update(notifications)
        .set({ deliveredAt: sql`now()`, attempts: sql`${notifications.attempts} + 1`, lastError: null })
        .where(eq(notifications.id, row.id));
      delivered++;
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      failures.push(`${row.dedupeKey}: ${message}`);
      await db
        .update(notifications)
        .set({ attempts: sql`${notifications.attempts} + 1`, lastError: message })
        .where(eq(notifications.id, row.id));
    }
  }
  if (failures.length > 0) throw new Error(`delivery failed for ${failures.length} notification(s): ${failures.join('; ')}`);
  return { delivered };
}
