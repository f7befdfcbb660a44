/**
 * Webhook subscriptions as an outbox delivery channel (issue 23), per the Standard Webhooks specification
 * (signed with its own library, `standardwebhooks`).
 *
 * - Planning: when an outbox row is planned (once, deliver-notifications.ts), one delivery row is written per
 *   enabled subscription that wants it (notice kind, organisation, program, severity); an organisation's
 *   subscription only ever matches its own cases' customer notices. Address `subscription:<id>`.
 * - Sending: POST `{type, timestamp, data}` with `webhook-id` (the same on every retry of one delivery: a
 *   receiver drops duplicates by it), `webhook-timestamp` and `webhook-signature` (one `v1,` signature per
 *   valid secret: two during a rotation's overlap). A hard deadline per request, no redirect followed, the
 *   address checked again at connect time, and at most `concurrency` requests in flight per subscription: a
 *   receiver that hangs, is slow, answers 500 or redirects forever only ever holds up its own deliveries.
 * - Outcome: the delivery row keeps the status, the HTTP status, the latency and the next attempt (the
 *   outbox sweep's backoff); a run of `disableAfterFailures` failed requests disables the subscription,
 *   cancels what it still had pending, and mails its owner.
 * - The environment's webhook (NOTIFY_WEBHOOK_URL) is the subscription with source 'env': kept in step with
 *   the environment, its secret never copied into the database, its body and `x-caseflow-*` headers as before
 *   beside the Standard Webhooks headers, so receivers move over without a flag day.
 */
import { createHash, randomBytes } from 'node:crypto';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { and, eq, isNull, sql } from 'drizzle-orm';
import { Webhook } from 'standardwebhooks';
import type { Db } from '../../db/client';
import { notificationDeliveries, principals, webhookSubscriptions, type notifications } from '../../db/schema';
import { NOTICE_AUDIENCE, type NoticeKind } from '../../contract/notices';
import type { CaseFacts } from '../mail/case-facts';
import type { CaseMailer } from '../mail/mailer';
import { DEDUPE_HEADER, SIGNATURE_HEADER, signPayload, TIMESTAMP_HEADER } from '../notifier';
import { guardedLookup, UnsafeAddressError } from './address-guard';

export interface WebhookSettings {
  /** Whole request, connect to last body byte (WEBHOOK_TIMEOUT_MS, default 10 000). */
  timeoutMs: number;
  /** Requests in flight at once per subscription (WEBHOOK_CONCURRENCY, default 4). */
  concurrency: number;
  /** Failed requests in a row before a subscription is disabled (WEBHOOK_DISABLE_AFTER_FAILURES, default 20). */
  disableAfterFailures: number;
  /** Loopback and private receivers allowed (WEBHOOK_ALLOW_PRIVATE_NETWORKS); link-local/metadata never. */
  allowPrivateNetworks: boolean;
  /** NOTIFY_WEBHOOK_URL + NOTIFY_WEBHOOK_SECRET: the 'env' subscription; null = none (an existing one is disabled). */
  env: { url: string; secret: string } | null;
}

export const DEFAULT_WEBHOOK_SETTINGS: WebhookSettings = {
  timeoutMs: 10_000,
  concurrency: 4,
  disableAfterFailures: 20,
  allowPrivateNetworks: false,
  env: null,
};

type Subscription = typeof webhookSubscriptions.$inferSelect;
type OutboxRow = typeof notifications.$inferSelect;
type DeliveryRow = typeof notificationDeliveries.$inferSelect;
type PlannedDelivery = typeof notificationDeliveries.$inferInsert;

/** The stored secret of the env subscription: the real one stays in the environment. */
export const ENV_SECRET_MARKER = 'env:NOTIFY_WEBHOOK_SECRET';
const ENV_UNSET_REASON = 'NOTIFY_WEBHOOK_URL is no longer set';

/** A fresh Standard Webhooks secret: `whsec_` and 32 random bytes in base64. */
export function newWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString('base64')}`;
}

/** The message id of one delivery: stable across its retries and redeliveries (the receiver's dedupe key). */
export function webhookMessageId(dedupeKey: string, subscriptionId: string): string {
  return `msg_${createHash('sha256').update(`${dedupeKey}\u0000${subscriptionId}`).digest('hex').slice(0, 32)}`;
}

/** Does this subscription want this notice about this case? The tenant rule first: an organisation's own subscription sees only its cases' customer notices. */
export function subscriptionMatches(sub: Subscription, kind: string, facts: CaseFacts | null): boolean {
  if (sub.disabledAt) return false;
  if (sub.orgId !== null) {
    if (!facts || facts.orgId !== sub.orgId) return false;
    if (NOTICE_AUDIENCE[kind as NoticeKind] !== 'customer') return false;
  }
  if (sub.kinds && !sub.kinds.includes(kind)) return false;
  if (sub.filterOrgIds && (!facts || !sub.filterOrgIds.includes(facts.orgId))) return false;
  if (sub.filterPrograms && (!facts || !sub.filterPrograms.includes(facts.view.entitlement))) return false;
  if (sub.filterSeverities && (!facts || !sub.filterSeverities.includes(facts.view.level))) return false;
  return true;
}

/** What the receiver gets: the Standard Webhooks payload shape, `{type, timestamp, data}`. */
export function webhookBody(row: OutboxRow, facts: CaseFacts | null): Record<string, unknown> {
  return {
    type: `notice.${row.kind}`,
    timestamp: row.createdAt.toISOString(),
    data: {
      dedupeKey: row.dedupeKey,
      kind: row.kind,
      recipient: row.recipient,
      caseId: row.caseId,
      case: facts
        ? {
            id: facts.caseId,
            number: facts.number,
            title: facts.title,
            orgId: facts.orgId,
            program: facts.view.entitlement,
            severity: facts.view.level,
          }
        : null,
      payload: row.payload,
      createdAt: row.createdAt.toISOString(),
    },
  };
}

/** The pre-subscription body of the environment webhook (unchanged, for its existing receivers). */
function legacyBody(row: OutboxRow) {
  return {
    dedupeKey: row.dedupeKey,
    caseId: row.caseId,
    kind: row.kind,
    recipient: row.recipient,
    channel: row.channel,
    payload: row.payload,
    createdAt: row.createdAt.toISOString(),
  };
}

/** The outbox sweep's backoff (outbox-relay.ts): when a row that has failed `attempts` times is due again. */
export function nextAttemptAt(createdAt: Date, attempts: number, graceMs = 5000): Date {
  const secs = Math.min(5 * (2 ** attempts - 1), 1800 * attempts) + graceMs / 1000;
  return new Date(createdAt.getTime() + secs * 1000);
}

/** Marks a failure already written to its delivery row, so the caller does not write it again. */
export class RecordedDeliveryFailure extends Error {}

interface HttpAnswer {
  status: number;
  location: string | undefined;
  body: string;
}

/** One POST with a hard deadline, no redirects followed, at most 16 KiB of answer read. */
function post(
  url: string,
  headers: Record<string, string>,
  body: string,
  timeoutMs: number,
  allowPrivate: boolean,
  guard: boolean,
): Promise<HttpAnswer> {
  return new Promise((resolvePromise, reject) => {
    const target = new URL(url);
    const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
    const req = send(
      target,
      {
        method: 'POST',
        headers: {
          ...headers,
          'content-type': 'application/json',
          'content-length': String(Buffer.byteLength(body)),
          'user-agent': 'Caseflow-Webhooks/1',
        },
        ...(guard ? { lookup: guardedLookup({ allowPrivateNetworks: allowPrivate }) as never } : {}),
      },
      (res: IncomingMessage) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (c: Buffer) => {
          if (size < 16_384) chunks.push(c);
          size += c.length;
          if (size > 1_048_576) res.destroy(); // a receiver streaming forever does not keep us reading
        });
        const done = () => {
          clearTimeout(deadline);
          resolvePromise({
            status: res.statusCode ?? 0,
            location: typeof res.headers.location === 'string' ? res.headers.location : undefined,
            body: Buffer.concat(chunks).toString('utf8').slice(0, 500),
          });
        };
        res.on('end', done);
        res.on('close', done);
        res.on('error', done);
      },
    );
    const deadline = setTimeout(() => req.destroy(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
    req.on('error', (err) => {
      clearTimeout(deadline);
      reject(err);
    });
    req.end(body);
  });
}

/** A small per-key limit: a slow subscription queues behind its own slots, never behind another's. */
class KeyedLimit {
  private readonly state = new Map<string, { active: number; waiting: (() => void)[] }>();
  constructor(private readonly limit: number) {}
  async run<T>(key: string, work: () => Promise<T>): Promise<T> {
    let s = this.state.get(key);
    if (!s) this.state.set(key, (s = { active: 0, waiting: [] }));
    const slot = s;
    if (slot.active >= this.limit) await new Promise<void>((r) => slot.waiting.push(r));
    slot.active++;
    try {
      return await work();
    } finally {
      slot.active--;
      const next = slot.waiting.shift();
      if (next) next();
      else if (slot.active === 0) this.state.delete(key);
    }
  }
}

export interface SubscriptionChannel {
  settings: WebhookSettings;
  /** The delivery rows this outbox row needs, one per matching subscription. */
  plan(db: Db, row: OutboxRow, facts: CaseFacts | null): Promise<PlannedDelivery[]>;
  /** Sends one delivery and records its outcome; throws RecordedDeliveryFailure when it must be retried. */
  deliver(db: Db, row: OutboxRow, d: DeliveryRow, facts: CaseFacts | null): Promise<void>;
}

export function subscriptionChannel(
  settings: WebhookSettings,
  mailer: CaseMailer | null,
  log: (msg: string) => void = () => undefined,
): SubscriptionChannel {
  const limit = new KeyedLimit(settings.concurrency);
  let envReady: Promise<void> | null = null;
  const ensureEnv = (db: Db) => {
    envReady ??= ensureEnvSubscription(db, settings.env).catch((err: unknown) => {
      envReady = null; // the database was away: try again on the next row
      throw err;
    });
    return envReady;
  };

  return {
    settings,
    async plan(db, row, facts) {
      await ensureEnv(db);
      const subs = await db.select().from(webhookSubscriptions).where(isNull(webhookSubscriptions.disabledAt));
      return subs
        .filter((s) => subscriptionMatches(s, row.kind, facts))
        .map((s) => ({
          notificationId: row.id,
          caseId: row.caseId,
          channel: 'webhook',
          address: `subscription:${s.id}`,
          subscriptionId: s.id,
          audience: s.orgId ? 'customer' : 'staff',
          language: 'en',
        }));
    },
    async deliver(db, row, d, facts) {
      const [sub] = await db.select().from(webhookSubscriptions).where(eq(webhookSubscriptions.id, d.subscriptionId!));
      if (!sub || sub.disabledAt) {
        await db
          .update(notificationDeliveries)
          .set({
            status: 'cancelled',
            lastError: sub ? `subscription disabled: ${sub.disabledReason ?? ''}` : 'subscription deleted',
            nextAttemptAt: null,
            updatedAt: sql`now()`,
          })
          .where(eq(notificationDeliveries.id, d.id));
        return;
      }
      await limit.run(sub.id, () => sendOne(db, sub, row, d, facts));
    },
  };

  async function sendOne(db: Db, sub: Subscription, row: OutboxRow, d: DeliveryRow, facts: CaseFacts | null): Promise<void> {
    const isEnv = sub.source === 'env';
    if (isEnv && !settings.env) throw new RecordedDeliveryFailure('NOTIFY_WEBHOOK_SECRET is not configured on this worker');
    const body = JSON.stringify(isEnv ? legacyBody(row) : webhookBody(row, facts));
    const msgId = webhookMessageId(row.dedupeKey, sub.id);
    const at = new Date();
    const secrets = isEnv
      ? [new Webhook(settings.env!.secret, { format: 'raw' })]
      : [
          sub.secret,
          ...(sub.previousSecret && sub.previousSecretExpiresAt && sub.previousSecretExpiresAt > at ? [sub.previousSecret] : []),
        ].map((s) => new Webhook(s));
    const headers: Record<string, string> = {
      'webhook-id': msgId,
      'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
      'webhook-signature': secrets.map((w) => w.sign(msgId, at, body)).join(' '),
    };
    if (isEnv) {
      const ts = String(Math.floor(at.getTime() / 1000));
      headers[SIGNATURE_HEADER] = signPayload(settings.env!.secret, ts, body);
      headers[TIMESTAMP_HEADER] = ts;
      headers[DEDUPE_HEADER] = row.dedupeKey;
    }
    const started = performance.now();
    let answer: HttpAnswer | null = null;
    let error: string | null = null;
    try {
      // The operator's own environment webhook is trusted with a private address; a subscription is not.
      answer = await post(isEnv ? settings.env!.url : sub.url, headers, body, settings.timeoutMs, settings.allowPrivateNetworks, !isEnv);
      if (answer.status >= 300 && answer.status < 400)
        error = `answered ${answer.status} (redirect to ${answer.location ?? '?'} not followed)`;
      else if (answer.status < 200 || answer.status >= 300)
        error = `answered ${answer.status}${answer.body ? `: ${answer.body.slice(0, 200)}` : ''}`;
    } catch (err) {
      error = err instanceof UnsafeAddressError ? err.message : `request failed: ${err instanceof Error ? err.message : String(err)}`;
    }
    const latencyMs = Math.round(performance.now() - started);
    if (error === null) {
      await db
        .update(notificationDeliveries)
        .set({
          status: 'sent',
          messageId: msgId,
          response: `${answer!.status}`,
          responseCode: answer!.status,
          latencyMs,
          attempts: sql`${notificationDeliveries.attempts} + 1`,
          lastError: null,
          nextAttemptAt: null,
          sentAt: sql`now()`,
          updatedAt: sql`now()`,
        })
        .where(eq(notificationDeliveries.id, d.id));
      if (sub.consecutiveFailures > 0)
        await db.update(webhookSubscriptions).set({ consecutiveFailures: 0 }).where(eq(webhookSubscriptions.id, sub.id));
      return;
    }
    await db
      .update(notificationDeliveries)
      .set({
        status: 'failed',
        messageId: msgId,
        responseCode: answer?.status ?? null,
        latencyMs,
        attempts: sql`${notificationDeliveries.attempts} + 1`,
        lastError: error,
        nextAttemptAt: nextAttemptAt(row.createdAt, row.attempts + 1),
        updatedAt: sql`now()`,
      })
      .where(eq(notificationDeliveries.id, d.id));
    const [counted] = await db
      .update(webhookSubscriptions)
      .set({ consecutiveFailures: sql`${webhookSubscriptions.consecutiveFailures} + 1` })
      .where(eq(webhookSubscriptions.id, sub.id))
      .returning({ failures: webhookSubscriptions.consecutiveFailures });
    if (counted && counted.failures >= settings.disableAfterFailures) await disable(db, sub, counted.failures, error);
    throw new RecordedDeliveryFailure(`subscription ${sub.id}: ${error}`);
  }

  async function disable(db: Db, sub: Subscription, failures: number, lastError: string): Promise<void> {
    const reason = `${failures} failed deliveries in a row; last: ${lastError}`;
    const [won] = await db
      .update(webhookSubscriptions)
      .set({ disabledAt: sql`now()`, disabledReason: reason, updatedAt: sql`now()` })
      .where(and(eq(webhookSubscriptions.id, sub.id), isNull(webhookSubscriptions.disabledAt)))
      .returning({ disabledAt: webhookSubscriptions.disabledAt });
    if (!won) return; // another attempt disabled it first and told the owner
    // Nothing more goes out to it: what it still had pending is cancelled, so those notices complete.
    await db
      .update(notificationDeliveries)
      .set({ status: 'cancelled', nextAttemptAt: null, updatedAt: sql`now()` })
      .where(and(eq(notificationDeliveries.subscriptionId, sub.id), sql`${notificationDeliveries.status} in ('pending', 'failed')`));
    log(`webhook subscription ${sub.id} (${sub.url}) disabled: ${reason}`);
    await notifyOwner(db, sub, reason, won.disabledAt!);
  }

  async function notifyOwner(db: Db, sub: Subscription, reason: string, at: Date): Promise<void> {
    if (!mailer) return;
    const [owner] = await db
      .select({ name: principals.name, email: principals.email })
      .from(principals)
      .where(eq(principals.id, sub.ownerId));
    if (!owner) return;
    const domain = mailer.transport.from.split('@')[1]?.replace(/>.*$/, '') ?? 'caseflow.invalid';
    const link = `${mailer.consoleUrl}/v1/webhook-subscriptions/${sub.id}`;
    const text = [
      `Hello ${owner.name},`,
      '',
      `Caseflow disabled your webhook subscription ${sub.id} (${sub.url}) at ${at.toISOString()}:`,
      reason,
      '',
      `Nothing more is sent to it. Its delivery log: GET ${link}/deliveries. Once the receiver answers again,`,
      `re-enable it with PATCH ${link} {"enabled": true} and redeliver what it missed.`,
    ].join('\n');
    try {
      await mailer.transport.send({
        from: mailer.transport.from,
        to: { name: owner.name, address: owner.email },
        subject: `Webhook subscription disabled: ${sub.url}`,
        text,
        html: `<pre>${text.replace(/[<>&]/g, (c) => `&#${c.charCodeAt(0)};`)}</pre>`,
        messageId: `<webhook-disabled-${sub.id}-${at.getTime()}@${domain}>`,
        headers: { 'Auto-Submitted': 'auto-generated', 'X-Caseflow-Webhook-Subscription': sub.id },
      });
    } catch (err) {
      log(`could not mail the owner of webhook subscription ${sub.id}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
}

/** Keeps the 'env' subscription in step with NOTIFY_WEBHOOK_URL: created or updated when set, disabled when unset. */
export async function ensureEnvSubscription(db: Db, env: WebhookSettings['env']): Promise<void> {
  const [existing] = await db.select().from(webhookSubscriptions).where(eq(webhookSubscriptions.source, 'env'));
  if (!env) {
    if (existing && !existing.disabledAt) {
      await db
        .update(webhookSubscriptions)
        .set({ disabledAt: sql`now()`, disabledReason: ENV_UNSET_REASON, updatedAt: sql`now()` })
        .where(eq(webhookSubscriptions.id, existing.id));
    }
    return;
  }
  if (!existing) {
    await db
      .insert(webhookSubscriptions)
      .values({
        id: 'env',
        ownerId: 'system',
        url: env.url,
        description: 'NOTIFY_WEBHOOK_URL (from the environment)',
        secret: ENV_SECRET_MARKER,
        kinds: null,
        source: 'env',
      })
      .onConflictDoNothing();
    return;
  }
  const reenable = existing.disabledAt !== null && existing.disabledReason === ENV_UNSET_REASON;
  if (existing.url !== env.url || reenable) {
    await db
      .update(webhookSubscriptions)
      .set({ url: env.url, ...(reenable ? { disabledAt: null, disabledReason: null, consecutiveFailures: 0 } : {}), updatedAt: sql`now()` })
      .where(eq(webhookSubscriptions.id, existing.id));
  }
}

function positiveInt(env: NodeJS.ProcessEnv, name: string, fallback: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value <= 0 || value > max) throw new Error(`${name} must be an integer 1-${max}, got '${raw}'`);
  return value;
}

/** WEBHOOK_TIMEOUT_MS, WEBHOOK_CONCURRENCY, WEBHOOK_DISABLE_AFTER_FAILURES, WEBHOOK_ALLOW_PRIVATE_NETWORKS, NOTIFY_WEBHOOK_URL/SECRET. */
export function webhookSettingsFromEnv(env: NodeJS.ProcessEnv = process.env): WebhookSettings {
  const url = env.NOTIFY_WEBHOOK_URL || undefined;
  const secret = env.NOTIFY_WEBHOOK_SECRET;
  if (url && !secret) throw new Error('NOTIFY_WEBHOOK_URL is set but NOTIFY_WEBHOOK_SECRET is missing: refusing to send unsigned webhooks');
  return {
    timeoutMs: positiveInt(env, 'WEBHOOK_TIMEOUT_MS', DEFAULT_WEBHOOK_SETTINGS.timeoutMs, 120_000),
    concurrency: positiveInt(env, 'WEBHOOK_CONCURRENCY', DEFAULT_WEBHOOK_SETTINGS.concurrency, 100),
    disableAfterFailures: positiveInt(env, 'WEBHOOK_DISABLE_AFTER_FAILURES', DEFAULT_WEBHOOK_SETTINGS.disableAfterFailures, 10_000),
    allowPrivateNetworks: env.WEBHOOK_ALLOW_PRIVATE_NETWORKS === 'true',
    env: url && secret ? { url, secret } : null,
  };
}
