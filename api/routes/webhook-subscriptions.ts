/**
 * Webhook subscriptions (issue 23, Standard Webhooks): admins manage every subscription; an organisation's
 * case administrator manages the organisation's own, which receive only its cases' customer notices.
 * The secret is shown once (create, rotate); a rotation keeps the previous secret valid for an overlap,
 * deliveries carry a signature for each. The delivery log is the subscription's delivery rows of the outbox.
 */
import { randomUUID } from 'node:crypto';
import { and, desc, eq, lt, sql } from 'drizzle-orm';
import { notificationDeliveries, notifications, organisations, webhookSubscriptions } from '../../db/schema';
import { CUSTOMER_NOTICE_KINDS, NOTICE_KINDS } from '../../contract/notices';
import type { Role } from '../../contract/case';
import { ENTITLEMENT_IDS } from '../../policy/types';
import { redirectProblem, urlProblem } from '../../activities/webhooks/address-guard';
import { newWebhookSecret, webhookMessageId, type WebhookSettings } from '../../activities/webhooks/subscriptions';
import type { Principal } from '../principal';
import { conflict, notFound, Problem, unprocessable } from '../problem';
import { defineRoute } from '../route';
import type { Services } from '../services';
import { z } from '../zod';

const MANAGERS: Role[] = ['admin', 'case_admin'];
const SECRET_RE = /^whsec_[A-Za-z0-9+/]{32,88}={0,2}$/;

const Kind = z.enum(NOTICE_KINDS as [string, ...string[]]);
const Filters = {
  kinds: z
    .array(Kind)
    .min(1)
    .max(50)
    .nullable()
    .optional()
    .openapi({ description: 'notice kinds wanted (contract/notices.ts); null or absent = every kind the owner may receive' }),
  orgIds: z
    .array(z.string().min(1).max(100))
    .min(1)
    .max(100)
    .nullable()
    .optional()
    .openapi({ description: "admins only: only these organisations' cases" }),
  programs: z.array(z.enum(ENTITLEMENT_IDS)).min(1).nullable().optional(),
  severities: z.array(z.number().int().min(1).max(4)).min(1).nullable().optional(),
};
const CreateBody = z
  .strictObject({
    url: z.string().min(1).max(2000),
    description: z.string().max(500).optional(),
    secret: z.string().regex(SECRET_RE, 'a Standard Webhooks secret: whsec_ and 24-64 bytes in base64').optional(),
    ...Filters,
  })
  .openapi('CreateWebhookSubscription');
const PatchBody = z
  .strictObject({
    url: z.string().min(1).max(2000).optional(),
    description: z.string().max(500).nullable().optional(),
    enabled: z.boolean().optional(),
    ...Filters,
  })
  .openapi('UpdateWebhookSubscription');
const RotateBody = z
  .strictObject({
    secret: z.string().regex(SECRET_RE).optional(),
    overlapHours: z
      .number()
      .int()
      .min(0)
      .max(24 * 14)
      .default(24)
      .openapi({ description: 'how long the previous secret stays valid (default 24)' }),
  })
  .openapi('RotateWebhookSecret');

const SubscriptionSchema = z
  .object({
    id: z.string(),
    url: z.string(),
    description: z.string().nullable(),
    ownerId: z.string(),
    orgId: z.string().nullable(),
    source: z.enum(['api', 'env']),
    kinds: z.array(z.string()).nullable(),
    orgIds: z.array(z.string()).nullable(),
    programs: z.array(z.string()).nullable(),
    severities: z.array(z.number()).nullable(),
    enabled: z.boolean(),
    disabledAt: z.string().nullable(),
    disabledReason: z.string().nullable(),
    consecutiveFailures: z.number().int(),
    previousSecretExpiresAt: z.string().nullable(),
    createdAt: z.string(),
  })
  .openapi('WebhookSubscription');
const WithSecret = SubscriptionSchema.extend({ secret: z.string().openapi({ description: 'shown once' }) }).openapi(
  'WebhookSubscriptionWithSecret',
);
const DeliveryLogSchema = z
  .object({
    id: z.number().int(),
    webhookId: z.string().openapi({ description: 'the webhook-id header: the same on every retry' }),
    notice: z.object({ kind: z.string(), dedupeKey: z.string(), caseId: z.string().nullable(), createdAt: z.string() }),
    status: z.enum(['pending', 'sending', 'sent', 'failed', 'cancelled']),
    attempts: z.number().int(),
    responseCode: z.number().int().nullable(),
    latencyMs: z.number().int().nullable(),
    lastError: z.string().nullable(),
    nextAttemptAt: z.string().nullable(),
    sentAt: z.string().nullable(),
    updatedAt: z.string(),
  })
  .openapi('WebhookDelivery');

type Row = typeof webhookSubscriptions.$inferSelect;
const iso = (d: Date | null) => d?.toISOString() ?? null;
const view = (s: Row) => ({
  id: s.id,
  url: s.url,
  description: s.description,
  ownerId: s.ownerId,
  orgId: s.orgId,
  source: s.source as 'api' | 'env',
  kinds: s.kinds,
  orgIds: s.filterOrgIds,
  programs: s.filterPrograms,
  severities: s.filterSeverities,
  enabled: s.disabledAt === null,
  disabledAt: iso(s.disabledAt),
  disabledReason: s.disabledReason,
  consecutiveFailures: s.consecutiveFailures,
  previousSecretExpiresAt:
    s.previousSecretExpiresAt && s.previousSecretExpiresAt > new Date() ? s.previousSecretExpiresAt.toISOString() : null,
  createdAt: s.createdAt.toISOString(),
});

export function registerWebhookSubscriptionRoutes({ api, db }: Services, settings: Pick<WebhookSettings, 'allowPrivateNetworks'>): void {
  const policy = { allowPrivateNetworks: settings.allowPrivateNetworks };

  /** A case admin's own organisation; admins any (null = all). */
  function scopeOf(p: Principal): string | null {
    if (p.role === 'admin') return null;
    if (!p.orgId) throw new Problem(403, 'forbidden', 'a case administrator without an organisation has no subscriptions');
    return p.orgId;
  }

  async function load(p: Principal, id: string): Promise<Row> {
    const [s] = await db.select().from(webhookSubscriptions).where(eq(webhookSubscriptions.id, id));
    const scope = scopeOf(p);
    // Another organisation's subscription does not exist for a case admin (no existence oracle).
    if (!s || (scope !== null && s.orgId !== scope)) throw notFound('webhook subscription');
    return s;
  }

  async function checkUrl(url: string): Promise<void> {
    const problem = (await urlProblem(url, policy)) ?? (await redirectProblem(url, policy));
    if (problem) throw unprocessable('url', problem);
  }

  async function checkFilters(p: Principal, body: { kinds?: string[] | null; orgIds?: string[] | null }): Promise<void> {
    if (p.role !== 'admin') {
      // An organisation's subscription: its own cases (always), customer notices only (staff notices carry internal detail).
      const staffKind = body.kinds?.find((k) => !(CUSTOMER_NOTICE_KINDS as readonly string[]).includes(k));
      if (staffKind)
        throw unprocessable('kinds', `'${staffKind}' is a staff notice; an organisation's subscription receives customer notices only`);
      if (body.orgIds) throw unprocessable('orgIds', "an organisation's subscription always receives its own organisation's cases only");
    }
    for (const orgId of body.orgIds ?? []) {
      const [o] = await db.select({ id: organisations.id }).from(organisations).where(eq(organisations.id, orgId));
      if (!o) throw unprocessable('orgIds', `no organisation '${orgId}'`);
    }
  }

  const IdParams = z.strictObject({ id: z.string().min(1).max(100) });

  defineRoute(
    api,
    {
      method: 'get',
      path: '/webhook-subscriptions',
      tag: 'Webhooks',
      summary: 'List webhook subscriptions',
      description: 'Admins see every subscription (the environment’s among them); a case administrator their organisation’s.',
      roles: MANAGERS,
      response: { status: 200, description: 'Subscriptions', schema: z.object({ items: z.array(SubscriptionSchema) }) },
    },
    async ({ principal }) => {
      const scope = scopeOf(principal);
      const rows = await db
        .select()
        .from(webhookSubscriptions)
        .where(scope === null ? undefined : eq(webhookSubscriptions.orgId, scope))
        .orderBy(webhookSubscriptions.createdAt);
      return { body: { items: rows.map(view) } };
    },
  );

  defineRoute(
    api,
    {
      method: 'post',
      path: '/webhook-subscriptions',
      tag: 'Webhooks',
      summary: 'Create a webhook subscription',
      description:
        'The URL must be http(s) and resolve to public addresses only (link-local and metadata addresses always refused; loopback and private unless WEBHOOK_ALLOW_PRIVATE_NETWORKS). The secret (generated unless given) is shown once.',
      roles: MANAGERS,
      body: CreateBody,
      response: { status: 201, description: 'Created', schema: WithSecret },
      problems: [422],
    },
    async ({ body, principal }) => {
      const scope = scopeOf(principal);
      await checkFilters(principal, body);
      await checkUrl(body.url);
      const secret = body.secret ?? newWebhookSecret();
      const [row] = await db
        .insert(webhookSubscriptions)
        .values({
          id: randomUUID(),
          ownerId: principal.id,
          orgId: scope,
          url: body.url,
          description: body.description ?? null,
          secret,
          kinds: body.kinds ?? null,
          filterOrgIds: body.orgIds ?? null,
          filterPrograms: body.programs ?? null,
          filterSeverities: body.severities ?? null,
        })
        .returning();
      return { status: 201, body: { ...view(row!), secret } };
    },
  );

  defineRoute(
    api,
    {
      method: 'get',
      path: '/webhook-subscriptions/:id',
      tag: 'Webhooks',
      summary: 'Read a webhook subscription',
      roles: MANAGERS,
      params: IdParams,
      response: { status: 200, description: 'The subscription', schema: SubscriptionSchema },
      problems: [404],
    },
    async ({ params, principal }) => ({ body: view(await load(principal, params.id)) }),
  );

  defineRoute(
    api,
    {
      method: 'patch',
      path: '/webhook-subscriptions/:id',
      tag: 'Webhooks',
      summary: 'Change a webhook subscription',
      description: '`enabled: true` re-enables a disabled subscription (its failure run starts again at 0); `enabled: false` disables it.',
      roles: MANAGERS,
      params: IdParams,
      body: PatchBody,
      response: { status: 200, description: 'Changed', schema: SubscriptionSchema },
      problems: [404, 409, 422],
    },
    async ({ params, body, principal }) => {
      const s = await load(principal, params.id);
      await checkFilters(principal, body);
      if (s.source === 'env' && body.url !== undefined)
        throw conflict('the environment’s subscription follows NOTIFY_WEBHOOK_URL; change the variable');
      if (body.url !== undefined) await checkUrl(body.url);
      const [row] = await db
        .update(webhookSubscriptions)
        .set({
          ...(body.url !== undefined ? { url: body.url } : {}),
          ...(body.description !== undefined ? { description: body.description } : {}),
          ...(body.kinds !== undefined ? { kinds: body.kinds } : {}),
          ...(body.orgIds !== undefined ? { filterOrgIds: body.orgIds } : {}),
          ...(body.programs !== undefined ? { filterPrograms: body.programs } : {}),
          ...(body.severities !== undefined ? { filterSeverities: body.severities } : {}),
          ...(body.enabled === true ? { disabledAt: null, disabledReason: null, consecutiveFailures: 0 } : {}),
          ...(body.enabled === false && s.disabledAt === null
            ? { disabledAt: new Date(), disabledReason: `disabled by ${principal.id}` }
            : {}),
          updatedAt: sql`now()`,
        })
        .where(eq(webhookSubscriptions.id, s.id))
        .returning();
      return { body: view(row!) };
    },
  );

  defineRoute(
    api,
    {
      method: 'delete',
      path: '/webhook-subscriptions/:id',
      tag: 'Webhooks',
      summary: 'Delete a webhook subscription',
      description: 'Its pending deliveries are cancelled; its delivery log stays with the notices.',
      roles: MANAGERS,
      params: IdParams,
      response: { status: 204, description: 'Deleted' },
      problems: [404, 409],
    },
    async ({ params, principal }) => {
      const s = await load(principal, params.id);
      if (s.source === 'env')
        throw conflict('the environment’s subscription follows NOTIFY_WEBHOOK_URL; unset it (or disable the subscription)');
      await db.delete(webhookSubscriptions).where(eq(webhookSubscriptions.id, s.id));
      return { status: 204 };
    },
  );

  defineRoute(
    api,
    {
      method: 'post',
      path: '/webhook-subscriptions/:id/secret',
      tag: 'Webhooks',
      summary: 'Rotate the signing secret',
      description:
        'A new secret (generated unless given, shown once); the previous one stays valid for `overlapHours`: until then every delivery carries a signature with each, so a receiver can switch at any moment.',
      roles: MANAGERS,
      params: IdParams,
      body: RotateBody,
      response: { status: 200, description: 'Rotated', schema: WithSecret },
      problems: [404, 409],
    },
    async ({ params, body, principal }) => {
      const s = await load(principal, params.id);
      if (s.source === 'env') throw conflict('the environment’s subscription is signed with NOTIFY_WEBHOOK_SECRET; rotate that variable');
      const secret = body.secret ?? newWebhookSecret();
      const [row] = await db
        .update(webhookSubscriptions)
        .set({
          secret,
          previousSecret: body.overlapHours > 0 ? s.secret : null,
          previousSecretExpiresAt: body.overlapHours > 0 ? new Date(Date.now() + body.overlapHours * 3_600_000) : null,
          updatedAt: sql`now()`,
        })
        .where(eq(webhookSubscriptions.id, s.id))
        .returning();
      return { body: { ...view(row!), secret } };
    },
  );

  defineRoute(
    api,
    {
      method: 'get',
      path: '/webhook-subscriptions/:id/deliveries',
      tag: 'Webhooks',
      summary: 'The delivery log of a subscription',
      description: 'Newest first: status, the receiver’s HTTP status, latency, attempts and the next attempt. `before` pages on.',
      roles: MANAGERS,
      params: IdParams,
      query: z.strictObject({
        limit: z.coerce.number().int().min(1).max(200).default(50),
        before: z.coerce.number().int().min(1).optional(),
      }),
      response: { status: 200, description: 'Deliveries', schema: z.object({ items: z.array(DeliveryLogSchema) }) },
      problems: [404],
    },
    async ({ params, query, principal }) => {
      const s = await load(principal, params.id);
      const rows = await db
        .select({ d: notificationDeliveries, n: notifications })
        .from(notificationDeliveries)
        .innerJoin(notifications, eq(notifications.id, notificationDeliveries.notificationId))
        .where(and(eq(notificationDeliveries.subscriptionId, s.id), query.before ? lt(notificationDeliveries.id, query.before) : undefined))
        .orderBy(desc(notificationDeliveries.id))
        .limit(query.limit);
      return {
        body: {
          items: rows.map(({ d, n }) => ({
            id: d.id,
            webhookId: webhookMessageId(n.dedupeKey, s.id),
            notice: { kind: n.kind, dedupeKey: n.dedupeKey, caseId: n.caseId, createdAt: n.createdAt.toISOString() },
            status: d.status as 'pending' | 'sending' | 'sent' | 'failed' | 'cancelled',
            attempts: d.attempts,
            responseCode: d.responseCode,
            latencyMs: d.latencyMs,
            lastError: d.lastError,
            nextAttemptAt: iso(d.nextAttemptAt),
            sentAt: iso(d.sentAt),
            updatedAt: d.updatedAt.toISOString(),
          })),
        },
      };
    },
  );

  defineRoute(
    api,
    {
      method: 'post',
      path: '/webhook-subscriptions/:id/deliveries/:deliveryId/redeliver',
      tag: 'Webhooks',
      summary: 'Send a delivery again',
      description:
        'Queues the delivery for the outbox relay (within seconds), with the same webhook-id, whatever its state; its notice’s other deliveries (mail) are not sent again. 409 while the subscription is disabled.',
      roles: MANAGERS,
      params: z.strictObject({ id: z.string().min(1).max(100), deliveryId: z.coerce.number().int().min(1) }),
      response: { status: 202, description: 'Queued' },
      problems: [404, 409],
    },
    async ({ params, principal }) => {
      const s = await load(principal, params.id);
      if (s.disabledAt) throw conflict('the subscription is disabled: re-enable it first (PATCH {"enabled": true})');
      const [d] = await db
        .update(notificationDeliveries)
        .set({ status: 'pending', nextAttemptAt: sql`now()`, updatedAt: sql`now()` })
        .where(and(eq(notificationDeliveries.id, params.deliveryId), eq(notificationDeliveries.subscriptionId, s.id)))
        .returning({ notificationId: notificationDeliveries.notificationId });
      if (!d) throw notFound('delivery');
      // The outbox row is undelivered again with a fresh retry budget: the relay's sweep takes it at once.
      await db.update(notifications).set({ deliveredAt: null, attempts: 0 }).where(eq(notifications.id, d.notificationId));
      return { status: 202 };
    },
  );
}
