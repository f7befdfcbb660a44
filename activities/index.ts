/**
 * The case workflow's activities, bound to a database and an optional notifier. The workflow imports only
 * the `CaseActivities` type; the worker registers `createActivities(...)`.
 */
import type { Database } from '../db/client';
import { deliverNotifications } from './deliver-notifications';
import { webhookNotifierFromEnv, type Notifier } from './notifier';
import { isPermanentDataError } from '../db/errors';
import { recordCaseChange, recordDespitePermanentError } from './record-case-change';
import type { CaseChangeBatch, CaseChangeResult, DeliveryResult } from './types';

export interface ActivityOptions {
  db: Database;
  /** Delivery channel for outbox rows; default: the env-configured webhook; null: outbox only. */
  notifier?: Notifier | null;
}

export function createActivities({ db, notifier }: ActivityOptions) {
  const channel = notifier === undefined ? webhookNotifierFromEnv() : notifier;
  return {
    async recordCaseChange(batch: CaseChangeBatch): Promise<CaseChangeResult> {
      try {
        return await recordCaseChange(db.db, batch, channel !== null);
      } catch (err) {
        // Transient failures (database down, serialization) are retried by the workflow's retry policy.
        if (!isPermanentDataError(err)) throw err;
        return recordDespitePermanentError(db.db, batch, err, channel !== null);
      }
    },
    async deliverNotifications(dedupeKeys: string[]): Promise<DeliveryResult> {
      if (!channel) return { delivered: 0 };
      return deliverNotifications(db.db, channel, dedupeKeys);
    },
  };
}

export type CaseActivities = ReturnType<typeof createActivities>;
export type * from './types';
export { signPayload, verifySignature, webhookNotifier, SIGNATURE_HEADER, TIMESTAMP_HEADER, DEDUPE_HEADER } from './notifier';
export type { Notifier, OutboxNotification } from './notifier';
