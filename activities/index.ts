/**
 * The case workflow's activities, bound to a database and the delivery channels. The workflow imports only
 * the `CaseActivities` type; the worker registers `createActivities(...)`.
 */
import type { Database } from '../db/client';
import { deliverNotifications, type DeliveryChannels } from './deliver-notifications';
import type { OutboxRelay } from './outbox-relay';
import { mailerFromEnv } from './mail/mailer-from-env';
import type { CaseMailer } from './mail/mailer';
import type { Notifier } from './notifier';
import { isPermanentDataError } from '../db/errors';
import { recordCaseChange, recordDespitePermanentError } from './record-case-change';
import type { CaseChangeBatch, CaseChangeResult, DeliveryResult } from './types';
import { subscriptionChannel, webhookSettingsFromEnv, type WebhookSettings } from './webhooks/subscriptions';

export interface ActivityOptions {
  db: Database;
  /**
   * A fixed webhook for every outbox row (the pre-subscription channel, tests); default (undefined): webhook
   * subscriptions, NOTIFY_WEBHOOK_URL being one of them; null: none.
   */
  notifier?: Notifier | null;
  /** Webhook subscription delivery settings (default: from the environment); used when `notifier` is undefined. */
  webhooks?: WebhookSettings;
  /** Mail channel; default: SMTP_URL/MAIL_FROM/MAIL_REPLY_* from the environment; null: no mail. */
  mailer?: CaseMailer | null;
  /** Delivers a step's notices after its write (steps of runs with `patched('outbox-relay')`). */
  relay?: OutboxRelay | null;
}

/** The delivery channels a worker's activities use (and its outbox relay); null when it delivers nothing. */
export function deliveryChannels({
  notifier,
  mailer,
  webhooks,
}: Pick<ActivityOptions, 'notifier' | 'mailer' | 'webhooks'>): DeliveryChannels | null {
  const mail = mailer === undefined ? mailerFromEnv() : mailer;
  // By default the environment's webhook is one subscription among others (issue 23), not a fixed channel.
  const subscriptions = notifier === undefined ? subscriptionChannel(webhooks ?? webhookSettingsFromEnv(), mail) : null;
  const webhook = notifier ?? null;
  return webhook !== null || mail !== null || subscriptions !== null ? { webhook, mail, subscriptions } : null;
}

export function createActivities({ db, notifier, mailer, relay, webhooks }: ActivityOptions) {
  const channels = deliveryChannels({ notifier, mailer, webhooks });
  const { webhook, mail, subscriptions } = channels ?? { webhook: null, mail: null, subscriptions: null };
  const canDeliver = channels !== null;
  return {
    async recordCaseChange(batch: CaseChangeBatch): Promise<CaseChangeResult> {
      let result: CaseChangeResult;
      try {
        result = await recordCaseChange(db.db, batch, canDeliver);
      } catch (err) {
        // Transient failures (database down, serialization) are retried by the workflow's retry policy.
        if (!isPermanentDataError(err)) throw err;
        result = await recordDespitePermanentError(db.db, batch, err, canDeliver);
      }
      // Committed: the relay sends them now, outside the workflow task (its sweep catches what this misses).
      if (batch.deliver === 'relay' && relay) relay.kick(result.toDeliver);
      return { ...result, recordedAt: Date.now() };
    },
    async deliverNotifications(dedupeKeys: string[]): Promise<DeliveryResult> {
      if (!canDeliver) return { delivered: 0 };
      return deliverNotifications(db.db, { webhook, mail, subscriptions }, dedupeKeys);
    },
  };
}

export type CaseActivities = ReturnType<typeof createActivities>;
export type * from './types';
export { signPayload, verifySignature, webhookNotifier, SIGNATURE_HEADER, TIMESTAMP_HEADER, DEDUPE_HEADER } from './notifier';
export type { Notifier, OutboxNotification } from './notifier';
export type { CaseMailer } from './mail/mailer';
export { createOutboxRelay, type OutboxRelay } from './outbox-relay';
