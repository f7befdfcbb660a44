/**
 * A case's notifications and where each went: the outbox row (the durable notice) and its deliveries per
 * channel and address (pending, sending, sent with the server's answer and Message-ID, failed with the
 * reason, bounced). Staff see everything; the customer side sees the customer-facing deliveries only.
 */
import { asc, eq, inArray } from 'drizzle-orm';
import { notificationDeliveries, notifications } from '../../db/schema';
import type { Role } from '../../contract/case';
import { loadCase } from '../cases/load-case';
import { isStaff } from '../principal';
import { defineRoute } from '../route';
import { CaseRefParams } from '../schemas/cases';
import { CaseNotificationSchema } from '../schemas/notifications';
import type { Services } from '../services';
import { z } from '../zod';

const EVERYONE: Role[] = ['case_admin', 'license_admin', 'support_partner', 'engineer', 'manager', 'admin'];
const iso = (d: Date | null) => d?.toISOString() ?? null;

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
      response: { status: 200, description: 'Notifications, oldest first', schema: z.object({ items: z.array(CaseNotificationSchema) }) },
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
            })),
          };
        })
        // Customers see notices addressed to them, and those that reached them (a manager request's acknowledgement).
        .filter((n) => staff || n.recipient.startsWith('customer:') || n.deliveries.length > 0);
      return { body: { items } };
    },
  );
}
