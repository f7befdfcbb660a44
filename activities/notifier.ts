/**
 * Delivery channels for outbox rows. The outbox row is the durable notification; a notifier pushes it out.
 * The webhook signs `${timestamp}.${body}` with HMAC-SHA256 and sends the dedupe key, so a receiver can
 * verify origin and drop the duplicates that at-least-once delivery will occasionally produce.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export interface OutboxNotification {
  dedupeKey: string;
  caseId: string | null;
  kind: string;
  recipient: string;
  channel: string;
  payload: unknown;
  createdAt: string;
}

export interface Notifier {
  deliver(notification: OutboxNotification): Promise<void>;
  /** Where it delivers (recorded on each delivery row), e.g. the webhook URL. */
  address?: string;
}

export const SIGNATURE_HEADER = 'x-caseflow-signature';
export const TIMESTAMP_HEADER = 'x-caseflow-timestamp';
export const DEDUPE_HEADER = 'x-caseflow-dedupe-key';

export function signPayload(secret: string, timestamp: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/** For receivers (and tests): constant-time check of a signature header. */
export function verifySignature(secret: string, timestamp: string, body: string, signature: string): boolean {
  const expected = Buffer.from(signPayload(secret, timestamp, body));
  const given = Buffer.from(signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
}

export interface WebhookOptions {
  url: string;
  secret: string;
  timeoutMs?: number;
}

export function webhookNotifier({ url, secret, timeoutMs = 10_000 }: WebhookOptions): Notifier {
  return {
    address: url,
    async deliver(notification) {
      const body = JSON.stringify(notification);
      const timestamp = String(Math.floor(Date.now() / 1000));
      const res = await fetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          [SIGNATURE_HEADER]: signPayload(secret, timestamp, body),
          [TIMESTAMP_HEADER]: timestamp,
          [DEDUPE_HEADER]: notification.dedupeKey,
        },
        body,
        signal: AbortSignal.timeout(timeoutMs),
      });
      // Drain the body so the connection is reused; the status is all we need.
      await res.arrayBuffer();
      if (!res.ok) throw new Error(`webhook ${url} answered ${res.status}`);
    },
  };
}

/** NOTIFY_WEBHOOK_URL + NOTIFY_WEBHOOK_SECRET, or no webhook (rows then wait in the outbox for a relay). */
export function webhookNotifierFromEnv(env: NodeJS.ProcessEnv = process.env): Notifier | null {
  const url = env.NOTIFY_WEBHOOK_URL;
  if (!url) return null;
  const secret = env.NOTIFY_WEBHOOK_SECRET;
  if (!secret) throw new Error('NOTIFY_WEBHOOK_URL is set but NOTIFY_WEBHOOK_SECRET is missing: refusing to send unsigned webhooks');
  return webhookNotifier({ url, secret });
}
