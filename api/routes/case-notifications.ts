/**
 * A case's notifications and where each went: the outbox row (the durable notice) and its deliveries per
 * channel and address (pending, sending, sent with the server's answer and Message-ID, failed with the
 * reason, bounced; a bounce reported later by a delivery status notification with its status code and
 * diagnostic, for staff). Staff see everything; the customer side sees the customer-facing deliveries only.
 * The mail that came in to the case's reply address (replies, refusals, automatic mail, delivery reports,
 * empty replies) is staff-only: GET /v1/cases/{id}/inbound-messages.
 */
import { and, asc, eq, inArray, isNotNull } from 'drizzle-orm';
import { PEOPLE } from '../../contract/roles';
import { inboundMessages, notificationContacts, notificationDeliveries, notifications } from '../../db/schema';
import type { Role } from '../../contract/case';
import { loadCase } from '../cases/load-case';
import { isStaff, STAFF_ROLES } from '../principal';
import { defineRoute } from '../route';
import { CaseRefParams } from '../schemas/cases';
import { CaseNotificationSchema, DeliverySchema } from '../schemas/notifications';
import type { Services } from '../services';
import { z } from '../zod';

const EVERYONE: readonly Role[] = PEOPLE;
const iso = (d: Date | null) => d?.toISOString() ?? null;

const ReportedBounce = z
  .object({
    status: z.string().nullable().openapi({ description: 'the status code the delivery status notification reported, e.g. 5.1.1' }),
    diagnostic: z.string().nullable().openapi({ description: "the reporting server's diagnostic" }),
    at: z.string().openapi({ description: 'when the report arrived' }),
  })
  .openapi('ReportedBounce');

const NotificationWithBounces = CaseNotificationSchema.extend({
  deliveries: z.array(
    DeliverySchema.extend({
      bounce: ReportedBounce.nullable().optional().openapi({
        description: 'staff only: a bounce reported after the server had taken the mail (RFC 3464 delivery status notification)',
      }),
    }),
  ),
}).openapi('CaseNotificationWithBounces');

const InboundMessageSchema = z
  .object({
    id: z.number().int(),
    receivedAt: z.string(),
    via: z.enum(['smtp', 'http']),
    status: z.enum(['accepted', 'duplicate', 'refused', 'ignored']),
    classification: z
      .enum(['auto_reply', 'list', 'bulk', 'null_sender', 'delivery_report', 'empty_reply'])
      .nullable()
      .openapi({ description: 'why an ignored message changed nothing' }),
    reason: z.string().nullable().openapi({ description: 'refusal reason' }),
    sender: z.string().nullable(),
    envelopeSender: z.string().nullable(),
    subject: z.string().nullable(),
    messageId: z.string(),
    principalId: z.string().nullable().openapi({ description: 'the customer-side principal or contact the sender matched' }),
    answer: z.string().nullable().openapi({ description: 'what was mailed back: sent | skipped:<why> | failed:<error> | none' }),
    detail: z
      .record(z.string(), z.unknown())
      .nullable()
      .openapi({ description: 'the header that classified it; for a delivery report what it reported and matched' }),
  })
  .openapi('InboundMessage');

const BouncedContact = z
  .object({ id: z.string(), name: z.string(), email: z.string(), bouncedAt: z.string(), bounceStatus: z.string().nullable() })
  .openapi('BouncedContact');

export function registerCaseNotificationRoutes({ api, db }: Services): void {
  defineRoute(
    api,
    {
      method: 'get',
      path: '/cases/:id/notifications',
      tag: 'Notifications',
      summary: 'Notifications of a case and their delivery state',
      roles: EVERYONE,
      params: CaseRefParams,
      response: { status: 200, description: 'Notifications, oldest first', schema: z.object({ items: z.array(NotificationWithBounces) }) },
      problems: [404],
    },
    async ({ params, principal }) => {
      const row = await loadCase(db, principal, params.id);
      const staff = isStaff(principal);
      const outbox = await db.select().from(notifications).where(eq(notifications.caseId, row.id)).orderBy(asc(notifications.id));
      const deliveries =
        outbox.length === 0
          ? []
          : await db
              .select()
              .from(notificationDeliveries)
              .where(
                inArray(
                  notificationDeliveries.notificationId,
                  outbox.map((n) => n.id),
                ),
              )
              .orderBy(asc(notificationDeliveries.id));
      const items = outbox
        .map((n) => {
          const own = deliveries.filter((d) => d.notificationId === n.id && (staff || d.audience === 'customer'));
          return {
            id: n.id,
            kind: n.kind,
            recipient: n.recipient,
            channel: n.channel,
            createdAt: n.createdAt.toISOString(),
            deliveredAt: iso(n.deliveredAt),
            attempts: n.attempts,
            lastError: staff ? n.lastError : null,
            deliveries: own.map((d) => ({
              channel: d.channel as 'email' | 'webhook',
              address: d.address,
              name: d.name,
              audience: d.audience as 'customer' | 'staff',
              language: d.language,
              status: d.status as 'pending' | 'sending' | 'sent' | 'failed' | 'bounced',
              messageId: d.messageId,
              response: d.response,
              attempts: d.attempts,
              lastError: d.lastError,
              sentAt: iso(d.sentAt),
              ...(staff && d.bouncedAt
                ? { bounce: { status: d.bounceStatus, diagnostic: d.bounceDiagnostic, at: d.bouncedAt.toISOString() } }
                : {}),
            })),
          };
        })
        // Customers see notices addressed to them, and those that reached them (a manager request's acknowledgement).
        .filter((n) => staff || n.recipient.startsWith('customer:') || n.deliveries.length > 0);
      return { body: { items } };
    },
  );

  defineRoute(
    api,
    {
      method: 'get',
      path: '/cases/:id/inbound-messages',
      tag: 'Notifications',
      summary: "Mail that came in to the case's reply address, and what became of it (staff only)",
      description: [
        'Every message delivered to the reply address of the case (SMTP listener or POST /v1/inbound-mail), oldest first:',
        'accepted replies, repeats, refusals, and `ignored` mail that changed nothing, with its classification (auto-replies,',
        'list and bulk mail, the null sender, delivery status notifications, replies that only quote the previous mail).',
        "`bouncedContacts`: the organisation's notification contacts a delivery status notification reported as failing.",
      ].join(' '),
      roles: STAFF_ROLES,
      params: CaseRefParams,
      response: {
        status: 200,
        description: 'Inbound messages, oldest first',
        schema: z.object({ items: z.array(InboundMessageSchema), bouncedContacts: z.array(BouncedContact) }),
      },
      problems: [404],
    },
    async ({ params, principal }) => {
      const row = await loadCase(db, principal, params.id);
      const rows = await db.select().from(inboundMessages).where(eq(inboundMessages.caseId, row.id)).orderBy(asc(inboundMessages.id));
      const contacts = await db
        .select()
        .from(notificationContacts)
        .where(and(eq(notificationContacts.orgId, row.orgId), isNotNull(notificationContacts.bouncedAt)))
        .orderBy(asc(notificationContacts.id));
      return {
        body: {
          items: rows.map((r) => ({
            id: r.id,
            receivedAt: r.receivedAt.toISOString(),
            via: r.via as 'smtp' | 'http',
            status: r.status as 'accepted' | 'duplicate' | 'refused' | 'ignored',
            classification: r.classification as 'auto_reply' | 'list' | 'bulk' | 'null_sender' | 'delivery_report' | 'empty_reply' | null,
            reason: r.reason,
            sender: r.sender,
            envelopeSender: r.envelopeSender,
            subject: r.subject,
            messageId: r.messageKey,
            principalId: r.principalId,
            answer: r.answer,
            detail: (r.detail as Record<string, unknown> | null) ?? null,
          })),
          bouncedContacts: contacts.map((c) => ({
            id: c.id,
            name: c.name,
            email: c.email,
            bouncedAt: c.bouncedAt!.toISOString(),
            bounceStatus: c.bounceStatus,
          })),
        },
      };
    },
  );
}
